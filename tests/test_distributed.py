"""Weight decay under tf.distribute.MirroredStrategy with 1, 2 and 4 replicas, under both Kerases.

Each case runs tests/support/distributed_check.py in a fresh interpreter (logical CPU devices
must be configured before TensorFlow starts); it holds the Hypothesis properties and their
tolerances.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support import KERASES, ROOT
from tests.support.run import python_env


@pytest.mark.parametrize("keras", KERASES)
@pytest.mark.parametrize("replicas", [1, 2, 4])
def test_distributed_step(replicas, keras):
    """With 1, 2 and 4 replicas, under each Keras, the Hypothesis properties of
    `tests/support/distributed_check.py` hold: the scaled step equals one single-device step on
    the global batch, the unscaled step applies the penalty's gradient N times, and `fit` equals
    the scaled step, each within a derived float32 bound."""
    proc = subprocess.run(
        [sys.executable, "-m", "tests.support.distributed_check", str(replicas)],
        cwd=ROOT,
        env=python_env(keras),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"{replicas} replica(s) [{keras}]:\n{proc.stderr[-4000:]}"
    assert f"ok: {replicas} replica(s)" in proc.stdout
