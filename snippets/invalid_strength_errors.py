"""What each Keras does with a negative or non-finite regularization strength.

Keras 3 rejects negative, NaN and infinite values; tf-keras rejects NaN and
infinity but accepts a negative strength (which would *reward* large
weights). The tutorial's train functions reject all three themselves.

Run: python invalid_strength_errors.py
"""

import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`

accepted = []
for value in (-1.0, float("nan"), float("inf")):
    try:
        tf.keras.regularizers.l2(value)
        print(f"l2({value}): accepted")
        accepted.append(value)
    except ValueError:
        print(f"l2({value}): ValueError")

assert accepted == ([] if KERAS_3 else [-1.0]), (
    "invalid-strengths: Keras 3 raises ValueError for l2(-1), l2(nan) and"
    " l2(inf); tf-keras raises for nan and inf but accepts -1"
)
