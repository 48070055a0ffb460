"""Fix: choose one mechanism. Either an L2 penalty, or the optimizer's decoupled weight decay.

Run: python snippets/pitfall_double_decay_fixed.py
"""

import tensorflow as tf

lr, lam = 0.1, 0.5

# --8<-- [start:fixed]
# Either: the penalty in the loss (model.losses), and an optimizer without weight_decay ...
with_penalty = tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(lam / 2))
optimizer_plain = tf.keras.optimizers.SGD(learning_rate=lr)

# ... or no regularizer, and the optimizer decays the weights itself.
without_penalty = tf.keras.layers.Dense(1)
optimizer_decay = tf.keras.optimizers.SGD(learning_rate=lr, weight_decay=lam)
# --8<-- [end:fixed]

for layer, optimizer in [(with_penalty, optimizer_plain), (without_penalty, optimizer_decay)]:
    layer.build((None, 1))
    layer.kernel.assign([[1.0]])
    with tf.GradientTape() as tape:
        loss = 0.0 * tf.reduce_sum(layer(tf.ones((1, 1)))) + sum(layer.losses)
    optimizer.apply_gradients([(tape.gradient(loss, layer.kernel), layer.kernel)])
    print(f"kernel after one step: {float(layer.kernel[0, 0]):.4f}")
    assert abs(float(layer.kernel[0, 0]) - (1 - lr * lam)) < 1e-6  # one decay: 1 - lr*lam
