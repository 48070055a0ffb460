"""Pitfall: adding the penalty on every replica without scaling it counts it N
times.

Each replica adds the full penalty; the gradients are summed over the N
replicas, so the penalty's gradient is multiplied by N: weight decay N times
too strong.

Run: python snippets/distributed_penalty_unscaled_broken.py
"""

import numpy as np
import tensorflow as tf

replicas = 2
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration()] * replicas
)
strategy = tf.distribute.MirroredStrategy(
    [f"/cpu:{i}" for i in range(replicas)]
)

tf.keras.utils.set_random_seed(0)
global_batch, wd, lr = 8, 0.1, 0.1
X, y = tf.random.normal((global_batch, 3)), tf.random.normal((global_batch, 1))
W0 = np.random.default_rng(0).normal(size=(3, 1)).astype(np.float32)


def one_step(scale_penalty):
    """One distributed SGD step from W0; returns the new kernel."""
    with strategy.scope():
        model = tf.keras.Sequential(
            [
                tf.keras.layers.Dense(
                    1, kernel_regularizer=tf.keras.regularizers.l2(wd)
                )
            ]
        )
        model.build((None, 3))
        model.set_weights([W0, np.zeros(1, np.float32)])
        optimizer = tf.keras.optimizers.SGD(learning_rate=lr)

    def replica_step(xb, yb):
        with tf.GradientTape() as tape:
            per_example = tf.reduce_mean(tf.square(model(xb) - yb), axis=-1)
            loss = tf.nn.compute_average_loss(
                per_example, global_batch_size=global_batch
            )
            penalty = tf.add_n(model.losses)
            loss += (
                tf.nn.scale_regularization_loss(penalty)
                if scale_penalty
                else penalty
            )
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

    dataset = tf.data.Dataset.from_tensor_slices((X, y)).batch(global_batch)
    for xb, yb in strategy.experimental_distribute_dataset(dataset):
        strategy.run(tf.function(replica_step), args=(xb, yb))
    return model.get_weights()[0]


scaled, unscaled = one_step(True), one_step(False)
# Both steps share the data gradient; the unscaled one takes off an extra
# lr * (N - 1) * 2 wd W.
multiple = 1 + (scaled - unscaled) / (lr * 2 * wd * W0)
print(
    "penalty gradient applied, in multiples of the right one:",
    np.round(multiple.ravel(), 3),
)
# The multiple is a ratio of float32 differences of order-1 values: 1e-4.
assert np.allclose(multiple, replicas, rtol=1e-4), (
    "unscaled-penalty-applied-n-times: without `scale_regularization_loss`"
    " each of the N = 2 replicas adds the whole penalty gradient, so it is"
    " applied N times"
)
