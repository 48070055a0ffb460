"""`model.fit` under a strategy scales the penalty for you: it matches the
correct custom step.

Run: python snippets/distributed_fit_matches_custom_step.py
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
    fitted = make_model()
    fitted.compile(
        optimizer=tf.keras.optimizers.SGD(learning_rate=lr), loss="mse"
    )
fitted.fit(X, y, batch_size=global_batch, epochs=1, shuffle=False, verbose=0)

# The correct custom step (compute_average_loss + scale_regularization_loss).
with strategy.scope():
    custom = make_model()
    optimizer = tf.keras.optimizers.SGD(learning_rate=lr)


def replica_step(xb, yb):
    with tf.GradientTape() as tape:
        per_example = tf.reduce_mean(tf.square(custom(xb) - yb), axis=-1)
        loss = tf.nn.compute_average_loss(
            per_example, global_batch_size=global_batch
        )
        loss += tf.nn.scale_regularization_loss(custom.losses)
    grads = tape.gradient(loss, custom.trainable_variables)
    optimizer.apply_gradients(zip(grads, custom.trainable_variables))


dataset = tf.data.Dataset.from_tensor_slices((X, y)).batch(global_batch)
for xb, yb in strategy.experimental_distribute_dataset(dataset):
    strategy.run(tf.function(replica_step), args=(xb, yb))

gap = float(np.max(np.abs(fitted.get_weights()[0] - custom.get_weights()[0])))
print("fit and the custom step give the same kernel:", gap < 1e-6)
# Order-1 float32 values, one step: a few roundings stay below 1e-6.
assert gap < 1e-6, (
    "fit-matches-custom-step: under MirroredStrategy, `fit` takes the same"
    " step as the custom loop with `compute_average_loss` and"
    " `scale_regularization_loss`"
)
