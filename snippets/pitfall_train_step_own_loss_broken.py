"""Pitfall: an overridden `train_step` that computes its own loss.

`fit` adds the penalty only where the loss is computed by Keras
(`self.compute_loss`). A `train_step` that writes its own loss drops every
entry of `self.losses`, with no error: the weights no longer decay.

Run: python pitfall_train_step_own_loss_broken.py
"""

import numpy as np
import tensorflow as tf


class OwnLoss(tf.keras.Sequential):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = tf.reduce_mean(tf.square(y - y_pred))  # broken: no penalty
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


def one_step_of_fit(model_class):
    """One step of `fit` where the data gradient is zero: only the penalty
    (l2(0.1), so a gradient of 0.2 w) can move the kernel of ones."""
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
    return float(net.layers[0].kernel[0, 0])


default, own = one_step_of_fit(tf.keras.Sequential), one_step_of_fit(OwnLoss)
print(f"kernel after one step, Keras' train_step: {default:.4f}")
print(f"kernel after one step, own loss:          {own:.4f}")

assert abs(default - 0.98) < 1e-6, (
    "default-train-step-decays: Keras' own train_step applies the penalty:"
    " 1 - 0.1 * 2 * 0.1 = 0.98"
)
assert own == 1.0, (
    "own-loss-drops-penalty: a train_step that computes its own loss leaves"
    " the kernel untouched: the penalty is silently gone"
)
