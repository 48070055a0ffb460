"""Pitfall: reading `fit`'s `loss` as the data loss. It includes every penalty in `model.losses`.

Run: python snippets/pitfall_reported_loss_broken.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
X, y = tf.random.normal((64, 3)), tf.random.normal((64, 1))

# --8<-- [start:broken]
model = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(1.0))])
model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.0), loss="mse")  # lr 0: nothing moves
history = model.fit(X, y, batch_size=64, epochs=1, verbose=0)
train_mse = history.history["loss"][0]  # broken: this is mse + penalty
test_mse = model.evaluate(X, y, batch_size=64, verbose=0)  # the same data, so the same mse...
data_mse = float(tf.reduce_mean((model(X) - y) ** 2))
print(f"'loss' from fit: {train_mse:.4f}   actual mse: {data_mse:.4f}")
# --8<-- [end:broken]
assert train_mse > data_mse + 0.1  # the penalty (about 0.4 here) is in the reported loss
