"""Fix: ask for the data loss as a metric; `mse` as a metric has no penalty.

Run: python pitfall_reported_loss_fixed.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
X, y = tf.random.normal((64, 3)), tf.random.normal((64, 1))

model = tf.keras.Sequential(
    [tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(1.0))]
)
model.compile(
    optimizer=tf.keras.optimizers.SGD(learning_rate=0.0),
    loss="mse",
    metrics=["mse"],  # the data loss alone
)
history = model.fit(X, y, batch_size=64, epochs=1, verbose=0)
metric_mse = history.history["mse"][0]
data_mse = float(tf.reduce_mean((model(X) - y) ** 2))
print(f"'mse' metric: {metric_mse:.4f}   actual mse: {data_mse:.4f}")

# Values of order 1: float32 roundings stay below 1e-5.
assert abs(metric_mse - data_mse) < 1e-5, (
    "mse-metric-is-data-loss: the `mse` metric `fit` reports is the data"
    " loss, with no penalty in it"
)
