"""`fit` and `evaluate` add `model.losses` to the loss they report; a custom loop must add them itself.

Run: python snippets/fit_adds_penalty_to_reported_loss.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)

# --8<-- [start:demo]
model = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(0.5))])
model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.0), loss="mse", metrics=["mse"])
X, y = tf.random.normal((16, 3)), tf.random.normal((16, 1))

loss, mse = model.evaluate(X, y, batch_size=16, verbose=0)
penalty = float(tf.add_n(model.losses))
print(f"reported loss      {loss:.4f}")
print(f"mse metric         {mse:.4f}")
print(f"penalty            {penalty:.4f}")
print(f"mse + penalty      {mse + penalty:.4f}")
# --8<-- [end:demo]
