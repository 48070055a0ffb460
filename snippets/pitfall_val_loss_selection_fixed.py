"""Fixed: choose by a metric of the data loss alone (`val_mse` here,
compiled as a metric), not by `val_loss`; monitor the same metric in
`EarlyStopping` or `ModelCheckpoint` (`monitor="val_mse"`).

Run: python snippets/pitfall_val_loss_selection_fixed.py
"""

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
val_mse = {}
for name, net in candidates.items():
    val_mse[name] = net.evaluate(x_val, y_val, verbose=0)[1]
    print(f"{name}: val_mse {val_mse[name]:.3f}")
chosen = min(val_mse, key=val_mse.get)
print("chosen by val_mse:", chosen)

# What a callback with monitor="val_mse" reads: fit's logs, at learning rate 0.
b = candidates["B (kernel w_true, wd 2)"]
b.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="mse", metrics=["mse"])
history = b.fit(
    x_val, y_val, validation_data=(x_val, y_val), epochs=1, verbose=0
)
logged = history.history["val_mse"][0]
print(f"val_mse in fit's logs, for B: {logged:.3f}")

# The data alone: B's error is the noise, 0.25 in expectation.
mse_b = float(np.mean((x_val @ w_true - y_val) ** 2))
assert chosen.startswith("B") and abs(val_mse[chosen] - mse_b) < 1e-4, (
    "val-mse-picks-better-fit: by the mse metric, the data loss alone, the"
    " choice is B, the better fit"
)
assert abs(logged - val_mse[chosen]) < 1e-4, (
    "fit-logs-val-mse: fit's logs hold the metric as val_mse, the number a"
    " callback with monitor='val_mse' reads: the data loss alone"
)
