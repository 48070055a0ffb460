"""Old `decay=` (a learning-rate decay) renamed to `weight_decay=`.

The steps of pitfall_legacy_decay_broken.py and _fixed.py. The check sees
what the renamed step does, a decoupled decay applied once per step as
configured, and passes it: it cannot know that the author meant a decaying
learning rate. The fixed step (a schedule, no decay) has nothing for it to
check. This pitfall is one for the porting page's programs, not for the check.

Check it:
  python -m weight_decay_checks check pitfall_legacy_decay.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["decay_once"], "fixed": ["nothing_to_check"]}


def make(rate):
    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    model.build((None, 3))
    if rate == "renamed":
        optimizer = tf.keras.optimizers.SGD(0.1, weight_decay=0.01)
    else:
        schedule = tf.keras.optimizers.schedules.InverseTimeDecay(
            0.1, decay_steps=1, decay_rate=0.01
        )
        optimizer = tf.keras.optimizers.SGD(schedule)
    mse = tf.keras.losses.MeanSquaredError()

    def step(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            loss = mse(y, model(x))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

    return model, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make("renamed")


def fixed():
    return make("schedule")
