"""The book's concise loss line, in both editions, checked on its own model.

Classic edition (r0.17), `train_concise`: `loss(net(X), y) + net.losses`.
Current edition, `WeightDecay.loss`: `super().loss(y_hat, y) + self.net.losses`.
Both add a Python list and call the Keras loss as (prediction, label). With
the book's model, one Dense layer (one regularized kernel) and a mean squared
error (symmetric), both give the right value, with shape (1,) instead of ().

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

with tf.GradientTape() as tape:
    book = loss(net(X), y) + net.losses  # the book's line (both editions)
    right = loss(y, net(X)) + tf.add_n(net.losses)
print(f"book's line: {float(book[0]):.4f}, shape {book.shape}")
print(f"right:       {float(right):.4f}, shape {right.shape}")

assert book.shape == (1,) and right.shape == (), (
    "book-line-shape-1: with one regularized kernel, the book's"
    " `loss + net.losses` has shape (1,), not a scalar"
)
assert float(book[0]) == float(right), (
    "book-line-right-for-its-model: for one regularized layer and the"
    " symmetric mean squared error, the book's line gives exactly the right"
    " value"
)
