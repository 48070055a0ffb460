"""Recorded outputs: the comparison rule (site_machinery/compare.py) accepts what re-rounding the
same value on another CPU can produce and rejects everything else; the naming rule and the one
check-or-record path (site_machinery/recordings.py) do what `make record` and the suite need;
no recording is left without its program."""

from __future__ import annotations

import pytest

from site_machinery.compare import EPS, compare, number_matches
from site_machinery.paths import relative
from site_machinery.recordings import Recording, every_recording, stale_files


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


def test_recording_writes_one_file_when_the_kerases_agree_and_two_when_they_differ(tmp_path):
    recording = Recording(tmp_path, "prog")
    assert recording.settle({"keras3": "a 1.0\n", "tf-keras": "a 1.0\n"}, mode="record") == []
    assert [p.name for p in recording.files()] == ["prog.txt"]
    recording.settle({"keras3": "a 1.0\n", "tf-keras": "a 2.0\n"}, mode="record")
    assert [p.name for p in recording.files()] == ["prog.keras3.txt", "prog.tf-keras.txt"]
    assert recording.settle({"keras3": "a 1.0\n", "tf-keras": "a 2.0\n"}, mode="check") == []
    recording.settle({"keras3": "b\n", "tf-keras": "b\n"}, mode="record")  # agree again
    assert [p.name for p in recording.files()] == ["prog.txt"], "the per-Keras files are gone"


def test_checking_names_the_keras_the_file_and_the_difference(tmp_path):
    recording = Recording(tmp_path, "prog")
    recording.settle({"keras3": "loss 0.0756\n", "tf-keras": "loss 0.0756\n"}, mode="record")
    (problem,) = recording.settle({"tf-keras": "loss 0.0757\n"}, mode="check")
    assert problem.startswith("prog [tf-keras] printed something other than") and "+loss 0.0757" in problem
    (missing,) = Recording(tmp_path, "other").settle({"keras3": "x"}, mode="check")
    assert "no recording" in missing and "make record" in missing


def test_a_single_file_recording_never_splits(tmp_path):
    """Notebook pages and package runs keep one file, which every Keras must print."""
    recording = Recording(tmp_path, "nb", per_keras=False)
    recording.settle({"keras3": "x\n"}, mode="record")
    assert recording.settle({"tf-keras": "y\n"}, mode="check"), "tf-keras must print Keras 3's output"
    assert [p.name for p in recording.candidates()] == ["nb.txt"]


def test_every_recording_has_its_program_and_every_program_its_recording():
    """No stale file in snippets/output/ (a program renamed or removed), and no program, notebook
    page or package run a page shows without a recording."""
    assert not stale_files(), f"recorded outputs of no program: {[relative(p) for p in stale_files()]}"
    missing = [r.name for r in every_recording() if not r.files()]
    assert not missing, f"programs with no recorded output (run `make record`): {missing}"
