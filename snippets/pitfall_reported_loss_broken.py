"""Pitfall: reading `fit`'s `loss` as the data loss. It includes every
penalty in `model.losses`.

Run: python pitfall_reported_loss_broken.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
X, y = tf.random.normal((64, 3)), tf.random.normal((64, 1))

model = tf.keras.Sequential(
    [tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(1.0))]
)
# Learning rate 0: nothing moves, so the numbers can be compared afterwards.
model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.0), loss="mse")
history = model.fit(X, y, batch_size=64, epochs=1, verbose=0)
train_mse = history.history["loss"][0]  # broken: this is mse + penalty
data_mse = float(tf.reduce_mean((model(X) - y) ** 2))
penalty = float(tf.add_n(model.losses))
print(f"'loss' from fit: {train_mse:.4f}   actual mse: {data_mse:.4f}")
print(f"the difference: {train_mse - data_mse:.4f}, the penalty: {penalty:.4f}")

# Values of order 1: float32 roundings stay below 1e-5.
assert abs(train_mse - (data_mse + penalty)) < 1e-5 and penalty > 0.1, (
    "reported-loss-is-mse-plus-penalty: the `loss` that `fit` reports"
    " exceeds the data mse by exactly the penalty, here more than 0.1"
)
