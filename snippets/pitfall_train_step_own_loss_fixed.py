"""Fixed: an overridden `train_step` gets its loss from `self.compute_loss`.

`compute_loss` is the loss `compile` configured plus every entry of
`self.losses` (Keras 3: `Trainer.compute_loss`; tf-keras: `Model.compute_loss`,
which passes `regularization_losses=self.losses` to `compiled_loss`).

Run: python pitfall_train_step_own_loss_fixed.py
"""

import numpy as np
import tensorflow as tf


class KerasLoss(tf.keras.Sequential):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)  # + self.losses
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


net = KerasLoss(
    [
        tf.keras.layers.Dense(
            1,
            use_bias=False,
            kernel_initializer="ones",
            kernel_regularizer=tf.keras.regularizers.l2(0.1),
        )
    ]
)
net.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss="mse")
x, y = np.zeros((4, 2), "float32"), np.zeros((4, 1), "float32")
net.fit(x, y, batch_size=4, epochs=1, verbose=0)
kernel = float(net.layers[0].kernel[0, 0])
print(f"kernel after one step, compute_loss: {kernel:.4f}")

assert abs(kernel - 0.98) < 1e-6, (
    "compute-loss-keeps-penalty: with self.compute_loss the kernel decays"
    " exactly as under Keras' own train_step: 1 - 0.1 * 2 * 0.1 = 0.98"
)
