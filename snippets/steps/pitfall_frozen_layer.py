"""A frozen layer's penalty: in `net.losses` under tf-keras, not Keras 3.

The step of pitfall_frozen_layer_broken.py and _fixed.py, fine-tuning the
head of a network whose base is frozen. What differs between the Kerases is
the loss value; the update is the same and right in both: a frozen weight's
penalty has no gradient with respect to the trainable ones.

Check it:
  python -m weight_decay_checks check pitfall_frozen_layer.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["penalty_once"], "fixed": ["penalty_once"]}


def make(from_regularizers):
    base, head = (
        tf.keras.layers.Dense(
            units, kernel_regularizer=tf.keras.regularizers.l2(0.01)
        )
        for units in (4, 1)
    )
    net = tf.keras.Sequential([base, head])
    net.build((None, 3))
    base.trainable = False  # fine-tune only the head
    mse, sgd = tf.keras.losses.MeanSquaredError(), tf.keras.optimizers.SGD(0.1)

    def penalty():
        if from_regularizers:  # every weight's, frozen or not
            return sum(d.kernel_regularizer(d.kernel) for d in (base, head))
        return tf.add_n(net.losses)  # the trainable head's only in Keras 3

    def step(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            loss = mse(y, net(x)) + penalty()
        grads = tape.gradient(loss, net.trainable_variables)
        sgd.apply_gradients(zip(grads, net.trainable_variables))

    return net, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make(from_regularizers=False)


def fixed():
    return make(from_regularizers=True)
