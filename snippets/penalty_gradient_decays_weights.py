"""The penalty reaches the weights through the gradient:
d/dW (wd * ||W||^2) = 2 * wd * W. With plain SGD one step is
W <- (1 - 2*lr*wd) * W - lr * dL/dW: the weights decay.

Run: python penalty_gradient_decays_weights.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
wd, lr = 0.05, 0.1
layer = tf.keras.layers.Dense(
    1, kernel_regularizer=tf.keras.regularizers.l2(wd)
)
layer.build((None, 3))
x, y = tf.random.normal((8, 3)), tf.random.normal((8, 1))
W = tf.identity(layer.kernel)  # the kernel before the step

with tf.GradientTape(persistent=True) as tape:
    data_loss = tf.reduce_mean((layer(x) - y) ** 2)
    penalty = tf.add_n(layer.losses)  # read inside the tape
    loss = data_loss + penalty
grad_penalty_W = tape.gradient(penalty, layer.kernel)
grad_data_W = tape.gradient(data_loss, layer.kernel)
grad_W, grad_b = tape.gradient(loss, [layer.kernel, layer.bias])

tf.keras.optimizers.SGD(learning_rate=lr).apply_gradients(
    [(grad_W, layer.kernel), (grad_b, layer.bias)]
)
decayed = (1 - 2 * lr * wd) * W - lr * grad_data_W
grad_error = float(tf.reduce_max(tf.abs(grad_penalty_W - 2 * wd * W)))
step_error = float(tf.reduce_max(tf.abs(layer.kernel - decayed)))
print("penalty gradient == 2 * wd * W:", grad_error < 1e-6)
print("SGD step == (1 - 2*lr*wd) * W - lr * dL/dW:", step_error < 1e-6)

# The values are of order 1 in float32 (spacing 1.2e-7): a few roundings
# stay below 1e-6; a wrong formula (a factor of 2 off) would be off by 1e-2.
assert grad_error < 1e-6, (
    "penalty-gradient-is-2-wd-w: the tape's gradient of the penalty is"
    " 2 * wd * W"
)
assert step_error < 1e-6, (
    "sgd-step-decays: Keras' SGD step equals (1 - 2*lr*wd) * W - lr * dL/dW"
)
