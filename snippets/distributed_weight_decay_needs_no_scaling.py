"""An optimizer's decoupled `weight_decay` needs no per-replica scaling.

The decay is applied by the optimizer to the (mirrored) weights once per
step, after the replicas' gradients are summed; it is not a gradient, so
nothing multiplies it by the number of replicas.

Run: python distributed_weight_decay_needs_no_scaling.py
"""

import numpy as np
import tensorflow as tf

replicas = 2
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration()] * replicas
)  # must run before TensorFlow initializes its devices
strategy = tf.distribute.MirroredStrategy(
    [f"/cpu:{i}" for i in range(replicas)]
)

tf.keras.utils.set_random_seed(0)
global_batch, lr, decay = 8, 0.1, 0.5
X, y = tf.random.normal((global_batch, 3)), tf.random.normal((global_batch, 1))
W0 = np.random.default_rng(0).normal(size=(3, 1)).astype(np.float32)


def make_model_and_optimizer():
    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])  # no regularizer
    model.build((None, 3))
    model.set_weights([W0, np.zeros(1, np.float32)])
    optimizer = tf.keras.optimizers.SGD(learning_rate=lr, weight_decay=decay)
    return model, optimizer


with strategy.scope():
    model, optimizer = make_model_and_optimizer()


def replica_step(xb, yb):
    with tf.GradientTape() as tape:
        per_example = tf.reduce_mean(tf.square(model(xb) - yb), axis=-1)
        loss = tf.nn.compute_average_loss(
            per_example, global_batch_size=global_batch
        )
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))


dataset = tf.data.Dataset.from_tensor_slices((X, y)).batch(global_batch)
for xb, yb in strategy.experimental_distribute_dataset(dataset):
    strategy.run(tf.function(replica_step), args=(xb, yb))

# The same step on one device, on the whole global batch.
single, single_optimizer = make_model_and_optimizer()
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.square(single(X) - y))
grads = tape.gradient(loss, single.trainable_variables)
single_optimizer.apply_gradients(zip(grads, single.trainable_variables))

gap = float(np.max(np.abs(model.get_weights()[0] - single.get_weights()[0])))
print("replicas in sync:", strategy.num_replicas_in_sync)
print("same kernel as one device:", gap < 1e-6)

# Order-1 float32 values, one step: a few roundings stay below 1e-6, while
# decaying once per replica would move the kernel by lr * decay * |W0| > 0.01.
assert gap < 1e-6, (
    "weight-decay-not-scaled: with `weight_decay` on the optimizer and no"
    " scaling, the replicas take the single-device step: the decay is"
    " applied once"
)
