"""Fixed: a `compute_loss` override adds `self.losses` itself.

`sum(self.losses)` is 0 for a model without regularizers. Under a
`tf.distribute` strategy the replicas' gradients are summed, so the loss is
divided by the number of replicas, as Keras' own `compute_loss` does (1
without a strategy; pitfall_compute_loss_replicas_broken.py shows why).

Run: python pitfall_compute_loss_override_fixed.py
"""

import numpy as np
import tensorflow as tf


class DataLossPlusPenalty(tf.keras.Sequential):
    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, **kw
    ):
        data_loss = tf.reduce_mean(tf.square(y - y_pred))
        loss = data_loss + sum(self.losses)  # fixed: the penalties too
        return loss / tf.distribute.get_strategy().num_replicas_in_sync


net = DataLossPlusPenalty(
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
print(f"kernel after one step: {kernel:.4f}")

assert abs(kernel - 0.98) < 1e-6, (
    "override-with-losses-decays: adding sum(self.losses) restores the"
    " penalty: 1 - 0.1 * 2 * 0.1 = 0.98"
)
