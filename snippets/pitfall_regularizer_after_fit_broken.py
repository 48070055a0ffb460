"""Pitfall: a regularizer attached after `fit` has run.

`fit` traces its training step once and keeps it (`make_train_function`):
the set of penalty terms was fixed in that trace. A penalty attached to the
built model afterwards (Keras 3: `layer.kernel.regularizer = ...`; tf-keras:
`model.add_loss(lambda: ...)`) shows in `model.losses` and in nothing the
next `fit` does: the weights do not decay, with no error.

The data gradient is zero (inputs and targets are zero): only the penalty
could move the kernel of ones.

Run: python pitfall_regularizer_after_fit_broken.py
"""

import numpy as np
import tensorflow as tf

net = tf.keras.Sequential(
    [tf.keras.layers.Dense(2, use_bias=False, kernel_initializer="ones")]
)
net.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss="mse")
x, y = np.zeros((4, 3), "float32"), np.zeros((4, 2), "float32")
net.fit(x, y, batch_size=4, epochs=1, verbose=0)  # traces the train step

kernel, l2 = net.layers[0].kernel, tf.keras.regularizers.l2(0.1)
if hasattr(kernel, "regularizer"):  # Keras 3: the variable's regularizer
    kernel.regularizer = l2
else:  # tf-keras: a zero-argument callable passed to add_loss
    net.add_loss(lambda: l2(kernel))
penalty = float(sum(net.losses))
net.fit(x, y, batch_size=4, epochs=1, verbose=0)  # the same traced step
print(f"model.losses after attaching l2(0.1): {penalty:.4f}")
print(f"kernel after the next fit: {float(kernel[0, 0]):.4f}")

assert abs(penalty - 0.6) < 1e-6, (
    "penalty-listed: model.losses holds the new term: 0.1 * 6 ones = 0.6"
)
assert float(kernel[0, 0]) == 1.0, (
    "cached-step-ignores-penalty: the next fit runs the step traced before"
    " the penalty existed: the kernel of ones does not decay"
)
