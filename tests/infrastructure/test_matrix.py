"""The version matrix (`make matrix`, tools/matrix.py; shown on docs/versions.md and under every
"Verified by" box): the recorded run is not older than the pins, covers six pairs from the
oldest the package supports, and every failure in it is a documented difference, seen where
documented and not after. Then the machinery that turns runs into cells and sentences, on
made-up runs, including the ones it must reject."""

from __future__ import annotations

import copy

import pytest
from packaging.version import Version

from site_machinery import matrix
from site_machinery.paths import ROOT, relative, snippets
from tools.matrix import in_matrix
from weight_decay_checks import versions
from weight_decay_checks.__main__ import property_names
from weight_decay_checks.differences import DIFFERENCES

DATA = matrix.load()


def evidence_of(difference) -> list[str]:
    return [f"snippets/{a}" for a in difference.assertions] + [
        f"{matrix.PROPERTIES}::{p}" for p in difference.properties
    ]


# --- the recorded run ---------------------------------------------------------------------


def test_the_matrix_is_not_older_than_the_pins():
    """The recorded matrix ran exactly the pinned TensorFlow, Keras and tf-keras."""
    assert matrix.stale(DATA) is None, matrix.stale(DATA)


def test_the_matrix_ran_every_pair_from_the_oldest_supported_to_the_pins():
    """It ran every pair of site_machinery/matrix.py (at least six), the first on the oldest
    TensorFlow the package supports."""
    ran = [run["pair"] for run in DATA["pairs"]]
    assert ran == [pair.name for pair in matrix.PAIRS] and len(ran) >= 6
    oldest = Version(DATA["pairs"][0]["versions"]["tensorflow"])
    assert oldest.release[:2] == versions.MIN_TENSORFLOW.release[:2]


def test_every_property_ran_on_every_pair_and_every_program_still_exists():
    """Every property of the package ran on every pair. The programs it ran are snippets of
    today (a snippet added since is shown as checked on the pinned versions only)."""
    names = set(property_names())
    programs = {relative(s) for s in snippets() if in_matrix(s)}
    for run in DATA["pairs"]:
        assert set(run["package"]["results"]) == names, f"{run['pair']}: run `make matrix` again"
        assert run["programs"] and set(run["programs"]) <= programs, run["pair"]


def test_no_statement_fails_on_any_pair_without_a_documented_difference():
    """Every assertion and property the matrix ran holds on every pair, or fails there as a
    documented difference of that Keras release says."""
    assert matrix.problems(DATA) == []


def stopped_by_another(run: dict, evidence: str, difference) -> bool:
    """Whether `evidence` is unknown on `run` because its program stopped at an assertion that
    another documented difference explains there."""
    path = evidence.split("#")[0]
    outcomes = run["programs"].get(path, {}).get("keras3", {})
    return matrix.cell(run, evidence, "keras3") == "unknown" and any(
        matrix.cell(run, f"{path}#{label}", "keras3").startswith("documented:")
        and matrix.cell(run, f"{path}#{label}", "keras3") != f"documented:{difference.name}"
        for label, outcome in outcomes.items()
        if outcome == "fails"
    )


@pytest.mark.parametrize("difference", DIFFERENCES, ids=lambda d: d.name)
def test_each_documented_difference_is_seen_before_its_release_and_not_from_it(difference):
    """Under Keras 3 before the release that changed it, the evidence differs: at least one
    piece fails as the difference says, and none fails otherwise. From that release on it holds
    (or is unknown only because another documented difference stopped its program first), and
    under every tf-keras it holds. Pairs on both sides were run."""
    before = after = 0
    for run in DATA["pairs"]:
        older = Version(run["versions"]["keras"]) < Version(difference.keras)
        cells = {e: matrix.cell(run, e, "keras3") for e in evidence_of(difference)}
        assert None not in cells.values(), (run["pair"], cells)
        if older:
            before += 1
            assert f"documented:{difference.name}" in cells.values(), (run["pair"], cells)
            assert all(c in ("holds", "unknown") or c.startswith("documented:") for c in cells.values())
        else:
            after += 1
            for e, c in cells.items():
                assert c == "holds" or stopped_by_another(run, e, difference), (run["pair"], e, c)
        for e in evidence_of(difference):
            assert matrix.cell(run, e, "tf-keras") in ("holds", None), (run["pair"], e)
    assert before and after


