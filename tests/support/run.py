"""One way to run a program under a Keras, as a reader would: a fresh interpreter.

`python_env` is the only place the subprocess environment is built. It caps TensorFlow's
intra-op threads at one: the suite runs two test workers on two cores, and every TensorFlow
process otherwise starts a thread pool as large as the machine (four busy pools on two cores).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.support import KERASES, ROOT

# A snippet is a small program: the slowest (the tutorial) takes about 20 s here.
TIMEOUT_S = 120


def python_env(keras: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
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
    command = [sys.executable, *(["-c", code] if code else []), str(program.relative_to(ROOT)), *args]
    proc = subprocess.run(
        command, cwd=ROOT, env=python_env(keras), capture_output=True, text=True, timeout=timeout
    )
    return Run(program, keras, proc.returncode, proc.stdout, proc.stderr)


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
