"""The book's concise loss line, in both editions, checked on its own model.

Classic edition (r0.17), `train_concise`: `loss(net(X), y) + net.losses`,
the Keras loss called as (prediction, label).
Current edition, `WeightDecay.loss`: `super().loss(y_hat, y) +
self.net.losses`, where `LinearRegression.loss(y_hat, y)` calls the Keras
loss as `fn(y, y_hat)`, labels first.
Both add a Python list. With the book's model, one Dense layer (one
regularized kernel) and a mean squared error (symmetric), both give the
right value, with shape (1,) instead of ().

Run: python book_concise_loss_line.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
X, y = tf.random.normal((5, 200)), tf.random.normal((5, 1))
net = tf.keras.Sequential(
    [tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(3))]
)
net.build((None, 200))
loss = tf.keras.losses.MeanSquaredError()


def linear_regression_loss(y_hat, y):  # the current edition's, labels first
    return loss(y, y_hat)


with tf.GradientTape() as tape:
    classic = loss(net(X), y) + net.losses  # r0.17's train_concise
    current = linear_regression_loss(net(X), y) + net.losses  # WeightDecay
    right = loss(y, net(X)) + tf.add_n(net.losses)
print(f"classic edition: {float(classic[0]):.4f}, shape {classic.shape}")
print(f"current edition: {float(current[0]):.4f}, shape {current.shape}")
print(f"right:           {float(right):.4f}, shape {right.shape}")

assert classic.shape == current.shape == (1,) and right.shape == (), (
    "book-line-shape-1: with one regularized kernel, the book's"
    " `loss + net.losses` has shape (1,) in both editions, not a scalar"
)
assert float(classic[0]) == float(current[0]) == float(right), (
    "book-line-right-for-its-model: for one regularized layer and the"
    " symmetric mean squared error, both editions' lines give exactly the"
    " right value"
)
