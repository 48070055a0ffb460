"""The version matrix (`make matrix`, shown on docs/versions.md): what it recorded is rendered
faithfully, covers every property, ends with the pinned versions, and says what the page says."""

from __future__ import annotations

import json
from importlib import metadata

from packaging.version import Version

from site_machinery.paths import OUTPUTS
from tools.matrix import render
from weight_decay_checks.__main__ import property_names

MATRIX = OUTPUTS / "matrix"
ACTIVITY = "test_activity_penalty_is_recomputed_per_call_and_divided_by_batch"


def results() -> dict:
    return json.loads((MATRIX / "results.json").read_text())


def outcome(run: dict, name: str, column: str) -> str:
    cells = run["results"][name]
    return cells.get("both", cells.get(column))


def test_the_table_is_the_one_the_results_render_to():
    assert (MATRIX / "table.md").read_text() == render(results())


def test_the_matrix_covers_every_property_and_at_least_three_tensorflow_releases():
    data = results()
    assert data["properties"] == property_names(), "the package changed: run `make matrix` again"
    for run in data["runs"]:
        assert set(run["results"]) == set(property_names())
    tensorflows = {Version(run["exact"]["tensorflow"]).release[:2] for run in data["runs"]}
    assert len(tensorflows) >= 3


def test_the_newest_pair_is_what_this_site_pins():
    newest = results()["runs"][-1]["exact"]
    for name in ("tensorflow", "keras", "tf-keras"):
        assert newest[name] == metadata.version(name), f"{name}: run `make matrix` again"


def test_keras_before_3_14_does_not_divide_the_activity_penalty_by_the_batch():
    """The activity property fails under Keras 3 before 3.14 and holds from 3.14 on; it holds
    under every tf-keras checked."""
    runs = results()["runs"]
    keras_versions = {Version(run["exact"]["keras"]) for run in runs}
    assert any(v < Version("3.14") for v in keras_versions) and any(
        v >= Version("3.14") for v in keras_versions
    )
    for run in runs:
        before = Version(run["exact"]["keras"]) < Version("3.14")
        assert outcome(run, ACTIVITY, "keras3") == ("FAIL" if before else "pass"), run["exact"]
        assert outcome(run, ACTIVITY, "tf-keras") == "pass", run["exact"]


def test_every_other_property_holds_on_every_pair():
    """Every other property holds on every TensorFlow/Keras pair of the matrix, under both Kerases."""
    for run in results()["runs"]:
        for name in property_names():
            if name != ACTIVITY:
                for column in ("keras3", "tf-keras"):
                    assert outcome(run, name, column) == "pass", (name, column, run["exact"])
