"""Pitfall: reading `net.losses` outside the `GradientTape` block.

The penalty is then a constant to the tape: it adds to the loss value but
contributes no gradient, so no weight decays.

Run: python pitfall_losses_outside_tape_broken.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
x, y = tf.random.normal((8, 3)), tf.random.normal((8, 1))
mse = tf.keras.losses.MeanSquaredError()
net = tf.keras.Sequential(
    [tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(0.5))]
)
net.build((None, 3))
kernel = net.layers[0].kernel

penalty = tf.add_n(net.losses)  # broken: computed before the tape records
with tf.GradientTape() as tape:
    loss = mse(y, net(x)) + penalty
grad_with_penalty = tape.gradient(loss, kernel)

with tf.GradientTape() as tape:
    data_loss = mse(y, net(x))
grad_data_only = tape.gradient(data_loss, kernel)
difference = float(tf.reduce_max(tf.abs(grad_with_penalty - grad_data_only)))
print(f"gradient with the penalty - gradient without it: {difference}")

assert difference == 0.0, (
    "outside-tape-no-gradient: a penalty read before the tape changes the"
    " kernel's gradient by exactly zero: weight decay is silently off"
)
