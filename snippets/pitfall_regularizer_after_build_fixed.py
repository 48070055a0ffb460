"""Fix: give the regularizer when the layer is created, or rebuild the layer
from its config (keeping the weights). Both work in both Kerases.

Run: python pitfall_regularizer_after_build_fixed.py
"""

import tensorflow as tf

l2 = tf.keras.regularizers.l2(0.01)
net = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_regularizer=l2)])
net.build((None, 3))
print("penalty terms:", len(net.losses))

# An existing model: rebuild each layer with the regularizer in its config.
old = tf.keras.Sequential([tf.keras.layers.Dense(1)])
old.build((None, 3))
config = {**old.layers[0].get_config(), "kernel_regularizer": l2}
new = tf.keras.Sequential([tf.keras.layers.Dense.from_config(config)])
new.build((None, 3))
new.set_weights(old.get_weights())
print("penalty terms after rebuilding:", len(new.losses))

assert len(net.losses) == len(new.losses) == 1, (
    "regularizer-at-creation: a regularizer given at creation, or through a"
    " rebuilt layer's config, is in `.losses`"
)
assert all(
    (a == b).all() for a, b in zip(new.get_weights(), old.get_weights())
), "rebuild-keeps-weights: the rebuilt model has the old model's weights"
