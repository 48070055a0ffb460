"""The penalty reaches the weights through the gradient: d/dW (wd * ||W||^2) = 2 * wd * W.

With plain SGD the update is W <- (1 - 2 * lr * wd) * W - lr * dL/dW: the weights decay.

Run: python snippets/penalty_gradient_decays_weights.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)

# --8<-- [start:demo]
wd, lr = 0.05, 0.1
atol = 1e-6  # the values are O(1) in float32 (spacing 1.2e-7): a few roundings, never a wrong formula
layer = tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(wd))
layer.build((None, 3))
x, y = tf.random.normal((8, 3)), tf.random.normal((8, 1))
W = tf.identity(layer.kernel)  # the kernel before the step

with tf.GradientTape(persistent=True) as tape:
    data_loss = tf.reduce_mean((layer(x) - y) ** 2)
    penalty = tf.add_n(layer.losses)  # read inside the tape
    loss = data_loss + penalty
grad_penalty_W, grad_penalty_b = tape.gradient(penalty, [layer.kernel, layer.bias])
grad_data_W = tape.gradient(data_loss, layer.kernel)
grad_W = tape.gradient(loss, layer.kernel)

print("penalty gradient == 2 * wd * W:", bool(tf.reduce_all(tf.abs(grad_penalty_W - 2 * wd * W) < atol)))
print("penalty gradient of the bias:", grad_penalty_b)  # no bias_regularizer: not penalized

tf.keras.optimizers.SGD(learning_rate=lr).apply_gradients([(grad_W, layer.kernel)])
decayed = (1 - 2 * lr * wd) * W - lr * grad_data_W
print(
    "SGD step == (1 - 2*lr*wd) * W - lr * dL/dW:", bool(tf.reduce_all(tf.abs(layer.kernel - decayed) < atol))
)
# --8<-- [end:demo]
