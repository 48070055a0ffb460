"""Running a program as a reader would: `python PROGRAM ARGS`, or `python -m MODULE ARGS` for
the programs of this repository's tests, under one Keras.

One interface: a `Program`, a `Runner` that runs it (`run`) or starts it (`start`, for several
at once: `cluster`), one `Result`. Where it runs is declared here and nowhere else: in a fork
server (`forkserver`: TensorFlow and the Keras imported once, a fresh copy of that interpreter
per program, 3-5 s less per run); the programs that choose Keras' JAX backend before importing
Keras (`ON_JAX`) in a server that imported Keras on JAX; a program that sets any other
environment before importing TensorFlow or Keras (`FRESH`) in a fresh interpreter, since it
would find them imported already. `tests/programs/test_forkserver.py` proves a forked run
equals a fresh one, and checks `ON_JAX` and `FRESH` against every program's source. `make record` runs
everything fresh (`Runner(fresh=True)`), so every comparison in the suite also compares the
two ways.

`environment` is the only place a program's environment is built; `TIMEOUTS` the only table of
time budgets.
"""

from __future__ import annotations

import ast
import fnmatch
import os
import re
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
    "steps": 300,  # the training-step check on every program of snippets/steps (about 50 s)
    "cluster": 120,  # a multi-worker cluster under `ci`; `thorough`: cluster_timeout()
    "startup": 120,  # a fork server importing TensorFlow and a Keras
    "build": 600,  # the strict site build, its notebook pages executed
}

# Programs that choose Keras' JAX backend (KERAS_BACKEND=jax) before they import Keras: forked
# from a server that imported Keras with that backend, never from a TensorFlow one.
ON_JAX = (
    "snippets/jax_*.py",
    "tests/programs/jax_*.py",
)
# Programs that set any other environment before they import TensorFlow or Keras: they would run
# in a fresh interpreter, never forked from one that imported them already. None does today
# (the multi-worker launcher sets TF_CONFIG in the worker processes it starts, which are fresh).
FRESH: tuple[str, ...] = ()


# Programs that import the checks package (weight_decay_checks), as a reader who installed it
# does: its source (what the wheel holds) goes on their import path. A reader runs them after
# `pip install`; tests/programs/test_forkserver.py checks the list against their imports.
WITH_PACKAGE = ("snippets/check_*.py",)


# Programs that never import TensorFlow or tf-keras (Keras 3 on JAX, Keras 3 alone for
# an option tf-keras lacks, Optax, PyTorch):
# TF_USE_LEGACY_KERAS, which selects tf.keras, changes nothing for them, so they run once, under
# the "keras3" setting. tests/programs/test_forkserver.py checks the list against their imports.
WITHOUT_TF_KERAS = (
    "snippets/jax_*.py",
    "snippets/keras3_*.py",
    "snippets/optax_*.py",
    "snippets/pytorch_*.py",
)


# A labelled assertion: `assert ok, "label: what it proves"` (pages name it FILE#label).
LABEL = re.compile(r"^(?P<label>[a-z0-9][a-z0-9-]*): (?P<text>.+)$", re.S)


def labelled_asserts(source: str) -> dict[str, str]:
    """Every ``assert ..., "label: text"`` in a program: label -> text.
    ValueError when a label is used twice in one file."""
    found: dict[str, str] = {}
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Assert) or not isinstance(node.msg, ast.Constant):
            continue
        m = LABEL.match(str(node.msg.value))
        if m is None:
            continue
        if m["label"] in found:
            raise ValueError(f"the label '{m['label']}' is used by two assertions")
        found[m["label"]] = " ".join(m["text"].split())
    return found


