"""Plain SGD: an L2 penalty and decoupled decay stay the same update under a
learning-rate schedule.

Keras multiplies the decay by the learning rate of each step, as it does the
penalty's gradient: `SGD(weight_decay=lam)` (biases excluded) and
`l2(lam / 2)` take the same 20 steps whether the rate is constant or
scheduled (exponential, piecewise, cosine with warm-up). Gradient clipping
is what separates them (clipping_clips_penalty_not_decay.py).

Run: python l2_equals_decay_under_schedule.py
"""

import numpy as np
import tensorflow as tf

lam, steps = 0.2, 20
rng = np.random.default_rng(0)
W0 = rng.normal(size=(3, 2)).astype("float32")
X = rng.normal(size=(steps, 4, 3)).astype("float32")
Y = rng.normal(size=(steps, 4, 2)).astype("float32")
schedules = tf.keras.optimizers.schedules
RATES = {
    "constant 0.1": lambda: 0.1,
    "ExponentialDecay": lambda: schedules.ExponentialDecay(0.1, 5, 0.5),
    "PiecewiseConstantDecay": lambda: schedules.PiecewiseConstantDecay(
        [5, 10], [0.1, 0.05, 0.01]
    ),
    "CosineDecay, warm-up": lambda: schedules.CosineDecay(
        0.0, steps, warmup_target=0.1, warmup_steps=5
    ),
}


def train(learning_rate, decoupled):
    """20 SGD steps from W0 on mean squared error; returns the kernel."""
    regularizer = None if decoupled else tf.keras.regularizers.l2(lam / 2)
    layer = tf.keras.layers.Dense(2, kernel_regularizer=regularizer)
    layer.build((None, 3))
    layer.kernel.assign(W0)
    optimizer = tf.keras.optimizers.SGD(
        learning_rate=learning_rate, weight_decay=lam if decoupled else None
    )
    if decoupled:
        optimizer.exclude_from_weight_decay(var_names=["bias"])
    for x, y in zip(X, Y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((layer(x) - y) ** 2) + sum(layer.losses)
        grads = tape.gradient(loss, layer.trainable_variables)
        optimizer.apply_gradients(zip(grads, layer.trainable_variables))
    return layer.kernel.numpy()


gaps = {}
for name, rate in RATES.items():
    gaps[name] = float(
        np.max(np.abs(train(rate(), False) - train(rate(), True)))
    )
    print(f"{name:<24} same update: {gaps[name] < 1e-6}")

# 20 steps of order-1 float32 values: the roundings of the two orders of
# operations add up to a few 1e-8; 1e-6 is far below any real difference
# (one step of lam / 2 more or less changes the kernel by about 1e-2).
assert all(gap < 1e-6 for gap in gaps.values()), (
    "schedule-keeps-equivalence: SGD(weight_decay=0.2) with biases excluded"
    " and l2(0.1) end 20 steps at the same kernel (within 1e-6) under a"
    " constant rate, ExponentialDecay, PiecewiseConstantDecay and"
    " CosineDecay with warm-up"
)
