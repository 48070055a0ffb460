"""The penalty under MirroredStrategy in a custom loop: scaled or not.

The step of distributed_penalty_scaled.py and
distributed_penalty_unscaled_broken.py, and of TensorFlow's tutorial "Custom
training with tf.distribute.Strategy" (`compute_average_loss` and
`scale_regularization_loss`), on 1, 2 and 4 replicas (logical CPU devices).

Check it:
  python -m weight_decay_checks check distributed_penalty.py:unscaled_2
"""

import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
if tf.config.get_logical_device_configuration(cpu) is None:  # not yet set
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 4
    )
GLOBAL_BATCH = 8
# The suite runs one device under both Kerases, four under Keras 3 only
# (None: not under tf-keras), to keep its time. Two replicas, the same step:
# tutorial_distributed_custom_loop.py.
EXPECTED = {
    "scaled_1": ["penalty_once"],
    "unscaled_4": {"keras3": ["penalty_times_n"], "tf-keras": None},
    "scaled_4": {"keras3": ["penalty_once"], "tf-keras": None},
}


def make(replicas, scale_penalty):
    strategy = tf.distribute.MirroredStrategy(
        [f"/cpu:{i}" for i in range(replicas)]
    )
    with strategy.scope():
        l2 = tf.keras.regularizers.l2(0.1)
        model = tf.keras.Sequential(
            [tf.keras.layers.Dense(1, kernel_regularizer=l2)]
        )
        model.build((None, 3))
        optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)

    def replica_step(x, y):
        with tf.GradientTape() as tape:
            per_example = tf.reduce_mean(tf.square(model(x) - y), axis=-1)
            loss = tf.nn.compute_average_loss(
                per_example, global_batch_size=GLOBAL_BATCH
            )
            if scale_penalty:
                loss += tf.nn.scale_regularization_loss(model.losses)
            else:
                loss += tf.add_n(model.losses)  # the whole penalty, N times
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

    @tf.function
    def step(batch):
        strategy.run(replica_step, args=batch)

    def distributed(batch):
        dataset = tf.data.Dataset.from_tensor_slices(batch).batch(GLOBAL_BATCH)
        # One global batch: `next`, not a `for` loop, whose end-of-data check
        # after an eager step on 4 replicas stalled for 5 to 10 s at times.
        x, y = next(iter(strategy.experimental_distribute_dataset(dataset)))
        step((x, y))

    batch = tf.random.normal((8, 3)), tf.random.normal((8, 1))
    return model, distributed, batch


def unscaled_2():
    return make(2, scale_penalty=False)


def unscaled_4():
    return make(4, scale_penalty=False)


def scaled_1():
    return make(1, scale_penalty=True)


def scaled_2():
    return make(2, scale_penalty=True)


def scaled_4():
    return make(4, scale_penalty=True)
