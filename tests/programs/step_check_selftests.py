"""Self-tests of the training-step check (weight_decay_checks/training_step.py): each verdict
and each refusal on a step made to get it, and the promise to leave the model and optimizer as
they were, bit for bit. Run under each Kera by test_step_checks.py:

    python -m tests.programs.step_check_selftests      # prints "ok NAME" per test; exit 1 on any failure

Every test here can fail: each asserts the one verdict (or error) its step must get, and the
property at the end asserts a tolerance that a penalty off by 1/1000 exceeds.
"""

from __future__ import annotations

import sys
import traceback
import warnings

import numpy as np
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from weight_decay_checks import (
    CannotCheck,
    StepFailed,
    assert_training_step,
    at_fit_start,
    check_training_step,
)
from weight_decay_checks.settings import current, profile_name

KERAS_3 = hasattr(tf.keras, "ops")
TESTS = []


def selftest(function):
    TESTS.append(function)
    return function


def dense_model(regularized=True, units=(1,), features=3, wd=0.01):
    reg = tf.keras.regularizers.l2(wd) if regularized else None
    net = tf.keras.Sequential([tf.keras.layers.Dense(u, kernel_regularizer=reg) for u in units])
    net.build((None, features))
    return net


def custom_step(net, optimizer, penalty=lambda net: tf.add_n(net.losses)):
    def step(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(net(x) - y)) + penalty(net)
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply_gradients(zip(grads, net.trainable_variables, strict=True))

    return step


def batch(features=3, outputs=1, n=8):
    return tf.random.normal((n, features)), tf.random.normal((n, outputs))


def state(net, optimizer):
    return [np.array(v.numpy()) for v in [*net.variables, *optimizer.variables]]


def same_bits(a, b):
    return len(a) == len(b) and all(x.tobytes() == y.tobytes() for x, y in zip(a, b, strict=True))


@selftest
def nothing_to_check():
    net = dense_model(regularized=False)
    report = check_training_step(
        lambda: (net, custom_step(net, tf.keras.optimizers.SGD(0.1), lambda n: 0.0), batch())
    )
    assert report.codes == ["nothing_to_check"] and report.exit_code == 2, report


@selftest
def no_update():
    def make():
        net = dense_model()
        return net, lambda b: net(b[0]), batch()

    report = check_training_step(make)
    assert report.codes == ["no_update"] and report.exit_code == 2, report


@selftest
def update_by_hand():
    def make():
        net = dense_model()

        def step(b):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(net(b[0]) - b[1])) + tf.add_n(net.losses)
            for v, g in zip(
                net.trainable_variables, tape.gradient(loss, net.trainable_variables), strict=True
            ):
                v.assign_sub(0.1 * g)

        return net, step, batch()

    report = check_training_step(make)
    assert report.codes == ["update_outside_optimizer"] and report.exit_code == 2, report


@selftest
def a_raising_step_is_named_and_its_error_kept():
    def make():
        net = dense_model()

        def my_step(b):
            return 1 / 0

        return net, my_step, batch()

    try:
        check_training_step(make, name="make")
    except StepFailed as failed:
        assert isinstance(failed.__cause__, ZeroDivisionError)
        assert "the step my_step (from make) raised ZeroDivisionError" in str(failed), failed
    else:
        raise AssertionError("no StepFailed")


@selftest
def a_factory_returning_something_else_is_told_so():
    try:
        check_training_step(lambda: dense_model(), name="make")
    except CannotCheck as error:  # BadArguments: a CannotCheck (exit 2) and a TypeError
        assert isinstance(error, TypeError) and "must return (model, step, batch)" in str(error), error
    else:
        raise AssertionError("no BadArguments")


@selftest
def a_list_add_with_every_variable_regularized_is_said_unseen():
    def make():
        l2 = tf.keras.regularizers.l2(0.01)
        layers = [tf.keras.layers.Dense(u, use_bias=False, kernel_regularizer=l2) for u in (4, 1)]
        net = tf.keras.Sequential(layers)
        net.build((None, 3))
        return net, custom_step(net, tf.keras.optimizers.SGD(0.1), lambda n: n.losses), batch()

    report = check_training_step(make)
    assert "list_add_unseen" in report.codes and report.exit_code == 0, report


@selftest
def a_missing_penalty_fails():
    net = dense_model()
    sgd = tf.keras.optimizers.SGD(0.1)
    report = check_training_step(lambda: (net, custom_step(net, sgd, lambda n: 0.0), batch()))
    assert report.codes == ["penalty_missing"] and report.exit_code == 1 and not report.ok, report


