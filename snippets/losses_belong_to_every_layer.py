"""`.losses` is a property of every Keras layer and model, not of `Sequential`.

Run: python losses_belong_to_every_layer.py
"""

import tensorflow as tf

l2 = tf.keras.regularizers.l2(0.01)

bare_layer = tf.keras.layers.Dense(4, kernel_regularizer=l2)
bare_layer.build((None, 3))

inputs = tf.keras.Input((3,))
outputs = tf.keras.layers.Dense(4, kernel_regularizer=l2)(inputs)
functional = tf.keras.Model(inputs, outputs)

sequential = tf.keras.Sequential(
    [tf.keras.layers.Dense(4, kernel_regularizer=l2)]
)
sequential.build((None, 3))

# Like the book's earlier models: no regularizer anywhere.
unregularized = tf.keras.Sequential([tf.keras.layers.Dense(4)])
unregularized.build((None, 3))

for name, obj in [
    ("bare Dense layer", bare_layer),
    ("functional Model", functional),
    ("Sequential", sequential),
    ("Sequential, no regularizer", unregularized),
]:
    print(f"{name:27} {len(obj.losses)} penalty term(s)")

assert all(len(m.losses) == 1 for m in (bare_layer, functional, sequential)), (
    "every-layer-and-model: a bare layer, a functional model and a Sequential"
    " each list the penalty of their one regularized kernel in `.losses`"
)
assert unregularized.losses == [], (
    "empty-without-regularizer: a model with no regularizer has"
    " `net.losses == []`, so there is nothing to add to its loss"
)
