"""Start a MultiWorkerMirroredStrategy cluster on 127.0.0.1: one process per worker.

`run_workers` picks free ports, starts one program per worker through a `Runner` (each gets
`--worker I --ports P0,P1,...`), all at once, and waits. It is bounded and leaves nothing
behind: a worker that exits with an error stops the others at once and raises with that
worker's stderr; a cluster that outlives the deadline is killed and raises; every process is
reaped in all cases.
"""

from __future__ import annotations

import random
import socket
import time
from dataclasses import dataclass

from site_machinery.programs import Program, Runner, cluster_timeout


class ClusterFailed(AssertionError):
    pass


@dataclass
class Worker:
    index: int
    proc: object  # a started program: poll, wait, kill, communicate
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


def run_workers(
    program: Program,
    n: int,
    keras: str,
    runner: Runner,
    timeout: float | None = None,
    extra_env: dict[str, str] | None = None,
):
    """Run `program` as an n-worker cluster to completion; returns (workers, ports)."""
    timeout = timeout or cluster_timeout()
    ports = free_ports(n)
    env = {"WD_HYPOTHESIS_SEED": str(random.randrange(2**32)), **(extra_env or {})}
    workers = [
        Worker(
            i,
            runner.start(
                Program(
                    program.path,
                    program.module,
                    (*program.args, "--worker", str(i), "--ports", ",".join(map(str, ports))),
                    program.budget,
                ),
                keras,
                **env,
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
