"""A Keras 3 `train_step` without `scale_loss` under `mixed_float16`.

The step of pitfall_train_step_loss_scale_broken.py and _fixed.py. `compile`
wraps the optimizer in a LossScaleOptimizer; Keras 3's optimizer divides the
gradient by the loss scale, which a step that never scaled its loss does not
undo. tf-keras applies the unscaled gradient as it is.

Check it:
  python -m weight_decay_checks check pitfall_train_step_loss_scale.py:broken
"""

import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
EXPECTED = {
    "broken": {
        "keras3": ["penalty_divided_by_loss_scale"],
        "tf-keras": ["penalty_once"],
    },
    "fixed": ["penalty_once"],
}


class Unscaled(tf.keras.Sequential):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


class Scaled(tf.keras.Sequential):  # as pitfall_train_step_loss_scale_fixed.py
    def train_step(self, data):
        x, y = data
        opt = self.optimizer
        scaling = not KERAS_3 and hasattr(opt, "get_scaled_loss")
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
            if KERAS_3:
                scaled = opt.scale_loss(loss)
            else:
                scaled = opt.get_scaled_loss(loss) if scaling else loss
        grads = tape.gradient(scaled, self.trainable_variables)
        if scaling:
            grads = opt.get_unscaled_gradients(grads)
        opt.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


def make(model_class):
    before = tf.keras.mixed_precision.global_policy()
    tf.keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        l2 = tf.keras.regularizers.l2(0.1)
        model = model_class([tf.keras.layers.Dense(1, kernel_regularizer=l2)])
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    finally:
        tf.keras.mixed_precision.set_global_policy(before)

    def step(batch):
        model.fit(*batch, batch_size=8, epochs=1, verbose=0)

    return model, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make(Unscaled)


def fixed():
    return make(Scaled)
