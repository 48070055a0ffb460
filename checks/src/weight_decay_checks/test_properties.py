"""Hypothesis properties of every mechanism the site teaches, under Keras 3
and tf-keras: each test draws values (`strategies`) and hands them to a check
(`checks`), which compares Keras with an independent float64 reference
within a derived float32 bound (`bounds`).

Run them with `python -m weight_decay_checks` (a table) or `pytest --pyargs
weight_decay_checks`. The Hypothesis settings come from
`weight_decay_checks.settings`, no conftest needed. Two fixtures run first:
the version gate (outside the supported range, one line and nothing runs) and,
when WEIGHT_DECAY_CHECKS_MUTANT names one, a deliberately wrong piece in place
of Keras' own (`mutants`): the run must then fail.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from weight_decay_checks import checks, differences, kerases, mutants, versions
from weight_decay_checks import strategies as draw
from weight_decay_checks.bounds import f64, penalty_tolerance
from weight_decay_checks.settings import configured, slow

each_keras = pytest.mark.parametrize("k", kerases.NAMES)


@pytest.fixture(scope="session", autouse=True)
def supported_kerases():
    """Both Kerases, once the installed versions are known to be supported."""
    try:
        return kerases.load()
    except versions.UnsupportedVersion as e:
        pytest.exit(f"weight-decay-checks: {e}", returncode=2)


@pytest.fixture(scope="session", autouse=True)
def mutant(supported_kerases):
    """The wrong piece WEIGHT_DECAY_CHECKS_MUTANT names, in place for the run."""
    name = os.environ.get(mutants.ENVIRONMENT)
    if not name:
        yield None
        return
    with mutants.applied(name, supported_kerases[0]):
        yield name


def keras_named(k):
    """The Keras a case runs under; a tf-keras case is skipped, with the
    reason, where tf-keras cannot run."""
    libs, problem = kerases.load()
    if libs[k] is None:
        pytest.skip(problem)
    return libs[k]


# --- 1. the penalty's value ---------------------------------------------------


# --8<-- [start:dense-l2]
@each_keras
@configured
@given(w=draw.kernels(), wd=draw.wd_values)
def test_dense_l2_penalty_is_wd_times_sum_of_squares(k, w, wd):
    """`sum(layer.losses)` of Dense(kernel_regularizer=l2(wd)) equals wd *
    sum(w**2)."""
    checks.check_dense_penalty(keras_named(k), w, wd)


# --8<-- [end:dense-l2]
# --8<-- [start:value]
@each_keras
@configured
@given(case=draw.regularized_weights(), wd=draw.wd_values)
def test_penalty_of_every_regularized_weight_kind(k, case, wd):
    """Dense kernel and bias, Conv1D, Conv2D, Embedding: the penalty is wd *
    sum(w**2)."""
    checks.check_penalty_value(keras_named(k), case, wd)


@each_keras
@configured
@given(w=draw.kernels(max_side=16), l1=draw.wd_values, l2=draw.wd_values)
def test_l1l2_penalty(k, w, l1, l2):
    """L1L2(l1, l2) gives l1 * sum|w| + l2 * sum(w**2)."""
    checks.check_l1l2(keras_named(k), w, l1, l2)


# --8<-- [end:value]


# --- 2. model level -----------------------------------------------------------


# --8<-- [start:model]
@each_keras
@configured
@given(style=draw.model_styles, wds=draw.layer_strengths, seed=draw.seeds)
def test_model_penalties_sum_over_regularized_layers(k, style, wds, seed):
    """k regularized layers give k entries summing to sum_i wd_i *
    ||W_i||^2."""
    checks.check_model_penalties(keras_named(k), style, wds, seed)


# --8<-- [end:model]


# --- 3. computed when read ----------------------------------------------------


# --8<-- [start:lazy]
@each_keras
@configured
@given(pair=draw.kernel_pairs(), wd=draw.positive_wd)
def test_penalty_reflects_assigned_weights_without_forward_pass(k, pair, wd):
    """After kernel.assign(new), and no call, `.losses` is computed from
    new."""
    checks.check_lazy(keras_named(k), *pair, wd)


# --8<-- [end:lazy]


# --- 4. the gradient ----------------------------------------------------------


# --8<-- [start:gradient]
@each_keras
@configured
@given(w=draw.kernels(max_side=16), wd=draw.wd_values)
def test_penalty_gradient_is_2_wd_w(k, w, wd):
    """The tape's gradient of the penalty is 2 * wd * W for the kernel,
    nothing for the bias."""
    checks.check_penalty_gradient(keras_named(k), w, wd)


# --8<-- [end:gradient]


# --- 5. the SGD update --------------------------------------------------------


# --8<-- [start:sgd]
@each_keras
@configured
@given(
    batch=draw.regression_batches(),
    lr=draw.learning_rates,
    wd=st.floats(0, 1.0),
)
def test_sgd_step_with_l2_decays_the_weights(k, batch, lr, wd):
    """One SGD step with l2(wd) is (1 - 2 lr wd) W - lr dL/dW, and equals
    SGD(weight_decay=2 wd)."""
    checks.check_sgd_update(keras_named(k), batch, lr, wd)


# --8<-- [end:sgd]


# --- 6. Adam: not the same ----------------------------------------------------


# --8<-- [start:adam]
@each_keras
@configured
@given(case=draw.adam_cases())
def test_adam_l2_penalty_is_not_decoupled_weight_decay(k, case):
    """With Adam, l2(lam / 2) and weight_decay=lam give different updates
    (see the check)."""
    checks.check_adam_differs(keras_named(k), *case)


# --8<-- [end:adam]


# --- 7. the list-add pitfall --------------------------------------------------


# --8<-- [start:list-add]
@each_keras
@configured
@given(wds=draw.power_of_two_strengths, seed=draw.seeds)
def test_list_add_multiplies_the_data_gradient_by_k(k, wds, seed):
    """Gradient of `loss + net.losses`: k * data gradient + penalty
    gradients"""
    checks.check_list_add(keras_named(k), wds, seed)


# --8<-- [end:list-add]


# --- 8. outside the tape ------------------------------------------------------


# --8<-- [start:outside-tape]
@each_keras
@configured
@given(wd=draw.positive_wd, seed=draw.seeds)
def test_penalty_read_outside_the_tape_adds_no_gradient(k, wd, seed):
    """A penalty read before the tape opens adds exactly nothing to the
    gradient."""
    checks.check_outside_tape(keras_named(k), wd, seed)


# --8<-- [end:outside-tape]


# --- 9. activity penalties ----------------------------------------------------


# --8<-- [start:activity]
@each_keras
@configured
@given(batches=draw.activity_batches(), c=draw.positive_wd)
def test_activity_penalty_is_recomputed_per_call_and_divided_by_batch(
    k, batches, c
):
    """activity_regularizer=l2(c): after each call, one term c *
    sum(out**2) / batch_size (Keras 3 before 3.14: not divided)."""
    older = differences.documented(
        "test_activity_penalty_is_recomputed_per_call_and_divided_by_batch", k
    )
    checks.check_activity(keras_named(k), batches, c, divided=older is None)


# --8<-- [end:activity]


# --- 10. fit and evaluate -----------------------------------------------------


# --8<-- [start:fit]
@each_keras
@slow
@given(batch=draw.regression_batches(), wd=draw.positive_wd)
def test_reported_loss_is_data_loss_plus_penalties(k, batch, wd):
    """fit (lr = 0, one batch) and evaluate report mse +
    sum(model.losses)."""
    checks.check_reported_loss(keras_named(k), batch, wd)


# --8<-- [end:fit]


# --- 11. the two Kerases agree ------------------------------------------------


# --8<-- [start:kerases-agree]
@configured
@given(case=draw.regularized_weights(), wd=draw.wd_values)
def test_keras3_and_tf_keras_give_the_same_penalty(case, wd):
    """Keras 3 and tf-keras give the same penalty for the same weights."""
    libs = [keras_named("keras3"), keras_named("tf-keras")]
    checks.check_kerases_agree(libs, case, wd)


# --8<-- [end:kerases-agree]


# --- 12. invalid strengths ----------------------------------------------------


# --8<-- [start:invalid]
@each_keras
@configured
@given(value=draw.bad_strengths)
def test_invalid_strength(k, value):
    """Keras 3 rejects negative, NaN and inf; tf-keras rejects NaN and inf,
    accepts a finite negative."""
    accepted = k == "tf-keras" and math.isfinite(value)
    checks.check_invalid_strength(keras_named(k), value, accepted)


# --8<-- [end:invalid]


# --- 13. custom training code -------------------------------------------------


# --8<-- [start:custom]
@each_keras
@slow
@given(
    batch=draw.regression_batches(),
    wd=draw.positive_wd,
    lr=draw.learning_rates,
)
def test_custom_train_step_with_compute_loss_matches_fit(k, batch, wd, lr):
    """A train_step using self.compute_loss trains as Keras' own
    train_step."""
    checks.check_custom_train_step(keras_named(k), batch, wd, lr)


@each_keras
@configured
@given(pair=draw.kernel_pairs(), wd=draw.positive_wd)
def test_traced_penalty_equals_eager_penalty_for_any_weights(k, pair, wd):
    """A tf.function traced once returns the eager penalty for new
    weights."""
    checks.check_traced_penalty(keras_named(k), *pair, wd)


@each_keras
@configured
@given(
    w=draw.kernels(max_side=16, elements=draw.moderate_values),
    wd=draw.positive_wd,
)
def test_weight_penalty_stays_float32_under_mixed_precision(k, w, wd):
    """Under mixed_float16 a weight penalty is float32, wd * sum(w**2)."""
    checks.check_mixed_precision_penalty(keras_named(k), w, wd)


# --8<-- [end:custom]


# --- 14. which variables decay ------------------------------------------------


# --8<-- [start:decoupled]
@each_keras
@configured
@given(
    lr=draw.learning_rates,
    wd=st.floats(1e-3, 0.9),
    excluded=draw.exclusions,
    seed=draw.seeds,
)
def test_weight_decay_scales_exactly_the_variables_not_excluded(
    k, lr, wd, excluded, seed
):
    """With zero gradients, SGD(weight_decay=wd) multiplies each variable not
    excluded by 1 - lr * wd and leaves each excluded one unchanged."""
    checks.check_decayed_variables(keras_named(k), lr, wd, excluded, seed)


# --8<-- [end:decoupled]
# --8<-- [start:accumulation]
@pytest.mark.parametrize("k", ["keras3"])  # tf-keras has no accumulation
@configured
@given(
    lr=draw.learning_rates,
    wd=st.floats(1e-3, 0.9),
    steps=st.integers(2, 4),
    seed=draw.seeds,
)
def test_weight_decay_is_applied_once_per_accumulated_update(
    k, lr, wd, steps, seed
):
    """With gradient_accumulation_steps=n and zero gradients, SGD's
    weight_decay leaves the variable unchanged for n - 1 calls and multiplies
    it by 1 - lr * wd at the n-th (Keras 3 before 3.5: at every call)."""
    older = differences.documented(
        "test_weight_decay_is_applied_once_per_accumulated_update", k
    )
    checks.check_accumulated_decay(
        keras_named(k), lr, wd, steps, seed, once=older is None
    )


# --8<-- [end:accumulation]
# --8<-- [start:schedule]
# A schedule that changes at every step: a decay at any other step's rate fails.
EVERY_STEP = {"initial_learning_rate": 0.9, "decay_steps": 1, "decay_rate": 0.5}


@each_keras
@configured
@given(
    schedule=draw.schedules(),
    wd=st.floats(1e-3, 0.9),
    steps=st.integers(2, 12),
    seed=draw.seeds,
)
@example(schedule=("ExponentialDecay", EVERY_STEP), wd=0.5, steps=4, seed=0)
def test_weight_decay_follows_the_learning_rate_schedule(
    k, schedule, wd, steps, seed
):
    """With a learning-rate schedule and zero gradients, AdamW multiplies the
    weights at step t by 1 - lr_t * wd, lr_t the schedule's rate at step t."""
    checks.check_decay_follows_schedule(
        keras_named(k), schedule, wd, steps, seed
    )


# --8<-- [end:schedule]


def test_tolerance_is_not_vacuous():
    """The bound is tight enough to catch the classic mistake: a penalty with
    the book's 1/2."""
    w = np.full((64, 64), 3.0, np.float32)
    wd = 0.01
    exact = wd * float(np.sum(f64(w) ** 2))
    # A factor-of-2 error is 500 times larger than the bound.
    assert penalty_tolerance(wd, w) < 1e-3 * exact
