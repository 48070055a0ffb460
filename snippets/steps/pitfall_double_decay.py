"""An L2 penalty and `weight_decay` on the same weights: decayed twice.

The step of pitfall_double_decay_broken.py and _fixed.py, with `fit`.

Check it:
  python -m weight_decay_checks check pitfall_double_decay.py:broken
"""

import tensorflow as tf

EXPECTED = {
    "broken": ["decayed_twice"],
    "fixed": ["penalty_once"],
    "fixed_decay": ["decay_once"],
}
LR, LAM = 0.1, 0.5


def make(penalty, weight_decay):
    reg = tf.keras.regularizers.l2(LAM / 2) if penalty else None
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(1, kernel_regularizer=reg)]
    )
    optimizer = tf.keras.optimizers.SGD(LR, weight_decay=weight_decay)
    model.compile(optimizer=optimizer, loss="mse")

    def step(batch):
        model.train_on_batch(*batch)

    return model, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make(penalty=True, weight_decay=LAM)  # both


def fixed():
    return make(penalty=True, weight_decay=None)  # the penalty alone


def fixed_decay():
    return make(penalty=False, weight_decay=LAM)  # or the decay alone
