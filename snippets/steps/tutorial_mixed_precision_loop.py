"""TensorFlow's guide "Mixed precision": the custom training loop.

https://www.tensorflow.org/guide/mixed_precision
Under `mixed_float16` the loss is scaled before the gradient and the
gradients unscaled before they are applied (Keras 3:
`optimizer.scale_loss`, and `apply` unscales; tf-keras: `get_scaled_loss`
and `get_unscaled_gradients`). Here the loss includes the penalty, so it
is scaled and unscaled with it.

Check it:
  python -m weight_decay_checks check tutorial_mixed_precision_loop.py:loop
"""

import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
EXPECTED = {"loop": ["penalty_once"]}


def loop():
    before = tf.keras.mixed_precision.global_policy()
    tf.keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        l2 = tf.keras.regularizers.l2(1e-3)
        inputs = tf.keras.Input(shape=(784,))
        x = tf.keras.layers.Dense(64, "relu", kernel_regularizer=l2)(inputs)
        x = tf.keras.layers.Dense(10, kernel_regularizer=l2)(x)
        outputs = tf.keras.layers.Activation("softmax", dtype="float32")(x)
        model = tf.keras.Model(inputs=inputs, outputs=outputs)
    finally:
        tf.keras.mixed_precision.set_global_policy(before)
    optimizer = tf.keras.mixed_precision.LossScaleOptimizer(
        tf.keras.optimizers.RMSprop()
    )
    loss_object = tf.keras.losses.SparseCategoricalCrossentropy()

    @tf.function
    def train_step(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            predictions = model(x)
            loss = loss_object(y, predictions) + tf.add_n(model.losses)
            if KERAS_3:
                scaled_loss = optimizer.scale_loss(loss)
            else:
                scaled_loss = optimizer.get_scaled_loss(loss)
        scaled_gradients = tape.gradient(scaled_loss, model.trainable_variables)
        if KERAS_3:  # apply unscales
            gradients = scaled_gradients
        else:
            gradients = optimizer.get_unscaled_gradients(scaled_gradients)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    x = tf.random.normal((32, 784))
    y = tf.random.uniform((32,), maxval=10, dtype=tf.int32)
    return model, train_step, (x, y)
