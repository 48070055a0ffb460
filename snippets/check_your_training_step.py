"""Check a training loop with the package: the reader's `train_epoch_ch3`.

The chapter-3 loop the reader posted (its `else:` lines restored), on the
chapter's concise model: a Dense layer with `l2(wd)`. `make` returns
`(model, step, batch)`: the check calls it several times, each time a fresh
model and step from the same seed, and runs `step(batch)` with the penalty's
strength changed, to see what reaches the optimizer. Needs the package:
install it as "Verify it yourself" shows.

Run: python check_your_training_step.py
"""

import tensorflow as tf

from weight_decay_checks import check_training_step


def train_epoch_ch3(net, train_iter, loss, updater, fixed=False):
    for X, y in train_iter:
        with tf.GradientTape() as tape:
            y_hat = net(X)
            if isinstance(loss, tf.keras.losses.Loss):
                l = loss(y, y_hat)  # noqa: E741 (the book's name)
            else:
                l = loss(y_hat, y)  # noqa: E741
            if fixed:
                l += tf.add_n(net.losses)  # noqa: E741 (the fix)
        if isinstance(updater, tf.keras.optimizers.Optimizer):
            params = net.trainable_variables
            grads = tape.gradient(l, params)
            updater.apply_gradients(zip(grads, params))
        else:
            updater(X.shape[0], tape.gradient(l, updater.params))


def make(fixed):
    layer = tf.keras.layers.Dense(
        1, kernel_regularizer=tf.keras.regularizers.l2(3.0), name="linear"
    )
    net = tf.keras.Sequential([layer], name="net")
    net.build((None, 200))
    loss = tf.keras.losses.MeanSquaredError()
    trainer = tf.keras.optimizers.SGD(learning_rate=0.003)

    def step(batch):  # one epoch over one batch
        train_epoch_ch3(net, [batch], loss, trainer, fixed)

    batch = tf.random.normal((5, 200)), tf.random.normal((5, 1))
    return net, step, batch


as_posted = check_training_step(lambda: make(fixed=False), name="as posted")
print(as_posted, end="\n\n")
fixed = check_training_step(lambda: make(fixed=True), name="fixed")
print(fixed)

assert as_posted.codes == ["penalty_missing"] and not as_posted.ok, (
    "check-finds-missing-penalty: the loop as posted never reads"
    " net.losses: the check says the penalty never reaches the optimizer"
)
assert fixed.codes == ["penalty_once"] and fixed.ok, (
    "check-passes-the-fix: with tf.add_n(net.losses) inside the tape the"
    " penalty reaches the optimizer once, as l2(3.0) configures it"
)
