"""Running a program as a reader would: `python PROGRAM ARGS`, or `python -m MODULE ARGS` for
the programs of this repository's tests, under one Keras.

One interface: a `Program`, a `Runner` that runs it (`run`) or starts it (`start`, for several
at once: `cluster`), one `Result`. Where it runs is declared here and nowhere else: in a fork
server (`forkserver`: TensorFlow and the Keras imported once, a fresh copy of that interpreter
per program, 4-5 s less per run) unless the program is listed in `FRESH`, because it sets the
environment before importing TensorFlow or Keras (the JAX programs choose Keras' backend so)
and would find them imported already. `tests/programs/test_forkserver.py` proves a forked run
equals a fresh one, and checks `FRESH` against every program's source. `make record` runs
everything fresh (`Runner(fresh=True)`), so every comparison in the suite also compares the
two ways.

`environment` is the only place a program's environment is built; `TIMEOUTS` the only table of
time budgets.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from site_machinery.paths import CHECKS, KERASES, ROOT

# Seconds a run may take before it is killed (with everything it started).
TIMEOUTS = {
    "snippet": 120,  # the slowest, the tutorial, takes about 20 s here
    "notebook": 300,  # a notebook page run as a script
    "package": 600,  # a whole run of the checks package
    "distributed": 600,  # the distributed properties (100 examples under `thorough`)
    "cluster": 120,  # a multi-worker cluster under `ci`; `thorough`: cluster_timeout()
    "startup": 120,  # a fork server importing TensorFlow and a Keras
}

# Programs that set the environment before they import TensorFlow or Keras: they run in a fresh
# interpreter, never forked from one that imported them already.
FRESH = (
    "snippets/jax_*.py",  # KERAS_BACKEND=jax
    "snippets/multiworker_penalty_scaled.py",  # a launcher: TF_CONFIG for each worker
    "tests/programs/jax_step_check.py",  # KERAS_BACKEND=jax
)


@dataclass(frozen=True)
class Program:
    """`python PATH ARGS` (PATH relative to the repository, as a reader types it) or
    `python -m MODULE ARGS` (a module of this repository)."""

    path: str | None = None
    module: str | None = None
    args: tuple[str, ...] = ()
    budget: str = "snippet"

    @classmethod
    def file(cls, path: Path | str, *args: str, budget: str = "snippet") -> Program:
        """A program file: typed relative to the repository when it is inside it."""
        path = Path(path)
        if path.is_absolute() and path.resolve().is_relative_to(ROOT):
            path = path.resolve().relative_to(ROOT)
        return cls(path=path.as_posix(), args=tuple(args), budget=budget)

    @classmethod
    def of_module(cls, module: str, *args: str, budget: str = "snippet") -> Program:
        return cls(module=module, args=tuple(args), budget=budget)

    @property
    def source(self) -> Path:
        """The file that holds the program."""
        return ROOT / (self.path or self.module.replace(".", "/") + ".py")

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def fresh(self) -> bool:
        """Declared in FRESH: runs in a fresh interpreter, never forked."""
        if not self.source.is_relative_to(ROOT):
            return False
        rel = self.source.relative_to(ROOT).as_posix()
        return any(fnmatch.fnmatch(rel, pattern) for pattern in FRESH)

    @property
    def argv(self) -> list[str]:
        """What follows `python` on the command line."""
        return [*(["-m", self.module] if self.module else [self.path]), *self.args]


@dataclass
class Result:
    program: Program
    keras: str
    returncode: int
    stdout: str
    stderr: str

    def failure(self) -> str:
        """One line naming the run, then the end of its stderr."""
        return (
            f"{' '.join(self.program.argv)} [{self.keras}] exited {self.returncode}:\n{self.stderr[-4000:]}"
        )


def environment(keras: str, source_tree: bool = False, **extra: str) -> dict[str, str]:
    """The environment of a run under `keras`. TensorFlow's intra-op threads are capped at one:
    the suite runs two test workers on two cores, and every TensorFlow process would otherwise
    start a thread pool as large as the machine. `source_tree` puts this repository and the
    checks package's source on the import path (the suite's own programs; never a snippet: a
    reader has neither)."""
    # Not PYTEST_CURRENT_TEST: pytest changes it for every test, a program has no use for it.
    inherited = {k: v for k, v in os.environ.items() if k not in ("PYTEST_CURRENT_TEST", "PYTHONPATH")}
    path = {"PYTHONPATH": os.pathsep.join([str(ROOT), str(CHECKS / "src")])} if source_tree else {}
    return {
        **inherited,
        **KERASES[keras],
        "PYTHONHASHSEED": "0",
        "PYTHONUTF8": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "TF_NUM_INTRAOP_THREADS": "1",
        "MPLBACKEND": "Agg",
        **path,
        **extra,
    }


def cluster_timeout() -> float:
    """A multi-worker cluster's budget: `ci` draws 5 examples (about 15 s with 3 workers here,
    most of it start-up); `thorough` 100 (about 1.5 s each)."""
    return 600 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else TIMEOUTS["cluster"]


@dataclass
class FreshProcess:
    """A program started in a new interpreter, with the interface of a forked one."""

    popen: subprocess.Popen
    folder: Path
    returncode: int | None = field(default=None)

    def poll(self) -> int | None:
        self.returncode = self.popen.poll()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        self.returncode = self.popen.wait(timeout)
        return self.returncode

    def kill(self) -> None:
        with suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)

    def communicate(self) -> tuple[str, str]:
        self.wait()
        self.kill()  # what the program left running (its own process group)
        out, err = ((self.folder / name).read_text() for name in ("stdout", "stderr"))
        shutil.rmtree(self.folder, ignore_errors=True)
        return out, err


class Runner:
    """Runs programs under a Keras: forked from one fork server per Keras (started at first
    use), or fresh where `FRESH` says so, or always fresh (`fresh=True`: `make record`).
    `close()` stops the servers (the `runner` fixture does)."""

    def __init__(self, fresh: bool = False) -> None:
        self.always_fresh = fresh
        self._servers: dict = {}

    def server(self, keras: str):
        from site_machinery.forkserver import ForkServer

        if keras not in self._servers:
            self._servers[keras] = ForkServer(
                keras, cwd=ROOT, env=environment(keras), startup_timeout=TIMEOUTS["startup"]
            )
        return self._servers[keras]

    def start(self, program: Program, keras: str, **env: str):
        """Start `program`; returns a process with poll, wait, kill, communicate."""
        source_tree = program.module is not None
        if self.always_fresh or program.fresh:
            folder = Path(tempfile.mkdtemp(prefix="program-"))
            with (folder / "stdout").open("w") as out, (folder / "stderr").open("w") as err:
                popen = subprocess.Popen(
                    [sys.executable, *program.argv],
                    cwd=ROOT,
                    env=environment(keras, source_tree, **env),
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=err,
                    start_new_session=True,  # a timeout kills what it started as well
                )
            return FreshProcess(popen, folder)
        extra = (
            {**env, "PYTHONPATH": environment(keras, source_tree=True)["PYTHONPATH"]} if source_tree else env
        )
        return self.server(keras).start(program.argv, env=extra)

    def run(self, program: Program, keras: str, timeout: float | None = None, **env: str) -> Result:
        """Run `program` to its end; on a timeout kill it and what it started, and raise
        subprocess.TimeoutExpired."""
        process = self.start(program, keras, **env)
        try:
            process.wait(timeout or TIMEOUTS[program.budget])
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
        stdout, stderr = process.communicate()
        return Result(program, keras, process.returncode, stdout, stderr)

    def close(self) -> None:
        for server in self._servers.values():
            server.close()
        self._servers.clear()
