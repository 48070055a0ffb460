"""Keras' guide "Customizing what happens in fit()", with a regularizer.

https://keras.io/guides/custom_train_step_in_tensorflow/ (Keras 3) and
https://www.tensorflow.org/guide/keras/customizing_what_happens_in_fit
(tf-keras). The guide's first `train_step` gets its loss from Keras
(`compute_loss`, tf-keras: `compiled_loss(..., regularization_losses=
self.losses)`), which adds the penalties. Its "going lower-level" step
computes its own loss, `self.loss_fn(y, y_pred)`: fine for the guide's
model, which has no regularizer, and the penalty is missing on one that
has, unless the step adds `self.losses` itself (`lower_level_with_losses`).

Check it:
  python -m weight_decay_checks check guide_custom_train_step.py:lower_level
"""

import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
EXPECTED = {
    "compute_loss": ["penalty_once"],
    "lower_level": ["penalty_missing"],
    "lower_level_with_losses": ["penalty_once"],
}


class CustomModel(tf.keras.Sequential):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            if KERAS_3:
                loss = self.compute_loss(y=y, y_pred=y_pred)
            else:
                loss = self.compiled_loss(
                    y, y_pred, regularization_losses=self.losses
                )
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        return {"loss": loss}


class LowerLevel(tf.keras.Sequential):
    loss_fn = tf.keras.losses.MeanSquaredError()
    with_losses = False

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.loss_fn(y, y_pred)  # no self.losses
            if self.with_losses:  # ... unless it adds them itself
                loss += tf.add_n(self.losses)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        return {"loss": loss}


def make(model_class, **compile_args):
    l2 = tf.keras.regularizers.l2(0.01)
    model = model_class(
        [
            tf.keras.layers.Dense(8, activation="relu", kernel_regularizer=l2),
            tf.keras.layers.Dense(1, kernel_regularizer=l2),
        ]
    )
    model.compile(optimizer="adam", **compile_args)

    def step(batch):
        model.fit(*batch, batch_size=16, epochs=1, verbose=0)

    return model, step, (tf.random.normal((16, 32)), tf.random.normal((16, 1)))


def compute_loss():
    return make(CustomModel, loss="mse")


def lower_level():
    return make(LowerLevel)


class LowerLevelWithLosses(LowerLevel):
    with_losses = True


def lower_level_with_losses():
    return make(LowerLevelWithLosses)
