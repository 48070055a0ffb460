"""Fix: read `net.losses` inside the tape, so the penalty's gradient
2 * wd * W is recorded.

Run: python pitfall_losses_outside_tape_fixed.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
x, y = tf.random.normal((8, 3)), tf.random.normal((8, 1))
mse = tf.keras.losses.MeanSquaredError()
wd = 0.5
net = tf.keras.Sequential(
    [tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(wd))]
)
net.build((None, 3))
kernel = net.layers[0].kernel

with tf.GradientTape() as tape:
    loss = mse(y, net(x)) + tf.add_n(net.losses)  # recorded by the tape
grad_with_penalty = tape.gradient(loss, kernel)

with tf.GradientTape() as tape:
    data_loss = mse(y, net(x))
grad_data_only = tape.gradient(data_loss, kernel)
extra = grad_with_penalty - grad_data_only
error = float(tf.reduce_max(tf.abs(extra - 2 * wd * kernel)))
print(f"extra gradient == 2 * wd * W: {error < 1e-6}")

# Values of order 1 in float32 (spacing 1.2e-7): a few roundings stay < 1e-6.
assert error < 1e-6, (
    "inside-tape-gradient-2-wd-w: read inside the tape, the penalty adds"
    " 2 * wd * W to the kernel's gradient"
)
