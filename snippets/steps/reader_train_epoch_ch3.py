"""The reader's loop: the book's `train_epoch_ch3` on the concise model.

The loop the reader posted (the book's chapter-3 loop, its `else:` lines
restored: book_train_epoch_ch3.py), made runnable with a Keras loss and
optimizer and given the chapter's model, a Dense layer with an L2
regularizer. It never reads `net.losses`: the penalty is missing. The fix
is one term inside the tape.

Check it:
  python -m weight_decay_checks check reader_train_epoch_ch3.py:as_posted
"""

# ruff: noqa: E741 (the book's `l`)
import tensorflow as tf

EXPECTED = {"as_posted": ["penalty_missing"], "fixed": ["penalty_once"]}


def train_epoch_ch3(net, train_iter, loss, updater, with_penalty=False):
    for X, y in train_iter:
        with tf.GradientTape() as tape:
            y_hat = net(X)
            if isinstance(loss, tf.keras.losses.Loss):
                l = loss(y, y_hat)
            else:
                l = loss(y_hat, y)
            if with_penalty:
                l = l + tf.add_n(net.losses)  # the fix
        if isinstance(updater, tf.keras.optimizers.Optimizer):
            params = net.trainable_variables
            grads = tape.gradient(l, params)
            updater.apply_gradients(zip(grads, params, strict=True))
        else:
            updater(X.shape[0], tape.gradient(l, updater.params))


def make(with_penalty):
    wd = 3.0
    l2 = tf.keras.regularizers.l2(wd)
    net = tf.keras.Sequential(
        [tf.keras.layers.Dense(1, kernel_regularizer=l2, name="linear")]
    )
    net.build((None, 200))
    loss = tf.keras.losses.MeanSquaredError()
    trainer = tf.keras.optimizers.SGD(learning_rate=0.003)

    def step(batch):  # one epoch of one batch
        train_epoch_ch3(net, [batch], loss, trainer, with_penalty)

    return net, step, (tf.random.normal((5, 200)), tf.random.normal((5, 1)))


def as_posted():
    return make(with_penalty=False)


def fixed():
    return make(with_penalty=True)
