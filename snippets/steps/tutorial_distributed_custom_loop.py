"""TensorFlow's tutorial "Custom training with tf.distribute.Strategy".

https://www.tensorflow.org/tutorials/distribute/custom_training
The per-example loss is averaged over the global batch
(`tf.nn.compute_average_loss`) and the penalty divided by the number of
replicas (`tf.nn.scale_regularization_loss`), so the replicas' summed
gradients hold it once. `unscaled` adds `tf.add_n(model.losses)` as a
single-device loop would: every replica adds it whole.

Check it:
  python -m weight_decay_checks check --cpus 2 \
    tutorial_distributed_custom_loop.py:unscaled
"""

import tensorflow as tf

EXPECTED = {"as_in_tutorial": ["penalty_once"], "unscaled": ["penalty_times_n"]}
GLOBAL_BATCH_SIZE = 16


def make(scale_penalty):
    strategy = tf.distribute.MirroredStrategy([f"/cpu:{i}" for i in range(2)])
    with strategy.scope():
        l2 = tf.keras.regularizers.l2(1e-3)
        model = tf.keras.Sequential(
            [
                tf.keras.layers.Dense(32, "relu", kernel_regularizer=l2),
                tf.keras.layers.Dense(10, kernel_regularizer=l2),
            ]
        )
        model.build((None, 28 * 28))
        optimizer = tf.keras.optimizers.Adam()
        # Built here: Keras 3.15's Adam, built by its first apply inside
        # the traced strategy.run, fails on CPU devices (InvalidArgumentError).
        optimizer.build(model.trainable_variables)
        loss_object = tf.keras.losses.SparseCategoricalCrossentropy(
            from_logits=True, reduction="none"
        )

    def compute_loss(labels, predictions, model_losses):
        per_example_loss = loss_object(labels, predictions)
        loss = tf.nn.compute_average_loss(
            per_example_loss, global_batch_size=GLOBAL_BATCH_SIZE
        )
        if model_losses:
            penalty = tf.add_n(model_losses)
            if scale_penalty:
                penalty = tf.nn.scale_regularization_loss(penalty)
            loss += penalty
        return loss

    def train_step(inputs):
        images, labels = inputs
        with tf.GradientTape() as tape:
            predictions = model(images, training=True)
            loss = compute_loss(labels, predictions, model.losses)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    @tf.function
    def distributed_train_step(dataset_inputs):
        per_replica_losses = strategy.run(train_step, args=(dataset_inputs,))
        return strategy.reduce(
            tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None
        )

    def train_epoch(batch):  # the tutorial's epoch loop, over one batch
        dataset = tf.data.Dataset.from_tensor_slices(batch).batch(
            GLOBAL_BATCH_SIZE
        )
        # One global batch: `next`, not the tutorial's `for` loop, whose
        # end-of-data check after an eager step stalled for seconds at times.
        distributed_train_step(
            next(iter(strategy.experimental_distribute_dataset(dataset)))
        )

    x = tf.random.normal((GLOBAL_BATCH_SIZE, 28 * 28))
    y = tf.random.uniform((GLOBAL_BATCH_SIZE,), maxval=10, dtype=tf.int64)
    return model, train_epoch, (x, y)


def as_in_tutorial():
    return make(scale_penalty=True)


def unscaled():
    return make(scale_penalty=False)
