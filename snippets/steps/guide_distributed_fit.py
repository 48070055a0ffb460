"""Keras' guide "Multi-GPU distributed training with TensorFlow", on CPUs.

https://keras.io/guides/distributed_training_with_tensorflow/
`fit` under `MirroredStrategy`, the model and its regularizers made in
`strategy.scope()`: Keras scales the penalty (Keras 3 from 3.8).
Two replicas: the process needs two logical CPU devices (the suite sets
them up; so does `python -m weight_decay_checks check --cpus 2`).

Check it:
  python -m weight_decay_checks check --cpus 2 guide_distributed_fit.py:fit
"""

import tensorflow as tf

EXPECTED = {"fit": ["penalty_once"]}


def fit():
    strategy = tf.distribute.MirroredStrategy([f"/cpu:{i}" for i in range(2)])
    with strategy.scope():
        l2 = tf.keras.regularizers.l2(0.01)
        inputs = tf.keras.Input(shape=(784,))
        x = tf.keras.layers.Dense(
            256, activation="relu", kernel_regularizer=l2
        )(inputs)
        outputs = tf.keras.layers.Dense(10, kernel_regularizer=l2)(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(
            optimizer=tf.keras.optimizers.Adam(),
            loss=tf.keras.losses.SparseCategoricalCrossentropy(
                from_logits=True
            ),
        )

    def step(batch):
        model.fit(*batch, batch_size=16, epochs=1, verbose=0)

    x = tf.random.normal((16, 784))
    y = tf.random.uniform((16,), maxval=10, dtype=tf.int32)
    return model, step, (x, y)
