"""Keras' decoupled weight decay uses the *scheduled* learning rate.

Each step subtracts `variable * weight_decay * learning_rate`, with the
learning rate of that step: a schedule scales the decay too. So Keras'
`weight_decay` is the paper's decay rate divided by the base learning rate.

Run: python decoupled_decay_follows_schedule.py
"""

import math

import tensorflow as tf

schedule = tf.keras.optimizers.schedules.PiecewiseConstantDecay(
    boundaries=[1],
    values=[0.1, 0.01],  # 0.1 for two steps, then 0.01
)
optimizer = tf.keras.optimizers.SGD(learning_rate=schedule, weight_decay=0.5)
weight = tf.Variable([1.0])
path = []
for _ in range(3):
    optimizer.apply_gradients([(tf.zeros(1), weight)])  # only the decay acts
    path.append(float(weight[0]))
print("weight after 1, 2, 3 steps:", [round(w, 5) for w in path])

expected = [
    1 - 0.5 * 0.1,
    (1 - 0.5 * 0.1) ** 2,
    (1 - 0.5 * 0.1) ** 2 * (1 - 0.5 * 0.01),
]
# Three float32 multiplications of numbers below 1: relative error < 1e-6.
assert all(math.isclose(a, b, rel_tol=1e-6) for a, b in zip(path, expected)), (
    "decay-uses-scheduled-lr: with weight_decay=0.5 the weight is multiplied"
    " by 1 - 0.5 * lr of each step: 0.95 twice at lr 0.1, then 0.995 at"
    " lr 0.01"
)
