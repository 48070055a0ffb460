"""Pitfall: a regularizer attached after a `tf.function` step was traced.

A traced function reads `layer.losses` while it is traced: the *set* of
penalty terms is fixed in that trace. A `tf.function` traces again for each
new input signature (here, each new batch shape), so a term added later
shows up in the traces made after it and is missing from the earlier ones,
with no error: the same function, called on batches of different sizes,
sometimes penalizes and sometimes not. Eager code sees the term at once.

Run: python pitfall_tf_function_trace_time_broken.py
"""

import tensorflow as tf

layer = tf.keras.layers.Dense(2, kernel_initializer="ones")
layer.build((None, 3))


@tf.function
def traced_penalty(x):
    layer(x)  # the forward pass of a training step
    return sum(layer.losses) + tf.constant(0.0)  # 0.0 while there is none


before = float(traced_penalty(tf.ones((4, 3))))  # traced for batches of 4

# Attach l2(0.01) to the built kernel: each Keras has its own way.
l2 = tf.keras.regularizers.l2(0.01)
if hasattr(layer.kernel, "regularizer"):  # Keras 3: the variable's regularizer
    layer.kernel.regularizer = l2
else:  # tf-keras: a zero-argument callable passed to add_loss
    layer.add_loss(lambda: l2(layer.kernel))

eager = float(sum(layer.losses))
batch_of_4 = float(traced_penalty(tf.ones((4, 3))))  # the old trace
batch_of_1 = float(traced_penalty(tf.ones((1, 3))))  # a new trace
batch_of_4_again = float(traced_penalty(tf.ones((4, 3))))
print(f"eager: {eager:.4f}")
print(f"traced, before the regularizer, batch of 4: {before:.4f}")
print(f"traced, after it: batch of 4 {batch_of_4:.4f},", end=" ")
print(f"batch of 1 {batch_of_1:.4f}, batch of 4 {batch_of_4_again:.4f}")

assert abs(eager - 0.06) < 1e-6, (
    "eager-sees-new-term: eager code reads the new term: 0.01 * 6 ones = 0.06"
)
assert batch_of_4 == batch_of_4_again == 0.0, (
    "traced-misses-new-term: the trace made before the regularizer existed"
    " (batches of 4) still returns 0.0: its set of terms was fixed then"
)
assert abs(batch_of_1 - 0.06) < 1e-6, (
    "new-shape-new-trace: a batch of another shape makes a new trace, which"
    " does hold the term: 0.06"
)
