"""Penalties added to a built model with `add_loss(lambda: ...)` in a loop.

The steps of pitfall_add_loss_closure_broken.py and _fixed.py. In tf-keras
every lambda reads the loop's last layer, and the check passes the step: the
penalty `model.losses` holds reaches the optimizer once, and the check cannot
know that the author meant one per layer (its table shows the last kernel
alone penalized). Keras 3 raises NotImplementedError when `add_loss` is given
a function (in the factory). The fixed step clones the model with
regularizers.

Check it:
  python -m weight_decay_checks check pitfall_add_loss_closure.py:broken
"""

import tensorflow as tf

EXPECTED = {
    "broken": {
        "keras3": ["raises NotImplementedError"],
        "tf-keras": ["penalty_once"],
    },
    "fixed": ["penalty_once"],
}
l2 = tf.keras.regularizers.l2(0.01)


def built_model():
    inputs = tf.keras.Input((3,))
    hidden = tf.keras.layers.Dense(4)(inputs)
    return tf.keras.Model(inputs, tf.keras.layers.Dense(1)(hidden))


def with_l2(layer):
    config = layer.get_config()
    if isinstance(layer, tf.keras.layers.Dense):
        config["kernel_regularizer"] = l2
    return layer.__class__.from_config(config)


def make(clone):
    model = built_model()
    if clone:
        weights = model.get_weights()
        model = tf.keras.models.clone_model(model, clone_function=with_l2)
        model.set_weights(weights)
    else:
        for layer in model.layers[1:]:
            model.add_loss(lambda: l2(layer.kernel))  # noqa: B023 (the bug)
    mse, sgd = tf.keras.losses.MeanSquaredError(), tf.keras.optimizers.SGD(0.1)

    def step(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            loss = mse(y, model(x)) + tf.add_n(model.losses)
        grads = tape.gradient(loss, model.trainable_variables)
        sgd.apply_gradients(zip(grads, model.trainable_variables))

    return model, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make(clone=False)


def fixed():
    return make(clone=True)
