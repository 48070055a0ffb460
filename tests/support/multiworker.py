"""Start a MultiWorkerMirroredStrategy cluster on 127.0.0.1: one process per worker.

`run_workers` picks free ports, starts `python -m tests.support.distributed_check --worker I
--ports ...` for each worker (forked from the fork server of its Keras), and waits. It is bounded and leaves nothing behind: a worker that
exits with an error stops the others at once and raises with that worker's stderr; a cluster
that outlives the deadline is killed and raises; every process is reaped in all cases.
"""

from __future__ import annotations

import os
import random
import socket
import time
from dataclasses import dataclass

from tests.support.forkserver import ForkedProcess
from tests.support.run import ForkServers


class ClusterFailed(AssertionError):
    pass


@dataclass
class Worker:
    index: int
    proc: ForkedProcess
    stdout: str = ""
    stderr: str = ""


def free_ports(n: int) -> list[int]:
    """n ports the kernel reports free on 127.0.0.1 (bound, read and released together)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def port_is_free(port: int) -> bool:
    """No process listens on `port` any more. (SO_REUSEADDR: connections the workers made may
    linger in TIME_WAIT for a minute, as TCP requires; they do not hold the port.)"""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def default_timeout() -> float:
    """120 s bounds a `ci` run (5 examples: about 15 s with 3 workers here, most of it start-up);
    `thorough` draws 100 (about 1.5 s each): 600 s, below pytest's 900 s per test."""
    return 600 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 120


def run_workers(
    n: int,
    keras: str,
    servers: ForkServers,
    timeout: float | None = None,
    extra_env: dict[str, str] | None = None,
):
    """Run an n-worker cluster to completion; returns (workers, ports). Each worker is
    `python -m tests.support.distributed_check --worker I --ports ...` in a fresh copy of the
    Keras' fork server (tests/support/forkserver.py), all running at once."""
    timeout = timeout or default_timeout()
    ports = free_ports(n)
    env = {"WD_HYPOTHESIS_SEED": str(random.randrange(2**32)), **(extra_env or {})}
    server = servers.server(keras)
    workers = [
        Worker(
            i,
            server.start(
                ["--worker", str(i), "--ports", ",".join(map(str, ports))],
                module="tests.support.distributed_check",
                env=env,
            ),
        )
        for i in range(n)
    ]
    deadline = time.monotonic() + timeout
    failed: list[Worker] = []  # those that failed on their own, before any was killed
    try:
        while any(w.proc.poll() is None for w in workers):
            failed = [w for w in workers if w.proc.poll() not in (None, 0)]
            if failed:
                break
            if time.monotonic() > deadline:
                raise ClusterFailed(f"{n} workers [{keras}] still running after {timeout} s: killed")
            time.sleep(0.2)
        else:
            failed = [w for w in workers if w.proc.returncode != 0]
    finally:
        for w in workers:
            if w.proc.poll() is None:
                w.proc.kill()
        for w in workers:
            w.stdout, w.stderr = w.proc.communicate()
    if failed:
        first = min(failed, key=lambda w: w.index)
        raise ClusterFailed(
            f"worker {first.index} of {n} [{keras}] exited {first.proc.returncode}:\n{first.stderr[-4000:]}"
        )
    return workers, ports
