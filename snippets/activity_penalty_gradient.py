"""A weight penalty's gradient reaches only its own weight; an activity
penalty's gradient reaches everything that produced the outputs: the layer's
bias and kernel, and the layers before it.

Run: python activity_penalty_gradient.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
x = tf.random.normal((4, 3))
l2 = tf.keras.regularizers.l2(0.1)


def gradients_of_penalty(penalized):
    """Gradient of the layer's penalty for its bias and an upstream kernel."""
    upstream = tf.keras.layers.Dense(3)
    with tf.GradientTape() as tape:
        penalized(upstream(x))  # builds both layers, makes activity terms
        penalty = tf.add_n(penalized.losses)
    return tape.gradient(penalty, [penalized.bias, upstream.kernel])


weight_grads = gradients_of_penalty(
    tf.keras.layers.Dense(2, kernel_regularizer=l2)
)
activity_grads = gradients_of_penalty(
    tf.keras.layers.Dense(2, activity_regularizer=l2)
)
print("kernel_regularizer:   bias, upstream kernel ->", weight_grads)
print(
    "activity_regularizer: bias, upstream kernel -> nonzero:",
    [bool(tf.reduce_any(g != 0)) for g in activity_grads],
)

assert weight_grads == [None, None], (
    "weight-penalty-own-weight-only: a kernel penalty sends no gradient to"
    " the bias or to the layers before it"
)
assert all(bool(tf.reduce_any(g != 0)) for g in activity_grads), (
    "activity-penalty-reaches-bias-and-upstream: an activity penalty sends"
    " gradient to the layer's bias and to the upstream layer's kernel"
)
