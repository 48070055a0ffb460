"""Pitfall: a `compute_loss` override under a `tf.distribute` strategy.

Each replica computes the loss on its share of the global batch, and the
replicas' gradients are summed. Keras' own `compute_loss` divides the data
loss and the penalties by the number of replicas (Keras 3:
`scale_loss_for_distribution`; tf-keras: its compiled loss), so the sum is
one step. An override that returns `data loss + sum(self.losses)` does not:
with N replicas its whole step, penalty included, is N times too large.

The CPU is split into two logical devices, so this runs on any machine.

Run: python pitfall_compute_loss_replicas_broken.py
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


class NotDividedByReplicas(tf.keras.Sequential):
    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, **kw
    ):
        data_loss = tf.reduce_mean(tf.square(y - y_pred))
        return data_loss + sum(self.losses)  # broken under a strategy


def kernel_after_one_step(model_class, x, y):
    with strategy.scope():
        net = model_class(
            [
                tf.keras.layers.Dense(
                    1,
                    use_bias=False,
                    kernel_initializer="ones",
                    kernel_regularizer=tf.keras.regularizers.l2(0.1),
                )
            ]
        )
        net.compile(
            optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss="mse"
        )
    net.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    return net.layers[0].kernel.numpy().ravel()


zeros_x, zeros_y = np.zeros((4, 2), "float32"), np.zeros((4, 1), "float32")
rng = np.random.default_rng(0)
x, y = rng.normal(size=(4, 2)), rng.normal(size=(4, 1))
x, y = x.astype("float32"), y.astype("float32")

penalty_keras = kernel_after_one_step(tf.keras.Sequential, zeros_x, zeros_y)
penalty_own = kernel_after_one_step(NotDividedByReplicas, zeros_x, zeros_y)
keras_step = 1 - kernel_after_one_step(tf.keras.Sequential, x, y)
own_step = 1 - kernel_after_one_step(NotDividedByReplicas, x, y)
print(f"replicas: {strategy.num_replicas_in_sync}")
print(f"zero data, Keras' compute_loss: {penalty_keras[0]:.4f}")
print(f"zero data, the override:        {penalty_own[0]:.4f}")
print(f"with data, Keras' step: {np.round(keras_step, 4)}")
print(f"with data, the override: {np.round(own_step, 4)}")

assert np.allclose(penalty_keras, 0.98, atol=1e-6), (
    "default-divides-by-replicas: with two replicas Keras' own compute_loss"
    " decays the kernel once: 1 - 0.1 * 2 * 0.1 = 0.98"
)
assert np.allclose(penalty_own, 0.96, atol=1e-6), (
    "override-penalty-n-times: the override's penalty is summed over the two"
    " replicas: the kernel decays twice as fast, 0.96"
)
# Order-1 float32 values, one step: a few roundings stay below 1e-6.
assert np.allclose(own_step, 2 * keras_step, atol=1e-6), (
    "override-step-n-times: with data, the override's whole step (data"
    " gradient and penalty) is twice Keras' step with two replicas"
)
