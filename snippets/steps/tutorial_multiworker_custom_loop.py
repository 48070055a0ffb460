"""TensorFlow's tutorial "Custom training loop with Keras and
MultiWorkerMirroredStrategy", with the model's penalty.

https://www.tensorflow.org/tutorials/distribute/multi_worker_with_ctl
Every worker of the cluster runs the check, as it runs the training: with
TF_CONFIG naming the cluster and its own index. The tutorial's step
averages the loss over the global batch (`compute_average_loss`) and
divides the penalty by the number of replicas
(`scale_regularization_loss`). `unscaled` adds it whole on every worker.

Check it (on each worker, TF_CONFIG set):
  python -m weight_decay_checks check \
    tutorial_multiworker_custom_loop.py:as_in_tutorial
"""

import functools

import tensorflow as tf

EXPECTED = {"as_in_tutorial": ["penalty_once"], "unscaled": ["penalty_times_n"]}
GLOBAL_BATCH_SIZE = 8


@functools.cache
def cluster_strategy():  # one per process: it starts the cluster's runtime
    return tf.distribute.MultiWorkerMirroredStrategy()


def make(scale_penalty):
    strategy = cluster_strategy()
    with strategy.scope():
        l2 = tf.keras.regularizers.l2(1e-3)
        model = tf.keras.Sequential(
            [
                tf.keras.layers.Dense(16, "relu", kernel_regularizer=l2),
                tf.keras.layers.Dense(10, kernel_regularizer=l2),
            ]
        )
        model.build((None, 28 * 28))
        optimizer = tf.keras.optimizers.SGD(learning_rate=0.001)
        optimizer.build(model.trainable_variables)

    def step_fn(inputs):
        x, y = inputs
        with tf.GradientTape() as tape:
            predictions = model(x, training=True)
            per_example_loss = tf.keras.losses.SparseCategoricalCrossentropy(
                from_logits=True, reduction="none"
            )(y, predictions)
            loss = tf.nn.compute_average_loss(per_example_loss)
            model_losses = model.losses
            if model_losses:
                penalty = tf.add_n(model_losses)
                if scale_penalty:
                    penalty = tf.nn.scale_regularization_loss(penalty)
                loss += penalty
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    @tf.function
    def train_step(iterator):
        per_replica_losses = strategy.run(step_fn, args=(next(iterator),))
        return strategy.reduce(
            tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None
        )

    def train_epoch(batch):  # the tutorial's loop, over one global batch
        dataset = tf.data.Dataset.from_tensor_slices(batch)
        dataset = dataset.batch(GLOBAL_BATCH_SIZE)
        train_step(iter(strategy.experimental_distribute_dataset(dataset)))

    x = tf.random.normal((GLOBAL_BATCH_SIZE, 28 * 28))
    y = tf.random.uniform((GLOBAL_BATCH_SIZE,), maxval=10, dtype=tf.int64)
    return model, train_epoch, (x, y)


def as_in_tutorial():
    return make(scale_penalty=True)


def unscaled():
    return make(scale_penalty=False)
