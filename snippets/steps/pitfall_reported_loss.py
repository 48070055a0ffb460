"""The loss `fit` reports includes the penalty.

The training of pitfall_reported_loss_broken.py and _fixed.py: what differs
is how the reported number is read, not the update; both steps are right.
The check never reads the loss: a reported loss that includes the penalty
is no evidence that the penalty moved the weights.

Check it:
  python -m weight_decay_checks check pitfall_reported_loss.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["penalty_once"], "fixed": ["penalty_once"]}


def make():
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(
                1, kernel_regularizer=tf.keras.regularizers.l2(1.0)
            )
        ]
    )
    model.compile(optimizer=tf.keras.optimizers.SGD(0.01), loss="mse")
    batch = tf.random.normal((64, 3)), tf.random.normal((64, 1))

    def step(batch):
        model.fit(*batch, batch_size=64, epochs=1, verbose=0)

    return model, step, batch


broken = fixed = make
