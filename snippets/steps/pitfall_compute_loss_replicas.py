"""A `compute_loss` override under a strategy: the penalty N times.

The step of pitfall_compute_loss_replicas_broken.py and _fixed.py, on two
MirroredStrategy replicas (logical CPU devices).

Check it:
  python -m weight_decay_checks check pitfall_compute_loss_replicas.py:broken
"""

import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
if tf.config.get_logical_device_configuration(cpu) is None:  # not yet set
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 4
    )
EXPECTED = {"broken": ["penalty_times_n"], "fixed": ["penalty_once"]}


class NotDivided(tf.keras.Sequential):
    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, **kw
    ):
        return tf.reduce_mean(tf.square(y - y_pred)) + sum(self.losses)


class Divided(tf.keras.Sequential):
    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, **kw
    ):
        loss = tf.reduce_mean(tf.square(y - y_pred)) + sum(self.losses)
        return loss / tf.distribute.get_strategy().num_replicas_in_sync


def make(model_class, replicas=2):
    devices = [f"/cpu:{i}" for i in range(replicas)]
    with tf.distribute.MirroredStrategy(devices).scope():
        l2 = tf.keras.regularizers.l2(0.1)
        model = model_class([tf.keras.layers.Dense(1, kernel_regularizer=l2)])
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")

    def step(batch):
        model.fit(*batch, batch_size=8, epochs=1, shuffle=False, verbose=0)

    return model, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make(NotDivided)


def fixed():
    return make(Divided)
