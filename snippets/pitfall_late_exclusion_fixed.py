"""Fixed: call `exclude_from_weight_decay` before the first step.

Then every path honours it, in both Kerases: `fit`, its traced step and
eager `apply_gradients` alike.

Run: python pitfall_late_exclusion_fixed.py
"""

import numpy as np
import tensorflow as tf

net = tf.keras.Sequential(
    [tf.keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")]
)
net.build((None, 1))
sgd = tf.keras.optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
sgd.exclude_from_weight_decay(var_list=[net.layers[0].kernel])  # fixed
net.compile(optimizer=sgd, loss="mse")
x, y = np.zeros((4, 1), "float32"), np.zeros((4, 1), "float32")
net.fit(x, y, batch_size=4, epochs=2, verbose=0)
print(f"kernel after two epochs: {float(net.layers[0].kernel[0, 0]):.4f}")

assert float(net.layers[0].kernel[0, 0]) == 1.0, (
    "early-exclusion-holds: excluded before the first step, the kernel is"
    " never decayed"
)
