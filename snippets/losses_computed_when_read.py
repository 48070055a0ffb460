"""A weight penalty is computed from the current weights each time `.losses` is read.

It belongs to the layer, not to `Sequential`: a bare layer has `.losses` too.

Run: python snippets/losses_computed_when_read.py
"""

import tensorflow as tf

# --8<-- [start:demo]
layer = tf.keras.layers.Dense(2, kernel_regularizer=tf.keras.regularizers.l2(0.1))
print("before build:  ", layer.losses)  # no kernel yet, so no penalty

layer.build((None, 3))  # creates the 3x2 kernel and registers its penalty
layer.kernel.assign(tf.ones((3, 2)))
print("after build:   ", [round(float(p), 4) for p in layer.losses])  # 0.1 * 6 * 1**2

layer.kernel.assign(2 * layer.kernel)  # change the weights, no forward pass
print("kernel doubled:", [round(float(p), 4) for p in layer.losses])  # 0.1 * 6 * 2**2

plain = tf.keras.layers.Dense(2)
plain.build((None, 3))
print("no regularizer:", plain.losses)  # nothing to add to the loss
# --8<-- [end:demo]
