"""The package's pieces, in-process and without TensorFlow: the Hypothesis profiles, the version
gate, and what importing them does (nothing but defining)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from site_machinery.paths import CHECKS, ROOT
from weight_decay_checks import differences, mutants, settings, versions


def test_profile_choice_and_its_errors():
    assert settings.profile_name({}) == "ci"
    assert settings.profile_name({"HYPOTHESIS_PROFILE": "thorough"}) == "thorough"
    assert settings.profile_name({"HYPOTHESIS_PROFILE": "someone-elses"}) == "ci"
    assert (
        settings.profile_name({"WEIGHT_DECAY_CHECKS_PROFILE": "thorough", "HYPOTHESIS_PROFILE": "ci"})
        == "thorough"
    )
    with pytest.raises(ValueError, match="must be one of ci, thorough, not 'fast'"):
        settings.profile_name({"WEIGHT_DECAY_CHECKS_PROFILE": "fast"})
    with pytest.raises(ValueError, match="must be an integer, not 'x'"):
        settings.seed_value({"WEIGHT_DECAY_CHECKS_SEED": "x"})
    assert not settings.current({"WEIGHT_DECAY_CHECKS_SEED": "7"}).derandomize
    assert settings.describe({"WEIGHT_DECAY_CHECKS_SEED": "7"}) == "profile ci (30 examples, seed 7)"
    assert "shrink" in {p.name for p in settings.current({}).phases}
    assert "shrink" not in {
        p.name for p in settings.current({"WEIGHT_DECAY_CHECKS_MUTANT": "half_l2"}).phases
    }


@pytest.mark.parametrize(
    ("installed", "problem"),
    [
        ({}, "TensorFlow is not installed"),
        ({"tensorflow": "2.15.1", "keras": "2.15.0"}, "TensorFlow 2.15.1 is not supported"),
        ({"tensorflow": "3.0.0", "keras": "3.15.1"}, "TensorFlow 3.0.0 is not supported"),
        ({"tensorflow": "2.21.0"}, "Keras 3 is needed (found: not installed)"),
        ({"tensorflow-cpu": "2.21.0", "keras": "2.15.0"}, "Keras 3 is needed (found: 2.15.0)"),
        ({"tensorflow": "banana", "keras": "3.1"}, "cannot read the version of TensorFlow ('banana')"),
    ],
)
def test_unsupported_versions_are_named(monkeypatch, installed, problem):
    monkeypatch.setattr(versions, "installed", installed.get)
    with pytest.raises(versions.UnsupportedVersion, match=re.escape(problem)) as e:
        versions.check()
    assert str(e.value).endswith(f"supported: {versions.SUPPORTED}")


def test_supported_versions_and_the_tf_keras_reasons(monkeypatch):
    monkeypatch.setattr(versions, "installed", {"tensorflow-cpu": "2.16.1", "keras": "3.3.3"}.get)
    found = versions.check()
    assert found == versions.Versions("2.16.1", "3.3.3", None)
    assert "pip install 'tf-keras==2.16.*'" in versions.tf_keras_problem(found)
    assert versions.tf_keras_problem(versions.Versions("2.21.0", "3.15.1", "2.21.0")) is None
    assert "does not match" in versions.tf_keras_problem(versions.Versions("2.21.0", "3.15.1", "2.20.0"))


def test_the_package_folder_is_what_the_site_builds():
    """No copy of the properties in tests/: the suite runs the package's, from the wheel."""
    assert not list((ROOT / "tests").rglob("test_properties.py"))
    assert (ROOT / "checks" / "src" / "weight_decay_checks" / "test_properties.py").is_file()


IMPORT_EFFECTS = (
    "import sys, weight_decay_checks.{module}; "
    "keras = sys.modules.get('keras'); "
    "print(sorted(m for m in ('tensorflow', 'keras', 'tf_keras') if m in sys.modules), "
    "keras is None or keras.regularizers.l2.__module__.startswith('keras.'))"
)


@pytest.mark.parametrize(
    ("module", "imports"),
    [
        ("bounds", "[]"),
        ("strategies", "[]"),
        ("settings", "[]"),
        ("versions", "[]"),
        ("mutants", "[]"),
        ("checks", "['keras', 'tensorflow']"),  # what TensorFlow itself imports: no tf_keras
    ],
)
def test_importing_a_module_of_the_package_does_nothing_but_define(module, imports):
    """Importing the package's machinery checks no version, imports no Keras it does not need
    and patches nothing (Keras' own l2 stays in place): the test module's fixtures do the
    gating and the patching."""
    proc = subprocess.run(
        [sys.executable, "-c", IMPORT_EFFECTS.format(module=module)],
        env={"PYTHONPATH": str(CHECKS / "src"), "TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == f"{imports} True", f"importing {module}: {proc.stdout.strip()}"


def test_the_mutant_registry_names_real_properties_and_real_pieces():
    """Every property a mutant names exists; every property is named by some mutant (the catch
    matrix covers every property); the command line reads the names without TensorFlow."""
    from weight_decay_checks.__main__ import property_names

    names = set(property_names())
    named = {p for m in mutants.MUTANTS.values() for p in m.caught_by}
    assert named <= names, f"no such property: {sorted(named - names)}"
    uncaught = names - named - {"test_tolerance_is_not_vacuous"}
    assert not uncaught, f"no mutant is caught by: {sorted(uncaught)}"


def test_each_documented_difference_names_real_properties_assertions_and_releases():
    """differences.py, which the package and the versions page read: every property and
    assertion a difference names exists, and each change is a real Keras 3 release."""
    from hooks.verified_by import labelled_asserts
    from weight_decay_checks.__main__ import property_names

    names = set(property_names())
    for d in differences.DIFFERENCES:
        assert set(d.properties) <= names, d.name
        assert d.properties or d.assertions, d.name
        for assertion in d.assertions:
            file, label = assertion.split("#")
            assert label in labelled_asserts((ROOT / "snippets" / file).read_text()), assertion
        assert re.fullmatch(r"3\.\d+", d.keras) and d.pull_request > 0, d.name
    assert len({d.name for d in differences.DIFFERENCES}) == len(differences.DIFFERENCES)


ACTIVITY = "test_activity_penalty_is_recomputed_per_call_and_divided_by_batch"


@pytest.mark.parametrize(
    ("keras", "column", "demanded", "expected"),
    [
        ("3.13.2", "keras3", "", "activity-batch"),
        ("3.3.3", "keras3", "0", "activity-batch"),
        ("3.14.0", "keras3", "", None),  # the release that changed it: today's behaviour
        ("3.13.2", "tf-keras", "", None),  # tf-keras always divided
        ("3.13.2", "keras3", "1", None),  # --current-behaviour
    ],
)
def test_a_difference_applies_only_before_its_release_to_keras_3_and_not_when_demanded(
    monkeypatch, keras, column, demanded, expected
):
    monkeypatch.setattr(differences.metadata, "version", lambda name: keras)
    monkeypatch.setenv(differences.ENVIRONMENT, demanded)
    found = differences.documented(ACTIVITY, column)
    assert (found.name if found else None) == expected
    assert differences.documented("test_penalty_gradient_is_2_wd_w", column) is None
