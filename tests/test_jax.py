"""Keras 3 on JAX: the training step with the penalty, against the float64 reference.

The property runs in its own interpreter (tests/support/jax_step_check.py),
because Keras' backend is fixed when Keras is first imported.
"""

from __future__ import annotations

import subprocess

from tests.support.run import run_module


def run_check(*args: str) -> subprocess.CompletedProcess:
    return run_module("tests.support.jax_step_check", *args)


def test_one_jax_step_matches_the_reference_the_tensorflow_step_matches():
    """One Keras 3 step on JAX (stateless_call with return_losses) equals the
    float64 reference within the bound the TensorFlow step meets."""
    proc = run_check()
    assert proc.returncode == 0, proc.stderr[-5000:]
    assert proc.stdout.startswith("jax step: ok (0.10"), proc.stdout


def test_the_jax_check_fails_when_the_penalty_is_read_outside():
    proc = run_check("--broken")
    assert proc.returncode != 0
    assert "AssertionError" in proc.stderr, proc.stderr[-3000:]
