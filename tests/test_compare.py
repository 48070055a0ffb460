"""The output comparison itself (tests/support/compare.py): it accepts what re-rounding the
same value on another CPU can produce, and rejects everything else."""

from __future__ import annotations

import pytest

from tests.support.compare import EPS, compare, number_matches


@pytest.mark.parametrize(
    ("recorded", "printed"),
    [
        ("loss 0.0756", "loss 0.0756"),
        ("[]\n[0.6]", "[]\n[0.6]"),
        ("w 6.77299500", "w 6.77299547"),  # digits finer than float32 resolves: noise
        ("w 1.0000000", "w 0.99999994"),  # float32's neighbour of 1, printed by repr
        ("a 1e-05", "a 9.999999e-06"),  # %g switching notation for the same value
        ("gap 0.00", "gap -0.00"),  # a signed zero
    ],
)
def test_accepts_re_rounding(recorded, printed):
    assert compare(recorded, printed) is None


@pytest.mark.parametrize(
    ("recorded", "printed"),
    [
        ("[2. 2. 2.]", "[1. 1. 1.]"),  # a whole unit of a coarse print: a real change
        ("after build: 0.6", "after build: 0.7"),
        ("loss 0.0756", "loss 0.0757"),  # one unit in the last digit: outside the interval
        ("loss 0.0756", "loss 0.756"),
        ("l2(3)", "l2(4)"),  # integers carry no rounding: exact
        ("shape (2,)", "shape (3,)"),
        ("train loss 1.0", "test loss 1.0"),  # text must match exactly
        ("a\nb", "a"),  # a missing line
        ("a", "a\nb"),  # an extra line
        ("x 0.5", "x -0.5"),
    ],
)
def test_rejects_with_a_diff(recorded, printed):
    diff = compare(recorded, printed)
    assert diff is not None
    assert "--- recorded" in diff and "+++ printed now" in diff


def test_the_interval_is_half_a_unit_widened_by_eps():
    """At the edge: half a unit plus EPS * |d| passes, a little more fails."""
    d = 0.0756
    edge = d + 0.00005 + float(EPS) * d
    assert number_matches("0.0756", f"{edge * 0.999999:.12f}")
    assert not number_matches("0.0756", f"{edge * 1.000001:.12f}")
