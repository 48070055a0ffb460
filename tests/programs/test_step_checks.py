"""The training-step check on real code: every program of snippets/steps/ gets the verdicts
its EXPECTED names (the site's pitfall pairs, the reader's loop, the book's loops, Keras'
guides, TensorFlow's tutorials, a GAN), under both Kerases, on JAX, and in a 2-worker cluster;
the tables they print are the page's (snippets/output/steps/, `make record`)."""

from __future__ import annotations

import pytest

from site_machinery import step_runs
from site_machinery.paths import KERASES
from site_machinery.programs import Program
from site_machinery.recordings import STEP_RUNS, Recording

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", STEP_RUNS)
def test_every_step_program_gets_its_verdict(name, runner):
    """Each run exits 0 (no case got another verdict than its EXPECTED) and prints the table
    the page shows."""
    run = step_runs.run(name, runner)
    assert run.failure is None, run.failure
    assert "**(wrong)**" not in run.printed
    assert Recording.of_step_run(name).settle({"keras3": run.printed}, mode="check") == []


@pytest.mark.parametrize("keras", KERASES)
def test_the_check_can_fail_and_restores_what_it_touches(keras, runner):
    """tests/programs/step_check_selftests.py under each Keras: every verdict and refusal on a
    step made to get it, restoration bit for bit (also when the step raises), the callback and
    the pytest helper, and the tolerance property."""
    run = runner.run(Program.of_module("tests.programs.step_check_selftests", budget="steps"), keras)
    assert run.returncode == 0, run.failure()
    assert "FAIL" not in run.stdout and run.stdout.count("ok ") == 15, run.stdout
