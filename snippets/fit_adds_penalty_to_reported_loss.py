"""`fit` and `evaluate` add `model.losses` to the loss they report; a custom
loop must add them itself.

Run: python fit_adds_penalty_to_reported_loss.py
"""

import math

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
model = tf.keras.Sequential(
    [tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(0.5))]
)
# Learning rate 0: `fit` reports the loss of one batch without moving the
# weights, so its numbers can be compared with the penalty read afterwards.
model.compile(
    optimizer=tf.keras.optimizers.SGD(learning_rate=0.0),
    loss="mse",
    metrics=["mse"],
)
X, y = tf.random.normal((16, 3)), tf.random.normal((16, 1))

history = model.fit(X, y, batch_size=16, epochs=1, verbose=0)
fit_loss, fit_mse = history.history["loss"][0], history.history["mse"][0]
eval_loss, eval_mse = model.evaluate(X, y, batch_size=16, verbose=0)
penalty = float(tf.add_n(model.losses))
print(f"fit:      loss {fit_loss:.4f}, mse {fit_mse:.4f}")
print(f"evaluate: loss {eval_loss:.4f}, mse {eval_mse:.4f}")
print(f"penalty {penalty:.4f}, mse + penalty {eval_mse + penalty:.4f}")

# Values of order 1, a few float32 roundings each: 1e-5 is far above them
# and far below the penalty itself.
assert math.isclose(fit_loss, fit_mse + penalty, abs_tol=1e-5), (
    "fit-adds-penalty: the loss `fit` reports is the mse plus"
    " `sum(model.losses)`"
)
assert math.isclose(eval_loss, eval_mse + penalty, abs_tol=1e-5), (
    "evaluate-adds-penalty: the loss `evaluate` reports is the mse plus"
    " `sum(model.losses)`"
)
assert penalty > 1e-2, (
    "penalty-is-visible: the penalty is large enough that the two checks"
    " above would fail without it"
)
