"""Fixed: scale the whole loss, penalty included.

With the penalty inside the scaled loss, scaling and unscaling cancel and
the step is the plain SGD step: the kernel decays by 2 * lr * wd.

Run: python pitfall_loss_scale_penalty_fixed.py
"""

import numpy as np
import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`


def scaled(optimizer, loss):  # Keras 3: scale_loss; tf-keras: get_scaled_loss
    if KERAS_3:
        return optimizer.scale_loss(loss)
    return optimizer.get_scaled_loss(loss)


def unscaled(optimizer, grads):  # Keras 3's apply_gradients unscales itself
    return grads if KERAS_3 else optimizer.get_unscaled_gradients(grads)


layer = tf.keras.layers.Dense(
    1,
    use_bias=False,
    kernel_initializer="ones",
    kernel_regularizer=tf.keras.regularizers.l2(0.1),
    dtype="mixed_float16",
)
layer.build((None, 2))
sgd = tf.keras.optimizers.SGD(learning_rate=0.1)
optimizer = tf.keras.mixed_precision.LossScaleOptimizer(sgd)
x, y = np.zeros((4, 2), "float32"), np.zeros((4, 1), "float32")

with tf.GradientTape() as tape:
    data_loss = tf.reduce_mean((tf.cast(layer(x), tf.float32) - y) ** 2)
    penalty = tf.add_n(layer.losses)
    loss = scaled(optimizer, data_loss + penalty)  # fixed: the whole loss
grads = unscaled(optimizer, tape.gradient(loss, [layer.kernel]))
optimizer.apply_gradients(zip(grads, [layer.kernel]))
kernel = float(layer.kernel[0, 0])
print(f"kernel after one step: {kernel:.7f}")

assert abs(kernel - 0.98) < 1e-6, (
    "penalty-inside-scale: scaled with the data loss, the penalty decays the"
    " kernel exactly as without loss scaling: 1 - 0.1 * 2 * 0.1 = 0.98"
)
