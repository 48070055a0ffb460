"""Fix: ask for the data loss as a metric; `mse` as a metric has no penalty in it.

Run: python snippets/pitfall_reported_loss_fixed.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
X, y = tf.random.normal((64, 3)), tf.random.normal((64, 1))

# --8<-- [start:fixed]
model = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(1.0))])
model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.0), loss="mse", metrics=["mse"])
history = model.fit(X, y, batch_size=64, epochs=1, verbose=0)
data_mse = float(tf.reduce_mean((model(X) - y) ** 2))
print(f"'mse' metric: {history.history['mse'][0]:.4f}   actual mse: {data_mse:.4f}")
print(f"'loss' - 'mse' = {history.history['loss'][0] - history.history['mse'][0]:.4f}")
print(f"sum(model.losses) = {float(tf.add_n(model.losses)):.4f}")
# --8<-- [end:fixed]
assert abs(history.history["mse"][0] - data_mse) < 1e-5