def test_on_the_oldest_pair_the_readers_command_passes_labelled_and_fails_when_it_must():
    """`python -m weight_decay_checks` exits 0 and names each documented difference it met;
    with a mutant in place it exits 1; with --current-behaviour it exits 1."""
    package = DATA["pairs"][0]["package"]
    keras = DATA["pairs"][0]["versions"]["keras"]
    applying = [d for d in DIFFERENCES if d.properties and d.applies_to(keras)]
    assert package["exit"] == 0 and applying
    for d in applying:
        assert f"as documented for this release: {d.label}" in package["stdout"], d.label
        assert f"pass ({d.label})" in [c.get("keras3") for c in package["results"].values()]
    assert package["mutant_exit"] == 1
    assert package["current_behaviour_exit"] == 1


def test_on_the_pins_the_flag_changes_nothing():
    """On the pinned versions --current-behaviour exits 0, and no property passes as an older
    release's behaviour."""
    package = DATA["pairs"][-1]["package"]
    assert package["exit"] == package["current_behaviour_exit"] == 0
    assert "as documented" not in package["stdout"]


# --- the machinery, on made-up runs -----------------------------------------------------------

ACTIVITY = "snippets/activity_penalty_forward_pass.py#divided-by-batch"
PROPERTY = f"{matrix.PROPERTIES}::test_activity_penalty_is_recomputed_per_call_and_divided_by_batch"


def made_up(keras: str, outcomes: dict[str, str], prop: str = "pass") -> dict:
    return {
        "pair": f"x:{keras}",
        "versions": {"tensorflow": "2.99.0", "keras": keras, "tf-keras": "2.99.0"},
        "package": {"results": {PROPERTY.split("::")[1]: {"keras3": prop, "tf-keras": "pass"}}},
        "programs": {
            "snippets/activity_penalty_forward_pass.py": {
                "keras3": outcomes,
                "tf-keras": dict.fromkeys(outcomes, "holds"),
            }
        },
    }


PROGRAM = """
assert True, "a: first, at the top level"
def f():
    assert True, "b: inside a function"
f()
assert False, "c: the one that fails"
assert True, "d: below it"
"""


def test_a_runs_exit_and_stderr_give_each_assertions_outcome():
    labels = ["a", "b", "c", "d"]
    assert matrix.assertion_outcomes(PROGRAM, 0, "") == dict.fromkeys(labels, "holds")
    stopped = matrix.assertion_outcomes(PROGRAM, 1, "Traceback ...\nAssertionError: c: the one\n")
    # above it at the top level: ran and held; in a function or below it: not known
    assert stopped == {"a": "holds", "b": "unknown", "c": "fails", "d": "unknown"}
    crashed = matrix.assertion_outcomes(PROGRAM, 1, "Traceback ...\nAttributeError: no such thing\n")
    assert set(crashed.values()) == {"error: AttributeError: no such thing"}
    assert set(matrix.assertion_outcomes(PROGRAM, None, "").values()) == {"error: timed out"}
    # a label the program does not have is an error, not a silent "fails"
    assert set(matrix.assertion_outcomes(PROGRAM, 1, "AssertionError: z: other\n").values()) == {
        "error: AssertionError: z: other"
    }


def test_a_failure_is_documented_only_inside_its_range_and_otherwise_a_problem():
    old = made_up("3.13.2", {"divided-by-batch": "fails"}, prop="pass (Keras < 3.14 behaviour, PR 22021)")
    new = made_up("3.14.1", {"divided-by-batch": "fails"}, prop="FAIL")
    assert matrix.cell(old, ACTIVITY, "keras3") == "documented:activity-batch"
    assert matrix.cell(old, PROPERTY, "keras3") == "documented:activity-batch"
    assert matrix.cell(new, ACTIVITY, "keras3") == "fails"
    assert matrix.cell(new, PROPERTY, "keras3") == "fails"
    assert matrix.cell(old, "tests/site/test_build.py::test_x", "keras3") is None
    data = {"pairs": [old, new]}
    found = matrix.problems(data)
    assert len(found) == 2 and all("Keras 3.14.1" in line for line in found), found
    tf_keras_fails = made_up("3.13.2", {"divided-by-batch": "holds"})
    tf_keras_fails["programs"]["snippets/activity_penalty_forward_pass.py"]["tf-keras"] = {
        "divided-by-batch": "fails"
    }
    assert matrix.problems({"pairs": [tf_keras_fails]}) != []  # no difference is tf-keras'
    # an error or a timeout is never documented, even on a release a difference covers
    crashed = made_up("3.13.2", {"divided-by-batch": "error: ImportError: no module"})
    assert matrix.cell(crashed, ACTIVITY, "keras3") == "error: ImportError: no module"
    assert any("ImportError" in line for line in matrix.problems({"pairs": [crashed]}))


