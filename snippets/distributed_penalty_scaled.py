"""Weight decay in a distributed custom training loop, scaled correctly.

With tf.distribute, every replica computes a loss on its share of the global
batch and the gradients are summed across replicas. So the data loss is
averaged over the *global* batch (`tf.nn.compute_average_loss`) and the
penalty is divided by the number of replicas
(`tf.nn.scale_regularization_loss`): summed over the replicas, each then
counts once.

The CPU is split into two logical devices, so this runs on any machine. Run:
python snippets/distributed_penalty_scaled.py"""

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
global_batch, wd, lr = 8, 0.1, 0.1
X, y = tf.random.normal((global_batch, 3)), tf.random.normal((global_batch, 1))
W0 = np.random.default_rng(0).normal(size=(3, 1)).astype(np.float32)


def make_model():
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(
                1, kernel_regularizer=tf.keras.regularizers.l2(wd)
            )
        ]
    )
    model.build((None, 3))
    model.set_weights([W0, np.zeros(1, np.float32)])
    return model


with strategy.scope():
    model = make_model()
    optimizer = tf.keras.optimizers.SGD(learning_rate=lr)


@tf.function
def train_step(xb, yb):
    def replica_step(xb, yb):
        with tf.GradientTape() as tape:
            per_example = tf.reduce_mean(tf.square(model(xb) - yb), axis=-1)
            loss = tf.nn.compute_average_loss(
                per_example, global_batch_size=global_batch
            )
            loss += tf.nn.scale_regularization_loss(model.losses)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

    strategy.run(replica_step, args=(xb, yb))


dataset = tf.data.Dataset.from_tensor_slices((X, y)).batch(global_batch)
for xb, yb in strategy.experimental_distribute_dataset(dataset):
    train_step(xb, yb)

# The same step on one device, on the whole global batch.
single = make_model()
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.square(single(X) - y)) + tf.add_n(single.losses)
grads = tape.gradient(loss, single.trainable_variables)
tf.keras.optimizers.SGD(learning_rate=lr).apply_gradients(
    zip(grads, single.trainable_variables)
)

gap = float(np.max(np.abs(model.get_weights()[0] - single.get_weights()[0])))
print("replicas in sync:", strategy.num_replicas_in_sync)
print("same kernel as one device on the global batch:", gap < 1e-6)
print(
    "scale_regularization_loss([]):", float(tf.nn.scale_regularization_loss([]))
)
# Order-1 float32 values, one step: a few roundings stay below 1e-6.
assert gap < 1e-6, (
    "scaled-step-equals-single-device: with the data loss averaged over the"
    " global batch and `scale_regularization_loss(model.losses)`, the"
    " replicas take the single-device step on the global batch"
)
assert float(tf.nn.scale_regularization_loss([])) == 0.0, (
    "scale-empty-list-is-zero: `scale_regularization_loss` takes the list"
    " itself and returns 0 for a model with no regularizer"
)
