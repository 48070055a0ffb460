"""Pitfall: setting `kernel_regularizer` on a layer that is already built has no effect.

The penalty is registered when the kernel is created; assigning the attribute later is too late.

Run: python snippets/pitfall_regularizer_after_build_broken.py
"""

import tensorflow as tf

# --8<-- [start:broken]
net = tf.keras.Sequential([tf.keras.layers.Dense(1)])
net.build((None, 3))  # the kernel exists now, with no regularizer
net.layers[0].kernel_regularizer = tf.keras.regularizers.l2(0.01)  # broken: too late
print("penalty terms:", len(net.losses))
# --8<-- [end:broken]
assert net.losses == []  # training would run with no weight decay at all
