"""Pitfall: freezing a layer (`trainable = False`) changes `net.losses` in Keras 3, not in tf-keras.

Keras 3 computes weight penalties only for trainable weights, so a frozen layer's penalty
disappears from `net.losses` (and from the loss `fit` reports); tf-keras keeps it.
Code that compares losses across a freeze therefore sees a jump in one Keras and not the other.

Run: python snippets/pitfall_frozen_layer_broken.py
"""

import tensorflow as tf

# --8<-- [start:broken]
base = tf.keras.layers.Dense(4, kernel_regularizer=tf.keras.regularizers.l2(0.01))
head = tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(0.01))
net = tf.keras.Sequential([base, head])
net.build((None, 3))
print("penalty terms, all trainable:", len(net.losses))

base.trainable = False  # fine-tune only the head
print("penalty terms, base frozen:  ", len(net.losses))  # depends on the Keras
# --8<-- [end:broken]
