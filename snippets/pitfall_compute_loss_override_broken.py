"""Pitfall: a `compute_loss` override that forgets `self.losses`.

`fit` asks `compute_loss` for the whole loss. An override that returns only
the data loss drops the penalty, with no error.

Run: python pitfall_compute_loss_override_broken.py
"""

import numpy as np
import tensorflow as tf


class DataLossOnly(tf.keras.Sequential):
    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, **kw
    ):
        return tf.reduce_mean(tf.square(y - y_pred))  # broken: no self.losses


net = DataLossOnly(
    [
        tf.keras.layers.Dense(
            1,
            use_bias=False,
            kernel_initializer="ones",
            kernel_regularizer=tf.keras.regularizers.l2(0.1),
        )
    ]
)
net.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss="mse")
x, y = np.zeros((4, 2), "float32"), np.zeros((4, 1), "float32")
net.fit(x, y, batch_size=4, epochs=1, verbose=0)
kernel = float(net.layers[0].kernel[0, 0])
print(f"kernel after one step: {kernel:.4f} (the data gradient is zero)")

assert kernel == 1.0, (
    "override-drops-penalty: a compute_loss override without self.losses"
    " leaves the kernel untouched: the penalty is silently gone"
)
