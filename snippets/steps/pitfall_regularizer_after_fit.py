"""A regularizer attached after `fit` has run: ignored until `compile`.

The training of pitfall_regularizer_after_fit_broken.py and _fixed.py.

Check it:
  python -m weight_decay_checks check pitfall_regularizer_after_fit.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["stale_trace"], "fixed": ["penalty_once"]}


def make(compile_again):
    net = tf.keras.Sequential([tf.keras.layers.Dense(2)])
    net.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    batch = tf.random.normal((8, 3)), tf.random.normal((8, 2))

    def step(batch):
        net.fit(*batch, batch_size=8, epochs=1, verbose=0)

    step(batch)  # fit traces its training step
    kernel, l2 = net.layers[0].kernel, tf.keras.regularizers.l2(0.1)
    if hasattr(kernel, "regularizer"):  # Keras 3
        kernel.regularizer = l2
    else:  # tf-keras
        net.add_loss(lambda: l2(kernel))
    if compile_again:
        net.compile(optimizer=net.optimizer, loss="mse")  # a new trace
    return net, step, batch


def broken():
    return make(compile_again=False)


def fixed():
    return make(compile_again=True)