@selftest
def clipping_is_switched_off_while_measuring_and_said():
    """clipnorm=1e-6 clips every gradient to almost nothing: measured with clipping on, the
    penalty's effect would vanish. The check measures without it and notes that it is set."""

    def make():
        net = dense_model()
        sgd = tf.keras.optimizers.SGD(0.1, clipnorm=1e-6)
        return net, custom_step(net, sgd), batch()

    report = check_training_step(make)
    assert report.codes == ["penalty_once"], report
    assert any("gradient clipping is configured" in note for note in report.notes), report


@selftest
def a_penalty_off_by_a_thousandth_is_not_once():
    def make():
        net = dense_model()
        sgd = tf.keras.optimizers.SGD(0.1)
        return net, custom_step(net, sgd, lambda n: 1.001 * tf.add_n(n.losses)), batch()

    report = check_training_step(make)
    assert report.codes == ["penalty_scaled"], report
    assert abs(report.findings[0].fields["factor"] - 1.001) < 1e-5, report


@selftest
def a_zero_data_gradient_hides_the_list_add_and_says_so():
    def make():
        net = tf.keras.Sequential(
            [
                tf.keras.layers.Dense(
                    1, kernel_regularizer=tf.keras.regularizers.l2(0.01), kernel_initializer="zeros"
                )
            ]
        )
        net.build((None, 3))
        sgd = tf.keras.optimizers.SGD(0.1)
        x = tf.random.normal((8, 3))
        return net, custom_step(net, sgd, lambda n: n.losses), (x, tf.zeros((8, 1)))

    report = check_training_step(make)
    assert "list_add_unseen" in report.codes and report.exit_code == 0, report


@selftest
def object_mode_restores_everything_bit_for_bit():
    net = dense_model(units=(4, 1))
    adam = tf.keras.optimizers.Adam(0.1)  # not built yet: the step builds it
    step, data = custom_step(net, adam), batch()
    before = [np.array(v.numpy()) for v in net.variables]
    report = check_training_step(net, step, data)
    assert report.codes == ["penalty_once"], report
    assert same_bits(before, [np.array(v.numpy()) for v in net.variables]), "weights changed"
    assert int(adam.iterations.numpy()) == 0, "the optimizer stepped"
    assert all(
        not np.any(v.numpy())
        for v in adam.variables
        if "iteration" not in v.name and "learning_rate" not in v.name
    )
    step(data)  # built now: a second check must leave its slots as they are
    saved = state(net, adam)
    check_training_step(net, step, data)
    assert same_bits(saved, state(net, adam)), "weights or optimizer slots changed"


@selftest
def object_mode_restores_when_the_step_raises():
    net = dense_model(units=(4, 1))
    adam = tf.keras.optimizers.Adam(0.1)
    inner = custom_step(net, adam)
    inner(batch())
    saved = state(net, adam)
    calls = []

    def step(b):  # updates, then raises on the check's second run
        inner(b)
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("second call")

    try:
        check_training_step(net, step, batch())
    except StepFailed as failed:
        assert isinstance(failed.__cause__, RuntimeError)
    else:
        raise AssertionError("no StepFailed")
    assert same_bits(saved, state(net, adam)), "not restored after the step raised"


@selftest
def a_step_traced_before_the_check_cannot_be_seen_into():
    net = dense_model()
    sgd = tf.keras.optimizers.SGD(0.1)
    sgd = tf.keras.optimizers.SGD(0.1, momentum=0.9)  # slots a traced run would move
    step, data = tf.function(custom_step(net, sgd)), batch()
    step(data)
    saved = state(net, sgd)
    report = check_training_step(net, step, data)
    assert report.codes == ["traced_before_check"] and report.exit_code == 2, report
    assert same_bits(saved, state(net, sgd)), "the traced run's update was not undone"


@selftest
def randomness_it_cannot_reset_is_said_not_guessed():
    """The objects themselves (no factory to reseed): noise from TensorFlow's global random
    generator makes every run's data gradient different."""
    net = dense_model()
    sgd = tf.keras.optimizers.SGD(0.1)

    def step(b):
        x, y = b
        with tf.GradientTape() as tape:
            noise = tf.random.normal(tf.shape(y))  # a new draw at every call
            loss = tf.reduce_mean(tf.square(net(x) - y + noise)) + tf.add_n(net.losses)
        grads = tape.gradient(loss, net.trainable_variables)
        sgd.apply_gradients(zip(grads, net.trainable_variables, strict=True))

    report = check_training_step(net, step, batch())
    assert "not_reproducible" in report.codes and report.exit_code == 2, report


