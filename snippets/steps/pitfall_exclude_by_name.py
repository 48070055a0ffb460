"""Excluding from AdamW's decay by a name Keras does not use ("LayerNorm").

The steps of pitfall_exclude_by_name_broken.py and _fixed.py. The check
sees the decay applied once per step to the variables the optimizer was
configured to decay, in both, and passes them: it cannot know that the
author meant to exclude the normalization parameters. Its table lists every
variable that decays (gamma and beta among them, in the broken step), and
the fixed program's partition check asserts the intent.

Check it:
  python -m weight_decay_checks check pitfall_exclude_by_name.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["decay_once"], "fixed": ["decay_once"]}
layers = tf.keras.layers


def make(by_type):
    net = tf.keras.Sequential(
        [layers.Dense(8), layers.LayerNormalization(), layers.Dense(1)]
    )
    net.build((None, 4))
    optimizer = tf.keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    if by_type:
        optimizer.exclude_from_weight_decay(
            var_list=[v for v in net.trainable_variables if len(v.shape) <= 1]
        )
    else:
        optimizer.exclude_from_weight_decay(var_names=["LayerNorm", "bias"])
    mse = tf.keras.losses.MeanSquaredError()

    def step(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            loss = mse(y, net(x))
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply_gradients(zip(grads, net.trainable_variables))

    return net, step, (tf.random.normal((8, 4)), tf.random.normal((8, 1)))


def broken():
    return make(by_type=False)


def fixed():
    return make(by_type=True)
