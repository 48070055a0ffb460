"""Fix: when you need the penalty of every weight, frozen or not, compute it
from the regularizers. Frozen weights do not move, so their penalty shifts
the loss value, never the gradient of the trainable weights; computed this
way, the number is the same in both Kerases.

Run: python pitfall_frozen_layer_fixed.py
"""

import math

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
base = tf.keras.layers.Dense(
    4, kernel_regularizer=tf.keras.regularizers.l2(0.01)
)
head = tf.keras.layers.Dense(
    1, kernel_regularizer=tf.keras.regularizers.l2(0.01)
)
net = tf.keras.Sequential([base, head])
net.build((None, 3))
base.trainable = False


def total_penalty(layers):
    """Every kernel penalty, trainable or frozen, from the regularizers."""
    return sum(
        float(layer.kernel_regularizer(layer.kernel))
        for layer in layers
        if layer.kernel_regularizer
    )


penalty = total_penalty(net.layers)
print(f"penalty of both layers (base frozen): {penalty:.4f}")

expected = sum(0.01 * float(tf.reduce_sum(lay.kernel**2)) for lay in net.layers)
# Sums of a few float32 squares of order 1: relative error far below 1e-6.
assert math.isclose(penalty, expected, rel_tol=1e-6), (
    "frozen-penalty-counted: computed from the regularizers, the penalty"
    " includes the frozen kernel's, 0.01 * sum(w**2) over both kernels"
)
