"""With the penalty alone, one SGD step multiplies a weight by (1 - 2*lr*wd).

That is a decay only while 2*lr*wd < 1. Between 1 and 2 the weight flips
sign at every step (its size still shrinks); above 2 it grows without bound.

Run: python decay_factor_stability.py
"""

import itertools

import tensorflow as tf


def three_steps(lr, wd):
    """Three SGD steps with only the penalty l2(wd), from a weight of 1."""
    layer = tf.keras.layers.Dense(
        1,
        use_bias=False,
        kernel_initializer="ones",
        kernel_regularizer=tf.keras.regularizers.l2(wd),
    )
    layer.build((None, 1))
    optimizer = tf.keras.optimizers.SGD(learning_rate=lr)
    path = []
    for _ in range(3):
        with tf.GradientTape() as tape:
            penalty = tf.add_n(layer.losses)
        optimizer.apply_gradients(
            [(tape.gradient(penalty, layer.kernel), layer.kernel)]
        )
        path.append(round(float(layer.kernel[0, 0]), 4))
    return path


lr = 0.1
paths = {}
for factor in (0.5, 1.5, 2.5):  # 2*lr*wd
    paths[factor] = three_steps(lr, wd=factor / (2 * lr))
    print(f"2*lr*wd = {factor}: weight after 1, 2, 3 steps {paths[factor]}")

decays, flips, grows = paths[0.5], paths[1.5], paths[2.5]
assert all(0 < b < a for a, b in zip([1, *decays], decays)), (
    "below-1-decays: with 2*lr*wd = 0.5 the weight shrinks toward 0 and keeps"
    " its sign"
)
assert all(
    a * b < 0 and abs(b) < abs(a) for a, b in itertools.pairwise(flips)
), (
    "between-1-and-2-flips: with 2*lr*wd = 1.5 the weight changes sign at"
    " every step while its size shrinks"
)
assert all(abs(b) > abs(a) for a, b in zip([1, *grows], grows)), (
    "above-2-diverges: with 2*lr*wd = 2.5 the weight's size grows at every step"
)
