"""MultiWorkerMirroredStrategy for real: a cluster of 2 worker processes on 127.0.0.1, both Kerases.

Each worker runs the properties of tests/programs/distributed_check.py (the same checks as the
single-machine MirroredStrategy test, with their derived float32 bounds) as one replica of the
cluster; site_machinery/cluster.py starts, bounds and reaps the processes.
"""

from __future__ import annotations

import time

import pytest

from site_machinery.cluster import ClusterFailed, port_is_free, run_workers
from site_machinery.paths import KERASES
from site_machinery.programs import Program

pytestmark = pytest.mark.slow
CHECK = Program.of_module("tests.programs.distributed_check", budget="cluster")


@pytest.mark.parametrize("keras", KERASES)
def test_multiworker_step(keras, runner):
    """With 2 worker processes, under each Keras, every worker ends with bit-identical
    weights, the scaled custom step equals one single-process step on the global batch, the
    unscaled step applies the penalty's gradient N times, an optimizer's `weight_decay` needs no
    scaling, and `fit` equals the scaled step (tf-keras; Keras 3's `fit` raises ValueError under
    this strategy, asserted); no process or port is left behind. (The collectives between
    processes are what this adds to the MirroredStrategy test, which covers 2 and 4 replicas.)"""
    workers = 2
    cluster, ports = run_workers(CHECK, workers, keras, runner)
    for worker in cluster:
        assert f"ok: {workers} replica(s)" in worker.stdout, worker.stdout
        assert ("fit: ValueError" in worker.stdout) == (keras == "keras3")
    digests = {line for w in cluster for line in w.stdout.splitlines() if line.startswith("weights ")}
    assert len(digests) == 1, f"the workers ended with different weights: {digests}"
    assert all(w.proc.poll() is not None for w in cluster), "a worker process is still running"
    assert all(port_is_free(port) for port in ports), "a worker's port is still in use"


def test_a_dying_worker_fails_fast_with_its_stderr(runner):
    """Worker 1 exits right after joining the cluster: the run fails within a bounded time,
    names the worker, shows its stderr, and stops the worker left waiting for it."""
    start = time.monotonic()
    with pytest.raises(ClusterFailed, match="worker 1 of 2") as caught:
        run_workers(CHECK, 2, "keras3", runner, timeout=90, extra_env={"WD_DIE_WORKER": "1"})
    assert "worker 1 dies on purpose" in str(caught.value)
    assert time.monotonic() - start < 60
