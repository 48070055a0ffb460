"""The output comparison itself: it must accept rounding noise and reject everything else."""

from __future__ import annotations

import pytest

from tests.snippet_runner import compare


@pytest.mark.parametrize(
    ("recorded", "printed"),
    [
        ("loss 0.0756", "loss 0.0756"),
        ("loss 0.0756", "loss 0.0757"),  # one unit in the last printed digit
        ("loss 0.0756", "loss 0.0755"),
        ("w 1.25e-05", "w 1.26e-05"),
        ("a 1e-05", "a 9.999e-06"),  # %g switching notation across a rounding boundary
        ("[]\n[0.6]", "[]\n[0.6]"),
    ],
)
def test_accepts(recorded, printed):
    assert compare(recorded, printed) is None


@pytest.mark.parametrize(
    ("recorded", "printed"),
    [
        ("loss 0.0756", "loss 0.0758"),  # two units off
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
