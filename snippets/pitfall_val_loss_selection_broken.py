"""Broken: choosing between models (or between strengths wd) by `val_loss`.

`val_loss`, like `loss`, includes every penalty in `model.losses`, so it
compares penalized objectives, not how well each model fits the validation
data. Here model B fits the data far better than model A, but its penalty is
larger: `val_loss` picks A. The same goes for `EarlyStopping` and
`ModelCheckpoint(save_best_only=True)` monitoring "val_loss" while the
weights, and so the penalty, change.

Run: python snippets/pitfall_val_loss_selection_broken.py
"""

import inspect

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
w_true = np.ones((3, 1), "float32")
x_val = rng.normal(size=(256, 3)).astype("float32")
y_val = x_val @ w_true + 0.5 * rng.normal(size=(256, 1)).astype("float32")


def model(kernel, wd):
    """A linear model with the given kernel and l2(wd) on it."""
    l2 = tf.keras.regularizers.l2(wd)
    net = tf.keras.Sequential(
        [tf.keras.layers.Dense(1, use_bias=False, kernel_regularizer=l2)]
    )
    net.build((None, 3))
    net.set_weights([kernel])
    net.compile(loss="mse", metrics=["mse"])
    return net


candidates = {
    "A (kernel 0, wd 0)": model(np.zeros((3, 1), "float32"), 0.0),
    "B (kernel w_true, wd 2)": model(w_true, 2.0),
}
scores = {}
for name, net in candidates.items():
    val_loss, val_mse = net.evaluate(x_val, y_val, verbose=0)
    scores[name] = (val_loss, val_mse)
    print(f"{name}: val_loss {val_loss:.3f}, val_mse {val_mse:.3f}")
by_loss = min(scores, key=lambda name: scores[name][0])
by_mse = min(scores, key=lambda name: scores[name][1])
print("chosen by val_loss:", by_loss)

# What callbacks monitoring "val_loss" read: fit's logs, at learning rate 0.
b = candidates["B (kernel w_true, wd 2)"]
b.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="mse", metrics=["mse"])
history = b.fit(
    x_val, y_val, validation_data=(x_val, y_val), epochs=1, verbose=0
)
logged = history.history["val_loss"][0]
print(f"val_loss in fit's logs, for B: {logged:.3f}")
monitors = {
    name: inspect.signature(getattr(tf.keras.callbacks, name))
    .parameters["monitor"]
    .default
    for name in ("EarlyStopping", "ModelCheckpoint")
}
print("default monitor:", ", ".join(f"{k} {v}" for k, v in monitors.items()))

(loss_a, mse_a), (loss_b, mse_b) = scores.values()
# val_loss = mse + 2 * sum(w**2) = mse + 6 for B, in float32: < 1e-4 apart.
assert abs(loss_b - (mse_b + 6.0)) < 1e-4 and abs(loss_a - mse_a) < 1e-6, (
    "val-loss-includes-penalty: evaluate's loss is the validation mse plus"
    " the penalty, 2 * sum(w**2) = 6 for B"
)
assert abs(logged - loss_b) < 1e-4, (
    "fit-logs-penalized-val-loss: the val_loss in fit's logs, which"
    " EarlyStopping and ModelCheckpoint monitor, is the same penalized number"
)
assert set(monitors.values()) == {"val_loss"}, (
    "callbacks-monitor-val-loss: EarlyStopping and ModelCheckpoint monitor"
    " val_loss by default"
)
assert by_loss.startswith("A") and by_mse.startswith("B"), (
    "val-loss-picks-worse-fit: by val_loss the choice is A, though B's"
    " validation mse is lower"
)
