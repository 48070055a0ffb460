"""Fix: read the penalty after the forward pass (inside the tape), or build
the model first.

Run: python pitfall_empty_before_build_fixed.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
x, y = tf.random.normal((8, 3)), tf.random.normal((8, 1))
l2 = tf.keras.regularizers.l2(0.01)

net = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_regularizer=l2)])
with tf.GradientTape() as tape:
    y_hat = net(x)  # the first call builds the layer: kernel and penalty exist
    loss = tf.reduce_mean((y_hat - y) ** 2) + tf.add_n(net.losses)
print("penalty terms after the first call:", len(net.losses))

other = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_regularizer=l2)])
other.build((None, 3))  # or build explicitly, before any data
print("penalty terms after build():", len(other.losses))

assert len(net.losses) == len(other.losses) == 1, (
    "one-term-after-call-or-build: after the first call, or after `build`,"
    " the model lists its kernel's penalty"
)
