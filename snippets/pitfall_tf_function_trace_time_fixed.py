"""Fixed: regularizers are part of the model before any step is traced.

Give layers their regularizers when they are made. A traced step then holds
the term, and its *value* is recomputed at every call from the current
weights. Changing the model later needs a new `tf.function` (a new trace).

Run: python pitfall_tf_function_trace_time_fixed.py
"""

import tensorflow as tf

layer = tf.keras.layers.Dense(
    2,
    kernel_initializer="ones",
    kernel_regularizer=tf.keras.regularizers.l2(0.01),  # before tracing
)
layer.build((None, 3))


@tf.function
def traced_penalty():
    return sum(layer.losses) + tf.constant(0.0)


first = float(traced_penalty())
layer.kernel.assign(2 * layer.kernel)  # no retrace: same function
second = float(traced_penalty())
print(f"traced: {first:.4f}, after kernel.assign(2 * kernel): {second:.4f}")

assert abs(first - 0.06) < 1e-6, (
    "traced-holds-term: a term present at trace time is in the traced"
    " function: 0.01 * 6 ones = 0.06"
)
assert abs(second - 0.24) < 1e-6, (
    "traced-value-recomputed: the traced function recomputes the value from"
    " the current weights at each call: 4 times 0.06 after doubling them"
)
