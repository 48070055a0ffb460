"""Activity penalties are produced by the forward pass, one call at a time,
and divided by the batch size.

Run: python activity_penalty_forward_pass.py
"""

import math

import tensorflow as tf

layer = tf.keras.layers.Dense(
    2,
    kernel_initializer="ones",
    # penalizes the layer's *outputs*, which exist only once it is called
    activity_regularizer=tf.keras.regularizers.l2(0.1),
)
layer.build((None, 3))
print("before any call:", layer.losses)  # outputs do not exist yet
assert layer.losses == [], (
    "none-before-a-call: a built layer with only an activity regularizer"
    " has no penalty term until it is called"
)

for batch_size in (4, 2):
    x = tf.fill((batch_size, 3), float(batch_size))  # a new batch each time
    out = layer(x)  # forward pass: the activity penalty is computed here
    expected = 0.1 * float(tf.reduce_sum(out**2)) / batch_size
    value = float(layer.losses[0])
    print(f"after a call on {batch_size} examples: {len(layer.losses)} term,")
    print(f"  value {value:.4f}, 0.1 * sum(out**2) / batch = {expected:.4f}")
    assert len(layer.losses) == 1, (
        "replaced-at-each-call: after each top-level call the layer holds"
        " exactly one activity term, that call's (replaced, not appended)"
    )
    # Both sides round a few float32 operations on values below 1e3.
    assert math.isclose(value, expected, rel_tol=1e-6), (
        "divided-by-batch: the activity term equals"
        " 0.1 * sum(out**2) / batch size for the call's own outputs"
    )
