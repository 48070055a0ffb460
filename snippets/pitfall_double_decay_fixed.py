"""Fix: choose one mechanism: an L2 penalty, or the optimizer's decoupled
weight decay. For plain SGD, `l2(lam / 2)` and `weight_decay=lam` take the
same step.

Run: python pitfall_double_decay_fixed.py
"""

import tensorflow as tf

lr, lam = 0.1, 0.5

# Either: the penalty in the loss, and an optimizer without weight_decay ...
with_penalty = tf.keras.layers.Dense(
    1, use_bias=False, kernel_regularizer=tf.keras.regularizers.l2(lam / 2)
)
optimizer_plain = tf.keras.optimizers.SGD(learning_rate=lr)
# ... or no regularizer, and the optimizer decays the weights itself.
without_penalty = tf.keras.layers.Dense(1, use_bias=False)
optimizer_decay = tf.keras.optimizers.SGD(learning_rate=lr, weight_decay=lam)

after = []
for layer, optimizer in [
    (with_penalty, optimizer_plain),
    (without_penalty, optimizer_decay),
]:
    layer.build((None, 1))
    layer.kernel.assign([[1.0]])
    with tf.GradientTape() as tape:  # no data loss: only decay moves it
        loss = 0.0 * tf.reduce_sum(layer.kernel) + sum(layer.losses)
    grad = tape.gradient(loss, layer.kernel)
    optimizer.apply_gradients([(grad, layer.kernel)])
    after.append(float(layer.kernel[0, 0]))
    print(f"kernel after one step: {after[-1]:.4f}")

# One step of order-1 float32 arithmetic: a few roundings, below 1e-6.
assert all(abs(w - (1 - lr * lam)) < 1e-6 for w in after), (
    "one-decay-either-way: `l2(lam / 2)` alone and `weight_decay=lam` alone"
    " each take lr * lam off a weight of 1 (1 -> 0.95 here)"
)
