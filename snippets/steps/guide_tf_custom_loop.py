"""Keras' guide "Writing a training loop from scratch in TensorFlow".

https://keras.io/guides/writing_a_custom_training_loop_in_tensorflow/
Its traced `train_step` adds `sum(model.losses)` inside the tape, as the
guide's section on losses created in the forward pass shows.

Check it:
  python -m weight_decay_checks check guide_tf_custom_loop.py:train_step
"""

import tensorflow as tf

EXPECTED = {"train_step": ["penalty_once"]}


def train_step():
    l2 = tf.keras.regularizers.l2(1e-3)
    inputs = tf.keras.Input(shape=(784,), name="digits")
    x1 = tf.keras.layers.Dense(64, activation="relu", kernel_regularizer=l2)(
        inputs
    )
    x2 = tf.keras.layers.Dense(64, activation="relu", kernel_regularizer=l2)(x1)
    outputs = tf.keras.layers.Dense(10, name="predictions")(x2)
    model = tf.keras.Model(inputs=inputs, outputs=outputs)
    optimizer = tf.keras.optimizers.SGD(learning_rate=1e-3)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def step(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss_value = loss_fn(y, logits)
            # Add any extra losses created during the forward pass.
            loss_value += sum(model.losses)
        grads = tape.gradient(loss_value, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        return loss_value

    x = tf.random.normal((64, 784))
    y = tf.random.uniform((64,), maxval=10, dtype=tf.int32)
    return model, step, (x, y)
