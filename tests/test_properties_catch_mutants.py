"""The properties must fail on wrong mechanisms: each is run against deliberately wrong implementations.

The properties are those of the weight-decay-checks package (checks/src/weight_decay_checks),
the mutants its `mutants` module. A mutant is a wrong version of one piece the site teaches (the penalty formula, when it is
computed, how penalties are collected, ...). For every (property, mutant) pair, CAUGHT says
whether the property must fail; the test runs Hypothesis with the mutant in place and checks
exactly that, so a property that silently stops catching a mutant fails here too. Where a
property does not catch a mutant, another one does: every mutant is caught by at least one.
"""

from __future__ import annotations

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from weight_decay_checks import test_properties as P
from weight_decay_checks.mutants import (
    caching_l2,
    counts_first_twice,
    forgets_last_layer,
    half_l2,
    l2_posing_as_decoupled,
    no_gradient_l2,
    read_inside,
    summed,
    undivided_activity_l2,
)

# --- the properties, each taking one mutant ---------------------------------------------------

k3 = P.KERASES["keras3"]

# No shrinking (the first failure is enough), no example database: each run starts afresh.
FAST = settings(
    max_examples=30,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
)


def hypothesis_run(fn, **strategies):
    """Run `fn` as a Hypothesis test with FAST settings; raises what the property raises."""
    FAST(given(**strategies)(fn))()


def run_penalty_value(reg):
    hypothesis_run(
        lambda case, wd: P.check_penalty_value(k3, case, wd, regularizer=reg),
        case=P.regularized_weights(),
        wd=P.positive_wd,
    )


def run_model(reg=P.keras_l2, penalties=P.model_losses):
    hypothesis_run(
        lambda style, wds, seed: P.check_model_penalties(
            k3, style, wds, seed, penalties=penalties, regularizer=reg
        ),
        style=st.sampled_from(["sequential", "functional", "nested", "shared"]),
        wds=st.lists(st.one_of(st.none(), P.positive_wd), min_size=1, max_size=4),
        seed=st.integers(0, 2**16),
    )


def run_lazy(reg):
    hypothesis_run(
        lambda pair, wd: P.check_lazy(k3, *pair, wd, regularizer=reg),
        pair=P.kernel_pairs(),
        wd=P.positive_wd,
    )


def run_gradient(reg):
    hypothesis_run(
        lambda w, wd: P.check_penalty_gradient(k3, w, wd, regularizer=reg),
        w=P.kernels(max_side=16),
        wd=P.positive_wd,
    )


def run_sgd(reg):
    hypothesis_run(
        lambda batch, lr, wd: P.check_sgd_update(k3, batch, lr, wd, regularizer=reg),
        batch=P.regression_batches(),
        lr=P.learning_rates,
        wd=st.floats(0.01, 1.0),
    )


def run_activity(reg):
    hypothesis_run(
        lambda batches, c: P.check_activity(k3, batches, c, regularizer=reg),
        batches=P.activity_batches(),
        c=P.positive_wd,
    )


def run_list_add(combine):
    wds = st.sampled_from([1, 2, 4]).flatmap(lambda k: st.lists(P.positive_wd, min_size=k, max_size=k))
    hypothesis_run(
        lambda wds, seed: P.check_list_add(k3, wds, seed, combine=combine),
        wds=wds,
        seed=st.integers(0, 2**16),
    )


def run_outside(step):
    hypothesis_run(
        lambda wd, seed: P.check_outside_tape(k3, wd, seed, step=step),
        wd=P.positive_wd,
        seed=st.integers(0, 2**16),
    )


def run_adam(step):
    hypothesis_run(
        lambda case: P.check_adam_differs(k3, *case, decoupled_step=step),
        case=P.adam_cases(),
    )


