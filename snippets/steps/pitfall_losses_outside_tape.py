"""`net.losses` read before the tape: the penalty is a constant to it.

The step of pitfall_losses_outside_tape_broken.py and _fixed.py.

Check it:
  python -m weight_decay_checks check pitfall_losses_outside_tape.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["penalty_missing"], "fixed": ["penalty_once"]}


def make(inside):
    net = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(
                1, kernel_regularizer=tf.keras.regularizers.l2(0.1)
            )
        ]
    )
    net.build((None, 3))
    mse, sgd = tf.keras.losses.MeanSquaredError(), tf.keras.optimizers.SGD(0.1)

    def step(batch):
        x, y = batch
        penalty = tf.add_n(net.losses)  # read here, before the tape records
        with tf.GradientTape() as tape:
            if inside:
                penalty = tf.add_n(net.losses)  # read again, now recorded
            loss = mse(y, net(x)) + penalty
        grads = tape.gradient(loss, net.trainable_variables)
        sgd.apply_gradients(zip(grads, net.trainable_variables))

    return net, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make(inside=False)


def fixed():
    return make(inside=True)
