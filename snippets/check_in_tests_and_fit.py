"""Two more ways to check a step: a test in your suite, a callback on `fit`.

`assert_training_step(make)` fails with the report's table unless the step
is right: put it in a pytest test of your own (pytest collects
`test_training_step_is_right` from this file). `at_fit_start(batch)` checks
`train_on_batch` once, when `fit` starts, and raises (or, with
`on_failure="warn"`, warns) before any real training. Here the model
overrides `compute_loss` and forgets `self.losses`. Needs the package:
install it as "Verify it yourself" shows.

Run: python check_in_tests_and_fit.py   (or: pytest check_in_tests_and_fit.py)
"""

import tensorflow as tf

from weight_decay_checks import assert_training_step, at_fit_start


class ForgetsPenalty(tf.keras.Sequential):
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
        return tf.reduce_mean(tf.square(y - y_pred))  # no self.losses


def make_model(model_class):
    l2 = tf.keras.regularizers.l2(0.01)
    layer = tf.keras.layers.Dense(1, kernel_regularizer=l2, name="linear")
    model = model_class([layer], name="net")
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    return model


def make():  # (model, step, batch): a fresh model each call
    model = make_model(tf.keras.Sequential)
    batch = tf.random.normal((16, 3)), tf.random.normal((16, 1))

    def step(batch):
        model.fit(*batch, batch_size=16, epochs=1, verbose=0)

    return model, step, batch


def test_training_step_is_right():
    assert_training_step(make)


test_training_step_is_right()
print("test_training_step_is_right: passed")

x, y = tf.random.normal((64, 3)), tf.random.normal((64, 1))
model = make_model(ForgetsPenalty)
try:
    model.fit(x, y, epochs=5, verbose=0, callbacks=[at_fit_start((x, y))])
    stopped = None
except AssertionError as error:
    stopped = str(error)
    print("fit stopped before training:")
    print("\n".join(stopped.strip().splitlines()[:4]))

assert stopped and "penalty never reaches the optimizer" in stopped, (
    "callback-stops-fit: at_fit_start raises when fit starts, because the"
    " overridden compute_loss drops the penalty"
)
assert int(model.optimizer.iterations.numpy()) == 0, (
    "callback-before-any-step: the check ran first and put the optimizer"
    " back: its iteration count is still 0"
)
