"""Choosing models by `val_loss`, which includes the penalty.

The models of pitfall_val_loss_selection_broken.py and _fixed.py (with a
bias, which the check needs unregularized to see a list add), trained by
`fit`'s step: the penalty reaches the optimizer once in both. The pitfall is
in how the models are compared afterwards, which the check does not see.

Check it:
  python -m weight_decay_checks check pitfall_val_loss_selection.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["penalty_once"], "fixed": ["penalty_once"]}


def make():
    l2 = tf.keras.regularizers.l2(2.0)  # on the kernel; the bias has none
    net = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_regularizer=l2)])
    net.compile(optimizer=tf.keras.optimizers.SGD(0.01), loss="mse")

    def step(batch):
        net.train_on_batch(*batch)

    return net, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make()


def fixed():
    return make()
