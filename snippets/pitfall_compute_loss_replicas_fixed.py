"""Fixed: a `compute_loss` override divided by the number of replicas.

`tf.distribute.get_strategy().num_replicas_in_sync` is the number of
replicas under a strategy and 1 without one: dividing the override's loss by
it takes Keras' own step in both cases. TensorFlow's custom-loop rule,
`tf.nn.scale_regularization_loss(self.losses)`, is no way out here: Keras 3
also calls `compute_loss` once outside any replica (`fit` builds its
metrics symbolically first), where that function raises RuntimeError.
tf-keras does not, and trains.

Run: python pitfall_compute_loss_replicas_fixed.py
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
KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`


class DividedByReplicas(tf.keras.Sequential):
    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, **kw
    ):
        data_loss = tf.reduce_mean(tf.square(y - y_pred))
        loss = data_loss + sum(self.losses)
        return loss / tf.distribute.get_strategy().num_replicas_in_sync


class ScaleRegularizationLoss(tf.keras.Sequential):
    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, **kw
    ):
        n = tf.distribute.get_strategy().num_replicas_in_sync
        data_loss = tf.reduce_mean(tf.square(y - y_pred)) / n
        return data_loss + tf.nn.scale_regularization_loss(self.losses)


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


rng = np.random.default_rng(0)
x, y = rng.normal(size=(4, 2)), rng.normal(size=(4, 1))
x, y = x.astype("float32"), y.astype("float32")

keras = kernel_after_one_step(tf.keras.Sequential, x, y)
divided = kernel_after_one_step(DividedByReplicas, x, y)
try:
    scaled = kernel_after_one_step(ScaleRegularizationLoss, x, y)
    outcome = "trains like Keras" if np.allclose(scaled, keras) else "differs"
except RuntimeError:
    outcome = "RuntimeError"
print(f"replicas: {strategy.num_replicas_in_sync}")
print(f"Keras' compute_loss:       {np.round(keras, 4)}")
print(f"override / replicas:       {np.round(divided, 4)}")
print(f"scale_regularization_loss: {outcome}")

# Order-1 float32 values, one step: a few roundings stay below 1e-6.
assert np.allclose(divided, keras, atol=1e-6), (
    "divided-override-matches-keras: divided by num_replicas_in_sync, the"
    " override takes Keras' own step with two replicas"
)
assert outcome == ("RuntimeError" if KERAS_3 else "trains like Keras"), (
    "scale-regularization-loss-in-compute-loss: Keras 3 calls compute_loss"
    " outside replica context, where tf.nn.scale_regularization_loss raises"
    " RuntimeError; tf-keras trains with it like Keras' own"
)
