"""An overridden `train_step` that computes its own loss: no penalty.

The step of pitfall_train_step_own_loss_broken.py and _fixed.py.

Check it:
  python -m weight_decay_checks check pitfall_train_step_own_loss.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["penalty_missing"], "fixed": ["penalty_once"]}


class OwnLoss(tf.keras.Sequential):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(y - self(x, training=True)))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


class KerasLoss(tf.keras.Sequential):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)  # + penalties
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


def make(model_class):
    l2 = tf.keras.regularizers.l2(0.1)
    model = model_class([tf.keras.layers.Dense(1, kernel_regularizer=l2)])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")

    def step(batch):
        model.fit(*batch, batch_size=8, epochs=1, verbose=0)

    return model, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make(OwnLoss)


def fixed():
    return make(KerasLoss)