def test_the_box_sentence_says_holds_differs_fails_and_pinned_only():
    holds = made_up("3.14.1", {"divided-by-batch": "holds"})
    old = made_up("3.13.2", {"divided-by-batch": "fails"})
    new_fails = made_up("3.15.1", {"divided-by-batch": "fails"})
    everywhere = matrix.coverage([ACTIVITY], "index.md", {"pairs": [holds, holds]})
    assert everywhere.startswith("Holds on every pair of the [version matrix](versions.md#claims)")
    differs = matrix.coverage([ACTIVITY], "sub/page.md", {"pairs": [old, holds]})
    assert "Holds on 3 of the 4 runs" in differs
    assert "Differs, as documented, on Keras 3.13.2: [Keras < 3.14 behaviour, PR 22021]" in differs
    assert "(../versions.md#activity-batch)" in differs
    fails = matrix.coverage([ACTIVITY], "index.md", {"pairs": [holds, new_fails]})
    assert "**Fails** on TensorFlow 2.99.0, Keras 3.15.1." in fails
    two = made_up("3.13.2", {"divided-by-batch": "fails", "replaced-at-each-call": "unknown"})
    stopped = matrix.coverage(
        [f"{ACTIVITY.split('#')[0]}#replaced-at-each-call"], "index.md", {"pairs": [two]}
    )
    assert "Unknown on TensorFlow 2.99.0, Keras 3.13.2: the program stopped" in stopped, stopped
    two_new = made_up("3.15.1", {"divided-by-batch": "fails", "replaced-at-each-call": "unknown"})
    unexplained = matrix.coverage(
        [f"{ACTIVITY.split('#')[0]}#replaced-at-each-call"], "index.md", {"pairs": [two_new]}
    )
    assert "**Fails** on TensorFlow 2.99.0, Keras 3.15.1." in unexplained, unexplained
    only_some = copy.deepcopy(holds)
    only_some["programs"] = {}
    partial = matrix.coverage([ACTIVITY], "index.md", {"pairs": [holds, only_some]})
    assert "Holds on 2 of the 2 runs of the [version matrix](versions.md#claims) that ran it" in partial
    assert "1 of its 2 pairs" in partial and "every pair" not in partial, partial
    pinned = matrix.coverage([ACTIVITY, "tests/site/test_build.py::test_x"], "index.md", {"pairs": [holds]})
    assert pinned.endswith("Checked on the pinned versions only: `test_x`.")
    assert "pinned versions only" in matrix.coverage([ACTIVITY], "index.md", {})


def test_a_matrix_older_than_the_pins_is_stale():
    older = copy.deepcopy(DATA)
    older["pairs"][-1]["versions"]["keras"] = "3.0.0"  # the pins pair is the last
    assert "run `make matrix` again" in matrix.stale(older)
    assert "no version matrix" in matrix.stale(None)


def test_the_claims_table_has_a_row_per_claim_the_matrix_ran():
    from hooks.verified_by import claims

    rows = matrix.claims_table(claims(), DATA).splitlines()[2:]
    ran = [c for c in claims() if any(matrix.cell(r, c[1], "keras3") for r in DATA["pairs"])]
    assert len(rows) == len(ran) > 50
    assert (ROOT / "docs" / "versions.md").read_text().count(
        "<!-- version matrix: claims x versions -->"
    ) == 1


def test_the_last_pair_is_the_pins_minor_versions():
    pinned = matrix.pins()
    last = matrix.PAIRS[-1]
    assert pinned["tensorflow"].startswith(last.tensorflow + ".")
    assert pinned["keras"].startswith(last.keras + ".")
