"""A weight penalty is computed from the current weights each time `.losses`
is read. It belongs to the layer: a bare layer has `.losses` too.

Run: python losses_computed_when_read.py
"""

import math

import tensorflow as tf

layer = tf.keras.layers.Dense(
    2, kernel_regularizer=tf.keras.regularizers.l2(0.1)
)
print("before build:  ", layer.losses)  # no kernel yet, so no penalty
assert layer.losses == [], (
    "empty-before-build: before the layer is built it has no kernel,"
    " and `.losses` is an empty list"
)

layer.build((None, 3))  # creates the 3x2 kernel and registers its penalty
layer.kernel.assign(tf.ones((3, 2)))
before = float(layer.losses[0])
print(f"after build:    {before:.7g}")  # 0.1 * 6 * 1**2

layer.kernel.assign(2 * layer.kernel)  # change the weights, no forward pass
after = float(layer.losses[0])
print(f"kernel doubled: {after:.7g}")  # 0.1 * 6 * 2**2

# float32: 0.1 is rounded (relative 2**-24), the sum of 6 exact squares is
# exact, the product rounds once more: a relative error below 2**-22.
assert math.isclose(before, 0.6, rel_tol=2**-22), (
    "value-is-wd-sum-w2: the penalty of l2(0.1) on six weights equal to 1"
    " is 0.1 * 6 = 0.6"
)
assert math.isclose(after, 4 * before, rel_tol=2**-22), (
    "computed-when-read: doubling the kernel with `assign`, with no forward"
    " pass, makes the penalty read from `.losses` four times larger"
)
