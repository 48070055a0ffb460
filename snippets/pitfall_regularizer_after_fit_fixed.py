"""Fixed: `compile` again after changing the model's penalties.

`compile` drops the training step `fit` traced; the next `fit` traces a new
one, which reads the penalty attached since. (Better still: give layers
their regularizers when they are made, pitfalls "regularizer after build".)

Run: python pitfall_regularizer_after_fit_fixed.py
"""

import numpy as np
import tensorflow as tf

net = tf.keras.Sequential(
    [tf.keras.layers.Dense(2, use_bias=False, kernel_initializer="ones")]
)
net.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss="mse")
x, y = np.zeros((4, 3), "float32"), np.zeros((4, 2), "float32")
net.fit(x, y, batch_size=4, epochs=1, verbose=0)

kernel, l2 = net.layers[0].kernel, tf.keras.regularizers.l2(0.1)
if hasattr(kernel, "regularizer"):  # Keras 3: the variable's regularizer
    kernel.regularizer = l2
else:  # tf-keras: a zero-argument callable passed to add_loss
    net.add_loss(lambda: l2(kernel))
net.compile(optimizer=net.optimizer, loss="mse")  # fixed: a new trace
net.fit(x, y, batch_size=4, epochs=1, verbose=0)
print(f"kernel after compile and fit: {float(kernel[0, 0]):.4f}")

assert abs(float(kernel[0, 0]) - 0.98) < 1e-6, (
    "compile-again-traces-penalty: after compile, fit's new step holds the"
    " penalty: 1 - 0.1 * 2 * 0.1 = 0.98"
)
