"""A `compute_loss` override without `self.losses`: no penalty.

The step of pitfall_compute_loss_override_broken.py and _fixed.py.

Check it:
  python -m weight_decay_checks check pitfall_compute_loss_override.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["penalty_missing"], "fixed": ["penalty_once"]}


class DataLossOnly(tf.keras.Sequential):
    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, **kw
    ):
        return tf.reduce_mean(tf.square(y - y_pred))


class WithPenalties(tf.keras.Sequential):
    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, **kw
    ):
        data_loss = tf.reduce_mean(tf.square(y - y_pred))
        loss = data_loss + sum(self.losses)
        return loss / tf.distribute.get_strategy().num_replicas_in_sync


def make(model_class):
    l2 = tf.keras.regularizers.l2(0.1)
    model = model_class([tf.keras.layers.Dense(1, kernel_regularizer=l2)])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")

    def step(batch):
        model.fit(*batch, batch_size=8, epochs=1, verbose=0)

    return model, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make(DataLossOnly)


def fixed():
    return make(WithPenalties)
