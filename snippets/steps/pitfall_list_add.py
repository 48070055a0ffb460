"""The list-add line in a custom step: `loss + net.losses` adds a Python list.

The step of pitfall_list_add_broken.py and pitfall_list_add_fixed.py, as
factories the check can call: each returns (model, step, batch).

Check it:
  python -m weight_decay_checks check pitfall_list_add.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["data_gradient_times_k"], "fixed": ["penalty_once"]}


def make(add_penalty):
    reg = tf.keras.regularizers.l2(1e-2)
    net = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(4, kernel_regularizer=reg),
            tf.keras.layers.Dense(1, kernel_regularizer=reg),
        ]
    )
    net.build((None, 3))
    mse, sgd = tf.keras.losses.MeanSquaredError(), tf.keras.optimizers.SGD(0.1)

    def step(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            loss = add_penalty(mse(y, net(x)), net.losses)
        grads = tape.gradient(loss, net.trainable_variables)
        sgd.apply_gradients(zip(grads, net.trainable_variables))

    batch = tf.random.normal((8, 3)), tf.random.normal((8, 1))
    return net, step, batch


def broken():
    return make(lambda loss, penalties: loss + penalties)  # a list of 2


def fixed():
    return make(lambda loss, penalties: loss + tf.add_n(penalties))
