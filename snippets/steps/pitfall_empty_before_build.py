"""`net.losses` read before the model is built: an empty list, kept.

The step of pitfall_empty_before_build_broken.py and _fixed.py: here the
list is read once, before the first call, and summed with `sum` (which does
not raise on an empty list, unlike `tf.add_n`).

Check it:
  python -m weight_decay_checks check pitfall_empty_before_build.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["penalty_missing"], "fixed": ["penalty_once"]}


def make(read_once):
    net = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(
                1, kernel_regularizer=tf.keras.regularizers.l2(0.1)
            )
        ]
    )
    penalties = net.losses  # before the first call: [] (no kernel yet)
    mse, sgd = tf.keras.losses.MeanSquaredError(), tf.keras.optimizers.SGD(0.1)
    net.build((None, 3))

    def step(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            terms = penalties if read_once else net.losses
            loss = mse(y, net(x)) + sum(terms)
        grads = tape.gradient(loss, net.trainable_variables)
        sgd.apply_gradients(zip(grads, net.trainable_variables))

    return net, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make(read_once=True)


def fixed():
    return make(read_once=False)
