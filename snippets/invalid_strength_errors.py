"""What each Keras does with a negative or non-finite regularization strength.

Keras 3 rejects negative, NaN and infinite values; tf-keras rejects NaN and infinity but accepts
a negative strength (which would *reward* large weights). The tutorial's train functions reject
all three themselves, naming the argument.

Run: python snippets/invalid_strength_errors.py
"""

import tensorflow as tf

# --8<-- [start:demo]
for value in (-1.0, float("nan"), float("inf")):
    try:
        tf.keras.regularizers.l2(value)
        print(f"l2({value}): accepted")
    except ValueError:
        print(f"l2({value}): ValueError")
# --8<-- [end:demo]
