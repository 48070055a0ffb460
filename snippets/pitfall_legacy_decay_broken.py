"""Broken: old optimizer code passes `decay=`, a learning-rate decay (the rate
at step t is lr / (1 + decay * t)). Keras 3 ignores it with a warning and
trains at a constant rate; tf-keras refuses it with ValueError. Renaming it to
`weight_decay=` runs under both and means something else: it shrinks the
weights, and the learning rate stays constant.

Each optimizer below moves a variable with a gradient of 1, so the variable
moves by the learning rate of each step.

Run: python snippets/pitfall_legacy_decay_broken.py
"""

import warnings

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


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        legacy = tf.keras.optimizers.SGD(learning_rate=0.1, decay=0.01)
        outcome = "rates " + " ".join(f"{r:.4f}" for r in rates(legacy))
    except ValueError:
        outcome = "ValueError"
warned = [str(w.message) for w in caught if "decay" in str(w.message)]
print("SGD(learning_rate=0.1, decay=0.01):", outcome)
print("warning:", warned[0] if warned else "none")

# The rename: with zero gradients the weights still shrink, by lr * 0.01.
renamed = tf.keras.optimizers.SGD(learning_rate=0.1, weight_decay=0.01)
w = tf.Variable([1.0])
for _ in range(4):
    renamed.apply_gradients([(tf.zeros_like(w), w)])
shrunk = float(w.numpy()[0])
print(f"SGD(weight_decay=0.01), zero gradients, 4 steps: w = {shrunk:.6f}")

if KERAS_3:
    # Order-0.1 float32 values over 4 steps: roundings stay below 1e-7.
    assert outcome == "rates 0.1000 0.1000 0.1000 0.1000" and warned, (
        "keras3-ignores-decay: Keras 3 accepts decay=0.01 with a warning and"
        " every step keeps the full learning rate 0.1"
    )
else:
    assert outcome == "ValueError", (
        "tf-keras-refuses-decay: tf-keras' SGD raises ValueError on decay="
    )
# 0.999 ** 4 in float32: four roundings of numbers near 1, below 1e-6.
assert abs(shrunk - 0.999**4) < 1e-6, (
    "rename-shrinks-weights: weight_decay=0.01 multiplies the weights by"
    " 1 - 0.1 * 0.01 at every step, with no gradient at all"
)
