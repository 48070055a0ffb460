"""Keras 3 on JAX: the training step with the penalty, against the float64 reference.

The property runs in its own interpreter (tests/programs/jax_step_check.py, declared FRESH),
because Keras' backend is fixed when Keras is first imported.
"""

from __future__ import annotations

import pytest

from site_machinery.programs import Program

pytestmark = pytest.mark.slow


def test_one_jax_step_matches_the_reference_the_tensorflow_step_matches(runner):
    """One Keras 3 step on JAX (stateless_call with return_losses) equals the
    float64 reference within the bound the TensorFlow step meets."""
    run = runner.run(Program.of_module("tests.programs.jax_step_check", budget="package"), "keras3")
    assert run.returncode == 0, run.failure()
    assert run.stdout.startswith("jax step: ok (0.10"), run.stdout


def test_the_jax_check_fails_when_the_penalty_is_read_outside(runner):
    run = runner.run(
        Program.of_module("tests.programs.jax_step_check", "--broken", budget="package"), "keras3"
    )
    assert run.returncode != 0
    assert "AssertionError" in run.stderr, run.stderr[-3000:]
