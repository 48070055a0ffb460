"""Pitfall: freezing a layer (`trainable = False`) changes `net.losses` in
Keras 3, not in tf-keras.

Keras 3 computes weight penalties only for trainable weights, so a frozen
layer's penalty disappears from `net.losses` (and from the loss `fit`
reports); tf-keras keeps it.

Run: python pitfall_frozen_layer_broken.py
"""

import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`

base = tf.keras.layers.Dense(
    4, kernel_regularizer=tf.keras.regularizers.l2(0.01)
)
head = tf.keras.layers.Dense(
    1, kernel_regularizer=tf.keras.regularizers.l2(0.01)
)
net = tf.keras.Sequential([base, head])
net.build((None, 3))
terms_trainable = len(net.losses)
print("penalty terms, all trainable:", terms_trainable)

base.trainable = False  # fine-tune only the head
terms_frozen = len(net.losses)
print("penalty terms, base frozen:  ", terms_frozen)  # depends on the Keras

assert terms_trainable == 2, (
    "two-terms-when-trainable: with both layers trainable, both Kerases list"
    " two penalty terms"
)
assert terms_frozen == (1 if KERAS_3 else 2), (
    "frozen-term-dropped-in-keras-3: after `base.trainable = False`, Keras 3"
    " lists one term (the frozen kernel's is gone) and tf-keras still two"
)
