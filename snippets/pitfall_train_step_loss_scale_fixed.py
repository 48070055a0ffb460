"""Fixed: an overridden `train_step` scales the loss as Keras' own does.

Keras 3: `self.optimizer.scale_loss(loss)` before `tape.gradient`; the
`LossScaleOptimizer` that `compile` made under `mixed_float16` divides the
gradients by the scale in `apply_gradients`. Every Keras 3 optimizer
inherits `scale_loss` (unchanged loss without loss scaling), so the same
step is right under both policies run here. tf-keras has no `scale_loss`:
there the loss-scale optimizer's `get_scaled_loss` and
`get_unscaled_gradients` do it.

Run: python pitfall_train_step_loss_scale_fixed.py
"""

import numpy as np
import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`


class ScaledStep(tf.keras.Sequential):
    def train_step(self, data):
        x, y = data
        opt = self.optimizer
        scaling = not KERAS_3 and hasattr(opt, "get_scaled_loss")
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
            if KERAS_3:
                scaled = opt.scale_loss(loss)  # fixed: as Keras' own step
            else:
                scaled = opt.get_scaled_loss(loss) if scaling else loss
        grads = tape.gradient(scaled, self.trainable_variables)
        if scaling:
            grads = opt.get_unscaled_gradients(grads)
        opt.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


def one_step(policy):
    tf.keras.mixed_precision.set_global_policy(policy)
    net = ScaledStep(
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
    return float(net.layers[0].kernel[0, 0])


mixed, plain = one_step("mixed_float16"), one_step("float32")
print(f"kernel after one step, mixed_float16: {mixed:.7f}")
print(f"kernel after one step, float32:       {plain:.7f}")

assert abs(mixed - 0.98) < 1e-6 and abs(plain - 0.98) < 1e-6, (
    "scaled-step-decays: scaling the loss as Keras' own train_step does, the"
    " kernel decays to 1 - 0.1 * 2 * 0.1 = 0.98 under mixed_float16 and"
    " under float32 alike"
)
