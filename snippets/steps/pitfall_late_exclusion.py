"""`exclude_from_weight_decay` after the first step.

The training of pitfall_late_exclusion_broken.py and _fixed.py. Keras 3
accepts the late call, and `fit`'s step traced before it still decays the
kernel; tf-keras raises ValueError at the call (in the factory).

Check it:
  python -m weight_decay_checks check pitfall_late_exclusion.py:broken
"""

import tensorflow as tf

EXPECTED = {
    "broken": {"keras3": ["stale_trace"], "tf-keras": ["raises ValueError"]},
    "fixed": ["decay_once"],
}


def make(late):
    net = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    net.build((None, 3))
    sgd = tf.keras.optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    if not late:
        sgd.exclude_from_weight_decay(var_list=[net.layers[0].kernel])
    net.compile(optimizer=sgd, loss="mse")
    batch = tf.random.normal((8, 3)), tf.random.normal((8, 1))

    def step(batch):
        net.fit(*batch, batch_size=8, epochs=1, verbose=0)

    if late:
        step(batch)  # traced, then one step
        sgd.exclude_from_weight_decay(var_list=[net.layers[0].kernel])
    return net, step, batch


def broken():
    return make(late=True)


def fixed():
    return make(late=False)