MUTANTS = {
    "half_l2": half_l2,
    "caching_l2": caching_l2,
    "no_gradient_l2": no_gradient_l2,
}
RUNS = {  # property -> how to run it with a regularizer mutant
    "1 penalty value": run_penalty_value,
    "2 model level": lambda reg: run_model(reg=reg),
    "3 laziness": run_lazy,
    "4 gradient": run_gradient,
    "5 SGD update": run_sgd,
}
# The matrix is shown on the verify page: kept at 80 columns by hand.
# fmt: off
# --8<-- [start:matrix]
# Which regularizer mutants each property catches. half_l2 is a wrong value
# everywhere; caching_l2 is right at the first read, so only re-reading after a
# change exposes it; no_gradient_l2 has the right value, so only the
# gradient-based properties see it.
CAUGHT = {
    ("1 penalty value", "half_l2"): True,
    ("1 penalty value", "caching_l2"): False,
    ("1 penalty value", "no_gradient_l2"): False,
    ("2 model level", "half_l2"): True,
    ("2 model level", "caching_l2"): False,
    ("2 model level", "no_gradient_l2"): False,
    ("3 laziness", "half_l2"): True,
    ("3 laziness", "caching_l2"): True,
    ("3 laziness", "no_gradient_l2"): False,
    ("4 gradient", "half_l2"): True,
    # its first read is inside the tape: the right gradient
    ("4 gradient", "caching_l2"): False,
    ("4 gradient", "no_gradient_l2"): True,
    ("5 SGD update", "half_l2"): True,
    # one step, one read: the cache never goes stale
    ("5 SGD update", "caching_l2"): False,
    ("5 SGD update", "no_gradient_l2"): True,
}
# Mutants of the other mechanisms, each with the property that must catch it.
OTHER = {
    "2 model level / forgets the last layer": lambda: run_model(
        penalties=forgets_last_layer
    ),
    "2 model level / counts a term twice": lambda: run_model(
        penalties=counts_first_twice
    ),
    "6 Adam / L2 posing as decoupled decay": lambda: run_adam(
        l2_posing_as_decoupled
    ),
    "7 list-add / the sum instead of the list": lambda: run_list_add(summed),
    "8 outside the tape / read inside": lambda: run_outside(read_inside),
    "9 activity / no division by batch": lambda: run_activity(
        undivided_activity_l2
    ),
}
# --8<-- [end:matrix]
# fmt: on


def fails(run, *args) -> bool:
    """True when the property fails (Hypothesis may report several failures as a group)."""
    try:
        run(*args)
    except AssertionError:
        return True
    except ExceptionGroup as group:
        if (
            group.subgroup(AssertionError) is not None
            and group.subgroup(lambda e: not isinstance(e, (AssertionError, ExceptionGroup))) is None
        ):
            return True
        raise
    return False


@pytest.mark.parametrize(("prop", "mutant"), sorted(CAUGHT), ids=[f"{p}-{m}" for p, m in sorted(CAUGHT)])
def test_regularizer_mutant(prop, mutant):
    caught = fails(RUNS[prop], MUTANTS[mutant])
    assert caught == CAUGHT[prop, mutant], (
        f"property {prop!r} {'did not catch' if CAUGHT[prop, mutant] else 'unexpectedly failed on'}"
        f" the wrong implementation {mutant!r}"
    )


@pytest.mark.parametrize("case", sorted(OTHER))
def test_other_mutant_is_caught(case):
    assert fails(OTHER[case]), f"{case}: the property passed on a wrong implementation"


def test_the_real_implementations_pass():
    """The same runners with the real Keras pieces pass, so a 'catch' above is the mutant's doing."""
    for run in RUNS.values():
        assert not fails(run, P.keras_l2)
    assert not fails(run_model)
    assert not fails(run_activity, P.keras_l2)
    assert not fails(run_list_add, P.list_add)
    assert not fails(run_outside, P.read_outside)
    assert not fails(run_adam, P.adam_step)


def test_every_mutant_is_caught_somewhere():
    for mutant in MUTANTS:
        assert any(CAUGHT[p, mutant] for p in RUNS), f"no property catches {mutant}"
