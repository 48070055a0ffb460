"""Pitfall: a regularizer attached after a `tf.function` step was traced.

A traced function reads `layer.losses` once, while it is traced: the *set* of
penalty terms is fixed then. A term added later is missing from every later
call of that function, with no error; eager code sees it.

Run: python pitfall_tf_function_trace_time_broken.py
"""

import tensorflow as tf

layer = tf.keras.layers.Dense(2, kernel_initializer="ones")
layer.build((None, 3))


@tf.function
def traced_penalty():
    return sum(layer.losses) + tf.constant(0.0)  # 0.0 while there is none


traced_penalty()  # traced now, with no penalty term

# Attach l2(0.01) to the built kernel: each Keras has its own way.
l2 = tf.keras.regularizers.l2(0.01)
if hasattr(layer.kernel, "regularizer"):  # Keras 3: the variable's regularizer
    layer.kernel.regularizer = l2
else:  # tf-keras: a zero-argument callable passed to add_loss
    layer.add_loss(lambda: l2(layer.kernel))

eager, traced = float(sum(layer.losses)), float(traced_penalty())
print(f"eager: {eager:.4f}, traced before the regularizer: {traced:.4f}")

assert abs(eager - 0.06) < 1e-6, (
    "eager-sees-new-term: eager code reads the new term: 0.01 * 6 ones = 0.06"
)
assert traced == 0.0, (
    "traced-misses-new-term: the function traced before the regularizer"
    " existed still returns 0.0: its set of terms was fixed at trace time"
)