@selftest
def assert_training_step_fails_with_the_table():
    net = dense_model()
    sgd = tf.keras.optimizers.SGD(0.1)
    try:
        assert_training_step(lambda: (net, custom_step(net, sgd, lambda n: 0.0), batch()))
    except AssertionError as error:
        assert "penalty never reaches the optimizer" in str(error) and "reaches the optimizer" in str(error)
    else:
        raise AssertionError("assert_training_step passed a missing penalty")


def compiled(compute_loss_override):
    class Model(tf.keras.Sequential):
        if compute_loss_override:

            def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, **kwargs):
                return tf.reduce_mean(tf.square(y - y_pred))  # no self.losses

    net = Model([tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(0.01))])
    net.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    return net


@selftest
def the_callback_raises_warns_or_lets_fit_run():
    x, y = batch()
    broken = compiled(compute_loss_override=True)
    try:
        broken.fit(x, y, epochs=1, verbose=0, callbacks=[at_fit_start((x, y))])
    except AssertionError as error:
        assert "penalty never reaches the optimizer" in str(error), error
    else:
        raise AssertionError("the callback let a missing penalty train")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        compiled(True).fit(x, y, epochs=1, verbose=0, callbacks=[at_fit_start((x, y), on_failure="warn")])
    assert any("penalty never reaches" in str(w.message) for w in caught), [str(w.message) for w in caught]
    right = compiled(compute_loss_override=False)
    callback = at_fit_start((x, y))
    history = right.fit(x, y, epochs=2, verbose=0, callbacks=[callback])
    assert len(history.history["loss"]) == 2
    right.fit(x, y, epochs=1, verbose=0, callbacks=[callback])  # checked once: not again
    history = right.fit(x, y, epochs=1, verbose=0, callbacks=[at_fit_start((x, y))])  # traced fit
    assert len(history.history["loss"]) == 1
    try:
        at_fit_start((x, y), on_failure="ignore")
    except ValueError as error:
        assert "on_failure" in str(error)
    else:
        raise AssertionError("a bad on_failure was accepted")


@selftest
def a_legacy_or_unknown_setup_is_refused_in_one_line():
    if KERAS_3:  # a backend the check does not support, as Keras would report it
        import keras

        original = keras.backend.backend
        keras.backend.backend = lambda: "torch"
        try:
            net = dense_model()
            check_training_step(lambda: (net, custom_step(net, tf.keras.optimizers.SGD(0.1)), batch()))
        except CannotCheck as error:
            assert "backend 'torch' is not supported" in str(error), error
        else:
            raise AssertionError("a torch backend was not refused")
        finally:
            keras.backend.backend = original
    else:
        net = dense_model()
        net.compile(optimizer=tf.keras.optimizers.legacy.SGD(0.1), loss="mse")
        try:
            check_training_step(lambda: (net, custom_step(net, net.optimizer), batch()))
        except CannotCheck as error:
            assert "legacy optimizer SGD is not supported" in str(error), error
        else:
            raise AssertionError("a legacy optimizer was not refused")


# The tolerance, as a property: a right step passes for any strength, width and data scale the
# float32 bound covers, and a step whose penalty is off by 1/1000 never does. A check runs the
# step five times (about 0.2 s): 10 examples under `ci`, 100 under `thorough`.
EXAMPLES = {"ci": 10, "thorough": 100}[profile_name()]


@selftest
@settings(current(), max_examples=EXAMPLES)
@given(
    wd=st.floats(1e-6, 10.0),
    width=st.integers(1, 16),
    scale=st.sampled_from([1e-3, 1.0, 1e3]),
    off=st.sampled_from([1.0, 1.001, 0.999]),
)
def tolerance_accepts_right_and_rejects_a_thousandth(wd, width, scale, off):
    def make():
        net = dense_model(units=(width, 1), wd=wd)
        sgd = tf.keras.optimizers.SGD(0.01)
        x, y = batch()
        return net, custom_step(net, sgd, lambda n: off * tf.add_n(n.losses)), (scale * x, scale * y)

    report = check_training_step(make)
    assert report.codes == (["penalty_once"] if off == 1.0 else ["penalty_scaled"]), report


def main() -> int:
    failed = 0
    for test in TESTS:
        name = test.__name__
        try:
            test()
            print(f"ok {name}", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {name}", flush=True)
            traceback.print_exc()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
