"""Weight decay under tf.distribute.MirroredStrategy with 1, 2 and 4 replicas, under both Kerases.

Each case runs `python -m tests.programs.distributed_check N` in a fresh copy of a fork server's
interpreter: TensorFlow is imported there but its runtime has not started, so the logical CPU
devices can still be configured. The module holds the Hypothesis properties and their bounds.
"""

from __future__ import annotations

import pytest

from site_machinery.paths import KERASES
from site_machinery.programs import Program

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("keras", KERASES)
@pytest.mark.parametrize("replicas", [1, 2, 4])
def test_distributed_step(replicas, keras, runner):
    """With 1, 2 and 4 replicas, under each Keras, the Hypothesis properties of
    `tests/programs/distributed_check.py` hold: the scaled step equals one single-device step on
    the global batch, the unscaled step applies the penalty's gradient N times, and `fit` equals
    the scaled step, each within a derived float32 bound."""
    program = Program.of_module("tests.programs.distributed_check", str(replicas), budget="distributed")
    run = runner.run(program, keras)
    assert run.returncode == 0, run.failure()
    assert f"ok: {replicas} replica(s)" in run.stdout
