"""Fix: read `net.losses` inside the tape, so the penalty's gradient 2 * wd * W is recorded.

Run: python snippets/pitfall_losses_outside_tape_fixed.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
x, y = tf.random.normal((8, 3)), tf.random.normal((8, 1))
mse = tf.keras.losses.MeanSquaredError()
wd = 0.5
net = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(wd))])
net.build((None, 3))
kernel = net.layers[0].kernel

# --8<-- [start:fixed]
with tf.GradientTape() as tape:
    loss = mse(y, net(x)) + tf.add_n(net.losses)  # computed while the tape records
grad_with_penalty = tape.gradient(loss, kernel)
# --8<-- [end:fixed]

with tf.GradientTape() as tape:
    data_loss = mse(y, net(x))
grad_data_only = tape.gradient(data_loss, kernel)
extra = grad_with_penalty - grad_data_only
error = float(tf.reduce_max(tf.abs(extra - 2 * wd * kernel)))
print(f"extra gradient == 2 * wd * W: {error < 1e-6}")  # O(1) float32 values: a few roundings
assert error < 1e-6
