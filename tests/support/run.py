"""Two ways to run a program under a Keras, as a reader would: `python PROGRAM`.

`run_python` starts a fresh interpreter (the recorder, `make record`, uses it). `ForkServers`
runs the program in a fresh copy of an interpreter that has already imported TensorFlow and the
Keras (tests/support/forkserver.py): the same program, the same state, 4-5 s less per run. The
suite runs the snippets that way; tests/test_forkserver.py proves the two ways agree.

`python_env` is the only place the subprocess environment is built. It caps TensorFlow's
intra-op threads at one: the suite runs two test workers on two cores, and every TensorFlow
process otherwise starts a thread pool as large as the machine (four busy pools on two cores).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.support import KERASES, ROOT
from tests.support.forkserver import ForkServer

# A snippet is a small program: the slowest (the tutorial) takes about 20 s here.
TIMEOUT_S = 120


def python_env(keras: str, **extra: str) -> dict[str, str]:
    # Not PYTEST_CURRENT_TEST: pytest changes it for every test, a program has no use for it.
    inherited = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    return {
        **inherited,
        **KERASES[keras],
        "PYTHONHASHSEED": "0",
        "PYTHONUTF8": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "TF_NUM_INTRAOP_THREADS": "1",
        "MPLBACKEND": "Agg",
        **extra,
    }


@dataclass
class Run:
    program: Path
    keras: str
    returncode: int
    stdout: str
    stderr: str


def run_python(
    program: Path, keras: str, *args: str, timeout: float = TIMEOUT_S, code: str | None = None
) -> Run:
    """`python PROGRAM ARGS` (or `python -c CODE PROGRAM ARGS`) from the repository root."""
    command = [sys.executable, *(["-c", code] if code else []), _as_typed(program), *args]
    proc = subprocess.run(
        command, cwd=ROOT, env=python_env(keras), capture_output=True, text=True, timeout=timeout
    )
    return Run(program, keras, proc.returncode, proc.stdout, proc.stderr)


# A program that sets an environment variable before it imports TensorFlow or Keras (the JAX
# snippets set KERAS_BACKEND) would find them imported already, under the server's environment:
# such a program runs in a fresh interpreter instead.
_ENV_WRITE = re.compile(r"os\.environ\[[^]]+\]\s*=[^=]|os\.environ\.(?:update|setdefault)\(|os\.putenv\(")
_PRELOADED_IMPORT = re.compile(r"^\s*(?:import|from)\s+(?:tensorflow|keras|tf_keras)\b", re.M)


def fits_fork_server(program: Path) -> bool:
    source = program.read_text()
    env_write, tf_import = _ENV_WRITE.search(source), _PRELOADED_IMPORT.search(source)
    return env_write is None or (tf_import is not None and tf_import.start() < env_write.start())


class ForkServers:
    """`python PROGRAM` / `python -m MODULE` in a fork server, one per Keras, started at first
    use (a program `fits_fork_server` rejects runs in a fresh interpreter); `close()` stops
    them (the `fork_servers` fixture in tests/conftest.py does)."""

    def __init__(self) -> None:
        self._servers: dict[str, ForkServer] = {}

    def server(self, keras: str) -> ForkServer:
        if keras not in self._servers:
            self._servers[keras] = ForkServer(keras, cwd=ROOT, env=python_env(keras))
        return self._servers[keras]

    def run(self, program: Path, keras: str, *args: str, timeout: float = TIMEOUT_S) -> Run:
        if not fits_fork_server(program):
            return run_python(program, keras, *args, timeout=timeout)
        return self.run_forked(program, keras, *args, timeout=timeout)

    def run_forked(self, program: Path, keras: str, *args: str, timeout: float = TIMEOUT_S) -> Run:
        returncode, stdout, stderr = self.server(keras).run([_as_typed(program), *args], timeout=timeout)
        return Run(program, keras, returncode, stdout, stderr)

    def run_module(self, module: str, keras: str, *args: str, timeout: float = TIMEOUT_S) -> Run:
        """`python -m MODULE ARGS` (a module of this repository that does not set the
        environment before importing TensorFlow)."""
        returncode, stdout, stderr = self.server(keras).run(list(args), timeout=timeout, module=module)
        return Run(ROOT / (module.replace(".", "/") + ".py"), keras, returncode, stdout, stderr)

    def close(self) -> None:
        for server in self._servers.values():
            server.close()
        self._servers.clear()


def _as_typed(program: Path) -> str:
    """The path a reader types in the repository's root: relative when it is inside."""
    return str(program.relative_to(ROOT)) if program.is_relative_to(ROOT) else str(program)


def run_module(module: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """`python -m MODULE ARGS` from the repository root, with the checks package's source
    (checks/src) importable: how the suite runs the package and the programs beside it."""
    path = os.pathsep.join([str(ROOT / "checks" / "src"), str(ROOT)])
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=python_env("keras3", PYTHONPATH=path),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
