"""`python -m weight_decay_checks`, beyond the page's plain run: its deliberately wrong pieces
(weight_decay_checks/mutants.py) make the properties fail (`--mutants`, the catch matrix, and one
mutant failing a plain run with exit 1), a tf-keras of another version is skipped with the
reason, and a bad option exits 2 with one line.

These run the package from its source, forked from the suite's TensorFlow server (the same code
as the wheel, which tests/package/test_reader.py installs and runs as a reader does).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_machinery.programs import Program
from site_machinery.recordings import PACKAGE_RUNS, Recording


def run_command(runner, *args: str, **env: str):
    return runner.run(Program.of_module("weight_decay_checks", *args, budget="package"), "keras3", **env)


def package_run(runner, name: str):
    args, status = PACKAGE_RUNS[name]
    run = run_command(runner, *args)
    assert run.returncode == status, run.failure()
    problems = Recording.of_package_run(name).settle({"keras3": run.stdout}, mode="check")
    assert not problems, "\n".join(problems)
    return run


@pytest.mark.slow
def test_every_mutant_is_caught_by_every_property_that_names_it(runner):
    """The catch matrix, run as the verify page shows: each mutant in place for a run of the
    properties it names, each of which fails under every Keras it runs under (exit 0), and
    the output is the recorded one."""
    package_run(runner, "mutants")


def test_a_wrong_regularizer_fails_a_plain_run_with_exit_1(runner):
    """With half_l2 in place of Keras' l2 the gradient property fails under both Kerases: exit
    status 1, the falsifying example on stderr."""
    run = package_run(runner, "mutant-half_l2")
    assert "Falsifying example" in run.stderr or "Failing test case" in run.stderr


def fake_distribution(folder: Path, name: str, version: str) -> Path:
    """A dist-info folder that makes importlib.metadata report `name` at `version`."""
    info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return folder


def test_a_mismatched_tf_keras_is_skipped_with_the_reason(runner, tmp_path):
    fake = fake_distribution(tmp_path, "tf-keras", "2.19.0")
    run = run_command(runner, "--only", "penalty_gradient_is_2_wd_w", PYTHONPATH=str(fake))
    assert run.returncode == 0, run.failure()
    assert re.search(r"^penalty_gradient_is_2_wd_w\s+pass\s+skipped$", run.stdout, re.M), run.stdout
    assert "skipped: tf-keras 2.19.0 does not match TensorFlow 2.21.0" in run.stdout


def test_an_unknown_property_or_mutant_exits_2(runner):
    run = run_command(runner, "--only", "no_such_property")
    assert run.returncode == 2
    assert run.stderr.strip() == "weight-decay-checks: no property 'no_such_property'; see --list"
    run = run_command(runner, "--mutant", "quarter_l2")
    assert run.returncode == 2
    assert run.stderr.strip().startswith("weight-decay-checks: no mutant 'quarter_l2'; choose one of half_l2")
