"""Pitfall: `loss + net.losses` adds a Python list to a scalar.

With k regularized weights the loss has shape (k,); the tape sums it, so the
data gradient is multiplied by k. With no regularizer the shape is (0,) and
every gradient is zero.

Run: python pitfall_list_add_broken.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
x, y = tf.random.normal((8, 3)), tf.random.normal((8, 1))
mse = tf.keras.losses.MeanSquaredError()


def make_net(wd):
    reg = tf.keras.regularizers.l2(wd) if wd else None
    net = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(4, kernel_regularizer=reg),
            tf.keras.layers.Dense(1, kernel_regularizer=reg),
        ]
    )
    net.build((None, 3))
    return net


net = make_net(wd=1e-4)  # two regularized kernels: k = 2
with tf.GradientTape() as tape:
    loss = mse(y, net(x)) + net.losses  # broken: scalar + list of 2 tensors
print("loss shape:", loss.shape)
grads = tape.gradient(loss, net.trainable_variables)

with tf.GradientTape() as tape:
    data_loss = mse(y, net(x))
data_grads = tape.gradient(data_loss, net.trainable_variables)
ratio = float(grads[-1][0] / data_grads[-1][0])  # the last bias: no penalty
print(f"output-bias gradient / data-loss gradient: {ratio:.4f}")

plain = make_net(wd=0)  # no regularizer at all: net.losses == []
with tf.GradientTape() as tape:
    loss_plain = mse(y, plain(x)) + plain.losses  # scalar + []: empty tensor
print("no regularizer, loss shape:", loss_plain.shape)
plain_grads = tape.gradient(loss_plain, plain.trainable_variables)
all_zero = all(float(tf.reduce_max(tf.abs(g))) == 0.0 for g in plain_grads)
print("every gradient zero:", all_zero)

assert loss.shape == (2,), (
    "loss-has-shape-k: with k = 2 regularized kernels, `loss + net.losses`"
    " has shape (2,) instead of being a scalar"
)
# k = 2 is a power of two: doubling is exact in floating point.
assert ratio == 2.0, (
    "data-gradient-times-k: the unpenalized bias gets exactly k = 2 times"
    " its data-loss gradient"
)
assert loss_plain.shape == (0,) and all_zero, (
    "no-regularizer-zero-gradients: with no regularizer the sum has shape"
    " (0,) and every gradient is exactly zero: training silently stops"
)
