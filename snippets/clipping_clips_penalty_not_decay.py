"""Gradient clipping clips the penalty's gradient, not decoupled decay.

Keras clips the gradients first, then applies `weight_decay` to the weights.
So with `clipnorm`, an L2 penalty and the equivalent decoupled decay (which
agree for plain SGD without clipping) take different steps.

Run: python clipping_clips_penalty_not_decay.py
"""

import math

import tensorflow as tf

lr, w0 = 0.1, 10.0


def one_step(regularizer, weight_decay):
    """One SGD step with clipnorm=1 from a weight of 10, no data loss."""
    layer = tf.keras.layers.Dense(
        1,
        use_bias=False,
        kernel_initializer=tf.keras.initializers.Constant(w0),
        kernel_regularizer=regularizer,
    )
    layer.build((None, 1))
    optimizer = tf.keras.optimizers.SGD(
        learning_rate=lr, clipnorm=1.0, weight_decay=weight_decay
    )
    with tf.GradientTape() as tape:
        loss = 0.0 * tf.reduce_sum(layer.kernel) + sum(layer.losses)
    optimizer.apply_gradients(
        [(tape.gradient(loss, layer.kernel), layer.kernel)]
    )
    return float(layer.kernel[0, 0])


# Without clipping both would give 10 - lr * 1.0 * 10 = 9.0.
penalty = one_step(tf.keras.regularizers.l2(0.5), None)  # gradient 10 -> 1
decay = one_step(None, 1.0)  # not a gradient: not clipped
print(f"l2(0.5), clipnorm=1:        {penalty:.4f}")
print(f"weight_decay=1, clipnorm=1: {decay:.4f}")

# Order-10 float32 values: a few roundings stay below 1e-5.
assert math.isclose(penalty, w0 - lr * 1.0, abs_tol=1e-5), (
    "penalty-gradient-clipped: with clipnorm=1 the penalty's gradient"
    " 2 * 0.5 * 10 = 10 is clipped to 1, so the weight moves only 10 -> 9.9"
)
assert math.isclose(decay, w0 * (1 - lr * 1.0), abs_tol=1e-5), (
    "decay-not-clipped: decoupled decay is applied after clipping, in full:"
    " 10 -> 9.0"
)
