"""`use_ema=True` in a custom loop that never calls
`finalize_variable_values`.

The steps of pitfall_use_ema_custom_loop_broken.py and _fixed.py. The
pitfall is what happens after the last step (the model keeps the last
weights instead of their average), so the check, which measures one step,
sees the decay applied once as configured in both and passes them.

Check it:
  python -m weight_decay_checks check pitfall_use_ema_custom_loop.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["decay_once"], "fixed": ["decay_once"]}


def make():
    net = tf.keras.Sequential([tf.keras.layers.Dense(1, use_bias=False)])
    net.build((None, 3))
    optimizer = tf.keras.optimizers.SGD(
        0.1, weight_decay=0.5, use_ema=True, ema_momentum=0.5
    )
    mse = tf.keras.losses.MeanSquaredError()

    def step(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            loss = mse(y, net(x))
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply_gradients(zip(grads, net.trainable_variables))

    return net, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():  # the loop never calls finalize_variable_values afterwards
    return make()


def fixed():  # the same step; the loop calls it after the last step
    return make()
