"""A Keras loss called as `(y_pred, y_true)`.

The step of pitfall_argument_order_broken.py and _fixed.py, with mean
squared error: symmetric, so the swap changes nothing here (it would with
cross-entropy). Weight decay is right either way: the data loss is beyond
what the check measures.

Check it:
  python -m weight_decay_checks check pitfall_argument_order.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["penalty_once"], "fixed": ["penalty_once"]}


def make(swapped):
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
        with tf.GradientTape() as tape:
            y_hat = net(x)
            data = mse(y_hat, y) if swapped else mse(y, y_hat)
            loss = data + tf.add_n(net.losses)
        grads = tape.gradient(loss, net.trainable_variables)
        sgd.apply_gradients(zip(grads, net.trainable_variables))

    return net, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make(swapped=True)


def fixed():
    return make(swapped=False)
