"""Pitfall: `loss + net.losses` adds a Python list to a scalar.

With k regularized weights the result has shape (k,); the tape sums it, so the data loss is
counted k times and its gradient is multiplied by k. With no regularizer the shape is (0,) and
every gradient is zero. The last lines assert both, so this page fails its tests if Keras changes.

Run: python snippets/pitfall_list_add_broken.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
x, y = tf.random.normal((8, 3)), tf.random.normal((8, 1))
mse = tf.keras.losses.MeanSquaredError()


def make_net(wd):
    reg = tf.keras.regularizers.l2(wd) if wd else None
    net = tf.keras.Sequential(
        [tf.keras.layers.Dense(4, kernel_regularizer=reg), tf.keras.layers.Dense(1, kernel_regularizer=reg)]
    )
    net.build((None, 3))
    return net


# --8<-- [start:broken]
net = make_net(wd=1e-4)  # two regularized kernels: k = 2
with tf.GradientTape() as tape:
    loss = mse(y, net(x)) + net.losses  # broken: scalar + list of 2 tensors
print("loss shape:", loss.shape)
grads = tape.gradient(loss, net.trainable_variables)
# --8<-- [end:broken]

with tf.GradientTape() as tape:
    data_loss = mse(y, net(x))
data_grads = tape.gradient(data_loss, net.trainable_variables)
bias_ratio = float(grads[-1][0] / data_grads[-1][0])  # the last bias has no penalty
print(f"output-bias gradient / data-loss gradient: {bias_ratio:.4f}")

# --8<-- [start:unregularized]
plain = make_net(wd=0)  # no regularizer at all: net.losses == []
with tf.GradientTape() as tape:
    loss = mse(y, plain(x)) + plain.losses  # scalar + empty list: an empty tensor
print("no regularizer, loss shape:", loss.shape)
grads = tape.gradient(loss, plain.trainable_variables)
print("every gradient zero:", all(float(tf.reduce_max(tf.abs(g))) == 0.0 for g in grads))
# --8<-- [end:unregularized]

assert abs(bias_ratio - 2.0) < 1e-5  # the data-loss gradient counted k = 2 times
assert all(float(tf.reduce_max(tf.abs(g))) == 0.0 for g in grads)  # training silently stops