def imported_modules(source: str) -> set[str]:
    """The top-level names of every module a program imports, anywhere in it (`import a.b, c`
    and `from a.b import x` give a and c; relative imports give nothing)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def kerases_for(path: Path) -> list[str]:
    """The Keras settings a program runs under: both, or "keras3" alone for a program that does
    not use tf.keras."""
    rel = path.resolve().relative_to(ROOT).as_posix()
    if any(fnmatch.fnmatch(rel, pattern) for pattern in WITHOUT_TF_KERAS):
        return ["keras3"]
    return list(KERASES)


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

    def _declared(self, patterns: tuple[str, ...]) -> bool:
        if not self.source.is_relative_to(ROOT):
            return False
        rel = self.source.relative_to(ROOT).as_posix()
        return any(fnmatch.fnmatch(rel, pattern) for pattern in patterns)

    @property
    def fresh(self) -> bool:
        """Declared in FRESH: runs in a fresh interpreter, never forked."""
        return self._declared(FRESH)

    @property
    def on_jax(self) -> bool:
        """Declared in ON_JAX: forked from the server of Keras 3 on JAX."""
        return self._declared(ON_JAX)

    @property
    def with_package(self) -> bool:
        """Declared in WITH_PACKAGE: the checks package on its import path."""
        return self._declared(WITH_PACKAGE)

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
    # Not pytest's variables (PYTEST_CURRENT_TEST changes for every test, PYTEST_XDIST_WORKER
    # for every worker that shares a fork server): a program has no use for them.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_") and k != "PYTHONPATH"}
    tree = os.pathsep.join(filter(None, [extra.get("PYTHONPATH"), str(ROOT), str(CHECKS / "src")]))
    path = {"PYTHONPATH": tree} if source_tree else {}
    return {
        **inherited,
        **KERASES[keras],
        "PYTHONHASHSEED": "0",
        "PYTHONUTF8": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "TF_NUM_INTRAOP_THREADS": "1",
        "MPLBACKEND": "Agg",
        **extra,
        **path,
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

    def __init__(self, fresh: bool = False, shared: Path | None = None, python: str | None = None) -> None:
        self.always_fresh = fresh
        # The interpreter (`make matrix`: one per TensorFlow/Keras pair); this one by default.
        self.python = python or sys.executable
        # Where the fork servers listen: processes that pass the same folder share them.
        self.folder = shared or Path(tempfile.mkdtemp(prefix="runner-"))
        self._servers: dict = {}

    def server(self, kind: str):
        """The fork server of a kind: "keras3", "tf-keras", or "jax" (Keras 3 on JAX)."""
        from site_machinery.forkserver import ForkServer

        if kind not in self._servers:
            env = environment("keras3", KERAS_BACKEND="jax") if kind == "jax" else environment(kind)
            self._servers[kind] = ForkServer(
                kind,
                cwd=ROOT,
                env=env,
                folder=self.folder,
                startup_timeout=TIMEOUTS["startup"],
                python=self.python,
            )
        return self._servers[kind]

    def start(self, program: Program, keras: str, **env: str):
        """Start `program`; returns a process with poll, wait, kill, communicate."""
        source_tree = program.module is not None
        if program.with_package:
            env = {"PYTHONPATH": str(CHECKS / "src"), **env}
        if self.always_fresh or program.fresh:
            folder = Path(tempfile.mkdtemp(prefix="program-"))
            with (folder / "stdout").open("w") as out, (folder / "stderr").open("w") as err:
                popen = subprocess.Popen(
                    [self.python, *program.argv],
                    cwd=ROOT,
                    env=environment(keras, source_tree, **env),
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=err,
                    start_new_session=True,  # a timeout kills what it started as well
                )
            return FreshProcess(popen, folder)
        extra = dict(env)  # PYTHONPATH included: the fork server puts it on sys.path
        if source_tree:  # the caller's PYTHONPATH first, then this repository and the package
            extra["PYTHONPATH"] = environment(keras, source_tree=True, **env)["PYTHONPATH"]
        return self.server("jax" if program.on_jax else keras).start(program.argv, env=extra)

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
