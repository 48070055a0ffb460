"""Pitfall: a loss-scaled mixed-precision step with the penalty added after
scaling.

A LossScaleOptimizer multiplies the loss by a large scale (32768 at first)
so that float16 gradients do not underflow, and divides the gradients by it
again. A penalty added *after* scaling is divided too: its gradient is 32768
times too small, and the weights barely decay. No error, no warning.

Run: python pitfall_loss_scale_penalty_broken.py
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
    loss = scaled(optimizer, data_loss) + penalty  # broken: penalty unscaled
grads = unscaled(optimizer, tape.gradient(loss, [layer.kernel]))
optimizer.apply_gradients(zip(grads, [layer.kernel]))
kernel = float(layer.kernel[0, 0])
scale = float(optimizer.initial_scale)
print(f"loss scale {scale:.0f}; kernel after one step: {kernel:.7f}")

expected = 1 - 0.1 * 2 * 0.1 / scale  # the penalty's step, divided by the scale
assert abs(kernel - expected) < 1e-7 and kernel > 0.9999, (
    "penalty-divided-by-scale: added after scaling, the penalty's step is"
    " divided by the loss scale: the kernel stays at 0.9999994, not 0.98"
)
