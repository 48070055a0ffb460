"""A float16 activity penalty under mixed precision: summing raises.

The step of pitfall_mixed_precision_penalty_broken.py and _fixed.py: under
`mixed_float16` an activity penalty is float16 and a weight penalty float32,
so `tf.add_n(net.losses)` raises; cast the terms to float32 first.

Check it:
  python -m weight_decay_checks check pitfall_mixed_precision_penalty.py:broken
"""

import tensorflow as tf

EXPECTED = {
    "broken": ["raises InvalidArgumentError"],
    "fixed": ["penalty_once"],
}


def make(cast):
    before = tf.keras.mixed_precision.global_policy()
    tf.keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        l2 = tf.keras.regularizers.l2(0.01)
        net = tf.keras.Sequential(
            [
                tf.keras.layers.Dense(
                    4, kernel_regularizer=l2, activity_regularizer=l2
                ),
                tf.keras.layers.Dense(1, dtype="float32"),
            ]
        )
        net.build((None, 3))
    finally:
        tf.keras.mixed_precision.set_global_policy(before)
    sgd = tf.keras.optimizers.SGD(0.1)

    def step(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(net(x) - y))
            terms = net.losses
            if cast:
                terms = [tf.cast(term, tf.float32) for term in terms]
            loss += tf.add_n(terms)
        grads = tape.gradient(loss, net.trainable_variables)
        sgd.apply_gradients(zip(grads, net.trainable_variables))

    return net, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make(cast=False)


def fixed():
    return make(cast=True)
