"""Pitfall: an overridden `train_step` under mixed precision (Keras 3).

Under the `mixed_float16` policy, `compile` wraps the optimizer in a
`LossScaleOptimizer`. Keras 3's own `train_step` multiplies the loss by the
loss scale (`self.optimizer.scale_loss(loss)`) before taking gradients, and
the wrapper's `apply_gradients` divides the gradients by it. A `train_step`
that takes its loss from `self.compute_loss` but skips `scale_loss` hands
unscaled gradients to an optimizer that still divides them: every gradient,
the penalty's included, shrinks by the scale (32768 at first) and the
weights barely move. tf-keras has no `scale_loss`: its `LossScaleOptimizer`
applies unscaled gradients as they are, and warns.

The data gradient is zero (inputs and targets are zero): only l2(0.1) moves
the kernel of ones, to 1 - 0.1 * 2 * 0.1 = 0.98 after one SGD step.

Run: python pitfall_train_step_loss_scale_broken.py
"""

import numpy as np
import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
tf.keras.mixed_precision.set_global_policy("mixed_float16")


class NoLossScaling(tf.keras.Sequential):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
        grads = tape.gradient(loss, self.trainable_variables)  # not scaled
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


def one_step(model_class):
    """The kernel after one `fit` step, and the optimizer `compile` made."""
    net = model_class(
        [
            tf.keras.layers.Dense(
                1,
                use_bias=False,
                kernel_initializer="ones",
                kernel_regularizer=tf.keras.regularizers.l2(0.1),
            )
        ]
    )
    net.compile(
        optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss="mse"
    )
    x, y = np.zeros((4, 2), "float32"), np.zeros((4, 1), "float32")
    net.fit(x, y, batch_size=4, epochs=1, verbose=0)
    return float(net.layers[0].kernel[0, 0]), type(net.optimizer).__name__


keras_own, optimizer = one_step(tf.keras.Sequential)
overridden, _ = one_step(NoLossScaling)
print(f"the optimizer compile made: {optimizer}")
print(f"Keras' own train_step:      {keras_own:.7f}")
print(f"train_step without scaling: {overridden:.7f}")

assert abs(keras_own - 0.98) < 1e-6 and "LossScale" in optimizer, (
    "own-step-scales: under mixed_float16, compile wraps the optimizer in a"
    " LossScaleOptimizer and Keras' own train_step decays the kernel to 0.98"
)
if KERAS_3:
    assert abs(overridden - (1 - 0.02 / 32768)) < 1e-7, (
        "unscaled-step-divided-by-scale: in Keras 3 a train_step without"
        " `scale_loss` gets its gradient divided by the loss scale 32768:"
        " the kernel moves from 1 to 1 - 0.02 / 32768 = 0.9999994"
    )
else:
    assert abs(overridden - 0.98) < 1e-6, (
        "tf-keras-applies-unscaled: tf-keras' LossScaleOptimizer applies the"
        " unscaled gradient as it is (and warns): 0.98"
    )
