"""`.losses` is a property of every Keras layer and model, not of `Sequential`.

Run: python snippets/losses_belong_to_every_layer.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)

# --8<-- [start:demo]
l2 = tf.keras.regularizers.l2(0.01)

bare_layer = tf.keras.layers.Dense(4, kernel_regularizer=l2)
bare_layer.build((None, 3))

inputs = tf.keras.Input((3,))
functional = tf.keras.Model(inputs, tf.keras.layers.Dense(4, kernel_regularizer=l2)(inputs))

sequential = tf.keras.Sequential([tf.keras.layers.Dense(4, kernel_regularizer=l2)])
sequential.build((None, 3))

unregularized = tf.keras.Sequential([tf.keras.layers.Dense(4)])  # like the book's earlier models
unregularized.build((None, 3))

for name, obj in [
    ("bare Dense layer", bare_layer),
    ("functional Model", functional),
    ("Sequential", sequential),
    ("Sequential, no regularizer", unregularized),
]:
    print(f"{name:27} {len(obj.losses)} penalty term(s)")
# --8<-- [end:demo]
