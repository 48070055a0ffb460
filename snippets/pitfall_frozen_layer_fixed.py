"""Fix: when you need the penalty of every weight, frozen or not, compute it from the regularizers.

The frozen weights do not change, so their penalty only shifts the loss value, never the gradient
of the trainable weights; computing it explicitly makes the number the same in both Kerases.

Run: python snippets/pitfall_frozen_layer_fixed.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
base = tf.keras.layers.Dense(4, kernel_regularizer=tf.keras.regularizers.l2(0.01))
head = tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(0.01))
net = tf.keras.Sequential([base, head])
net.build((None, 3))
base.trainable = False


# --8<-- [start:fixed]
def total_penalty(layers):
    """Every kernel penalty, trainable or frozen, from the layers' own regularizers."""
    return sum(float(layer.kernel_regularizer(layer.kernel)) for layer in layers if layer.kernel_regularizer)


print(f"penalty of both layers (base frozen): {total_penalty(net.layers):.4f}")
# --8<-- [end:fixed]
expected = sum(0.01 * float(tf.reduce_sum(layer.kernel**2)) for layer in net.layers)
assert abs(total_penalty(net.layers) - expected) < 1e-6
