"""The training-step check on real code: every program of snippets/steps/ gets the verdicts
its EXPECTED names (the site's pitfall pairs, the reader's loop, the book's loops, Keras'
guides, TensorFlow's tutorials, a GAN), under both Kerases, on JAX, and in a 2-worker cluster;
the tables they print are the page's (snippets/output/steps/, `make record`)."""

from __future__ import annotations

import pytest

from site_machinery import step_runs
from site_machinery.paths import KERASES, ROOT, snippets, step_programs
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
    """tests/programs/step_check_selftests.py under each Keras: the refusals and 9 of the verdicts
    on steps made to get them (the others: the step programs), clipping switched off while
    measuring, restoration bit for bit (also when the step raises), the callback and the pytest
    helper, and the tolerance property."""
    run = runner.run(Program.of_module("tests.programs.step_check_selftests", budget="steps"), keras)
    assert run.returncode == 0, run.failure()
    assert "FAIL" not in run.stdout and run.stdout.count("ok ") == 18, run.stdout


def test_every_verdict_and_every_pitfall_pair_is_proved_somewhere():
    """Every verdict the check can give is expected by a program of snippets/steps/ or asserted
    by a self-test, and every `*_broken.py` program of the site has its step program there (one
    that names it): no verdict and no pitfall is left unproved."""
    from weight_decay_checks.verdicts import VERDICTS

    steps = {p.name: p.read_text() for p in step_programs()}
    selftests = (ROOT / "tests" / "programs" / "step_check_selftests.py").read_text()
    unproved = [
        code for code in VERDICTS if not any(f'"{code}"' in text for text in [*steps.values(), selftests])
    ]
    assert not unproved, f"verdicts no program expects and no self-test asserts: {unproved}"
    broken = [p.name for p in snippets() if p.stem.endswith("_broken")]
    uncovered = [name for name in broken if not any(name in text for text in steps.values())]
    assert not uncovered, f"pitfall programs without a step program in snippets/steps/: {uncovered}"
