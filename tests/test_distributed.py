"""Weight decay under tf.distribute.MirroredStrategy with 1, 2 and 4 replicas, under both Kerases.

Each case runs `python -m tests.support.distributed_check N` in a fresh copy of a fork server's
interpreter (tests/support/forkserver.py): TensorFlow is imported there but its runtime has not
started, so the logical CPU devices can still be configured. The module holds the Hypothesis
properties and their tolerances.
"""

from __future__ import annotations

import pytest

from tests.support import KERASES


@pytest.mark.parametrize("keras", KERASES)
@pytest.mark.parametrize("replicas", [1, 2, 4])
def test_distributed_step(replicas, keras, fork_servers):
    """With 1, 2 and 4 replicas, under each Keras, the Hypothesis properties of
    `tests/support/distributed_check.py` hold: the scaled step equals one single-device step on
    the global batch, the unscaled step applies the penalty's gradient N times, and `fit` equals
    the scaled step, each within a derived float32 bound."""
    run = fork_servers.run_module("tests.support.distributed_check", keras, str(replicas), timeout=600)
    assert run.returncode == 0, f"{replicas} replica(s) [{keras}]:\n{run.stderr[-4000:]}"
    assert f"ok: {replicas} replica(s)" in run.stdout
