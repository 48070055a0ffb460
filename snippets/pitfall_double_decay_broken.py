"""Pitfall: an L2 penalty *and* optimizer `weight_decay` decay the weights
twice.

Run: python pitfall_double_decay_broken.py
"""

import tensorflow as tf

lr, lam = 0.1, 0.5


def one_step(kernel_regularizer, weight_decay):
    """One SGD step from a kernel of ones, with no data loss: only decay
    moves the weight."""
    layer = tf.keras.layers.Dense(
        1,
        use_bias=False,
        kernel_initializer="ones",
        kernel_regularizer=kernel_regularizer,
    )
    layer.build((None, 1))
    optimizer = tf.keras.optimizers.SGD(
        learning_rate=lr, weight_decay=weight_decay
    )
    with tf.GradientTape() as tape:
        loss = 0.0 * tf.reduce_sum(layer.kernel) + sum(layer.losses)
    optimizer.apply_gradients(
        [(tape.gradient(loss, layer.kernel), layer.kernel)]
    )
    return float(layer.kernel[0, 0])


penalty_only = one_step(tf.keras.regularizers.l2(lam / 2), None)
decay_only = one_step(None, lam)
both = one_step(tf.keras.regularizers.l2(lam / 2), lam)  # broken: both
print(f"l2(lam/2) only:        {penalty_only:.4f}")
print(f"weight_decay=lam only: {decay_only:.4f}")
print(f"both (decays twice):   {both:.4f}")

# One step of order-1 float32 arithmetic: a few roundings, below 1e-6.
assert abs(both - (1 - 2 * lr * lam)) < 1e-6, (
    "both-decay-twice: with both, one step takes 2 * lr * lam off a weight"
    " of 1 (1 -> 0.9 here), twice what either mechanism takes alone"
)
