"""Fixed: under `mixed_float16`, compute activity penalties in float32.

An `ActivityRegularization` layer with `dtype="float32"` after the float16
layer casts the activations up and penalizes them in float32: every term of
`net.losses` is float32, they add, nothing overflows, and `fit` trains under
both Kerases.

Run: python pitfall_mixed_precision_penalty_fixed.py
"""

import numpy as np
import tensorflow as tf

tf.keras.mixed_precision.set_global_policy("mixed_float16")
net = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(
            4,
            kernel_initializer="ones",
            kernel_regularizer=tf.keras.regularizers.l2(0.01),
        ),
        tf.keras.layers.ActivityRegularization(l2=0.01, dtype="float32"),
        tf.keras.layers.Dense(1, dtype="float32"),
    ]
)
big = np.full((8, 3), 300.0, "float32")  # the activations that overflowed
net(big)
dtypes = sorted(term.dtype.name for term in net.losses)
total = float(tf.add_n(net.losses))
print("dtypes of net.losses:", dtypes, f"sum: {total:.1f}")

net.compile(optimizer="sgd", loss="mse")
history = net.fit(big, np.zeros((8, 1), "float32"), epochs=1, verbose=0)
print("fit trained one epoch:", "loss" in history.history)

assert dtypes == ["float32", "float32"], (
    "all-float32: with a float32 ActivityRegularization layer every term of"
    " net.losses is float32"
)
assert np.isfinite(total), (
    "no-overflow: the same large activations give a finite penalty"
)
assert "loss" in history.history, (
    "fit-trains: fit trains the mixed-precision model with the penalty"
)
