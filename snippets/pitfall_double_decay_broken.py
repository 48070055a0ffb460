"""Pitfall: an L2 penalty *and* optimizer `weight_decay` decay the weights twice.

Run: python snippets/pitfall_double_decay_broken.py
"""

import tensorflow as tf

lr, lam = 0.1, 0.5


def one_step(kernel_regularizer, weight_decay):
    """One SGD step on zero data loss, from a kernel of ones: only decay moves the weights."""
    layer = tf.keras.layers.Dense(
        1, use_bias=False, kernel_initializer="ones", kernel_regularizer=kernel_regularizer
    )
    layer.build((None, 1))
    optimizer = tf.keras.optimizers.SGD(learning_rate=lr, weight_decay=weight_decay)
    with tf.GradientTape() as tape:
        loss = 0.0 * tf.reduce_sum(layer(tf.ones((1, 1)))) + sum(layer.losses)
    optimizer.apply_gradients([(tape.gradient(loss, layer.kernel), layer.kernel)])
    return float(layer.kernel[0, 0])


# --8<-- [start:broken]
print(f"l2(lam/2) only:               {one_step(tf.keras.regularizers.l2(lam / 2), None):.4f}")
print(f"weight_decay=lam only:        {one_step(None, lam):.4f}")
both = one_step(tf.keras.regularizers.l2(lam / 2), lam)  # broken: both
print(f"both (decays twice):          {both:.4f}")
# --8<-- [end:broken]
assert abs(both - (1 - 2 * lr * lam)) < 1e-6  # each step takes off 2 * lr * lam, not lr * lam
