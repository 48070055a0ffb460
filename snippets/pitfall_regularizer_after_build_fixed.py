"""Fix: give the regularizer when the layer is created (or rebuild the layer from its config).

Run: python snippets/pitfall_regularizer_after_build_fixed.py
"""

import tensorflow as tf

# --8<-- [start:fixed]
net = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(0.01))])
net.build((None, 3))
print("penalty terms:", len(net.losses))

# An existing model: rebuild its layers with the regularizer set in their config, keep the weights.
old = tf.keras.Sequential([tf.keras.layers.Dense(1)])
old.build((None, 3))
config = {**old.layers[0].get_config(), "kernel_regularizer": tf.keras.regularizers.l2(0.01)}
new = tf.keras.Sequential([tf.keras.layers.Dense.from_config(config)])
new.build((None, 3))
new.set_weights(old.get_weights())
print("penalty terms after rebuilding:", len(new.losses))
# --8<-- [end:fixed]
assert len(net.losses) == len(new.losses) == 1
