"""`kernel_regularizer` set on a built layer: no penalty.

The step of pitfall_regularizer_after_build_broken.py and _fixed.py.

Check it:
  python -m weight_decay_checks check pitfall_regularizer_after_build.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["regularizer_not_attached"], "fixed": ["penalty_once"]}


def make(when_made):
    l2 = tf.keras.regularizers.l2(0.01)
    layer = tf.keras.layers.Dense(
        1, kernel_regularizer=l2 if when_made else None
    )
    model = tf.keras.Sequential([layer])
    model.build((None, 3))
    if not when_made:
        layer.kernel_regularizer = l2  # too late: the kernel exists
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")

    def step(batch):
        model.train_on_batch(*batch)

    return model, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make(when_made=False)


def fixed():
    return make(when_made=True)
