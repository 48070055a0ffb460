"""Fixed: port the old `decay=` as a learning-rate schedule.
`InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)` gives the rate
lr / (1 + decay * t) at step t, the old optimizers' formula, under both
Kerases. Weight decay, if you also want it, is a separate choice.

Run: python snippets/pitfall_legacy_decay_fixed.py
"""

import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`


def rates(optimizer, steps=4):
    """The learning rate of each step: how far a gradient of 1 moves w."""
    w = tf.Variable([0.0])
    moved = []
    for _ in range(steps):
        before = float(w.numpy()[0])
        optimizer.apply_gradients([(tf.ones_like(w), w)])
        moved.append(before - float(w.numpy()[0]))
    return moved


schedule = tf.keras.optimizers.schedules.InverseTimeDecay(
    0.1, decay_steps=1, decay_rate=0.01
)
ported = rates(tf.keras.optimizers.SGD(learning_rate=schedule))
formula = [0.1 / (1 + 0.01 * t) for t in range(4)]
print("schedule:", " ".join(f"{r:.4f}" for r in ported))
print("formula: ", " ".join(f"{r:.4f}" for r in formula))

# Order-0.1 float32 values over 4 steps: roundings stay below 1e-7.
assert all(abs(a - b) < 1e-6 for a, b in zip(ported, formula)), (
    "schedule-matches-old-formula: InverseTimeDecay(0.1, 1, 0.01) gives the"
    " rate 0.1 / (1 + 0.01 t) at step t = 0, 1, 2, 3"
)
if not KERAS_3:  # only tf-keras still has the old optimizers
    old = rates(tf.keras.optimizers.legacy.SGD(learning_rate=0.1, decay=0.01))
    print("tf.keras.optimizers.legacy.SGD(decay=0.01):", end=" ")
    print(" ".join(f"{r:.4f}" for r in old))
    assert all(abs(a - b) < 1e-6 for a, b in zip(ported, old)), (
        "schedule-matches-legacy-optimizer: under tf-keras the schedule takes"
        " the steps of tf.keras.optimizers.legacy.SGD(decay=0.01)"
    )
