"""Run programs as `python PROGRAM` (or `python -m MODULE`) does, without importing TensorFlow
for each one.

Importing TensorFlow and a Keras takes about 3-4 s of the 4-5 s a snippet costs here, and the
suite runs every snippet under both Kerases. A fork server (the idea of multiprocessing's
"forkserver" start method, which cannot capture a program's output, exit code and timeout the
way a test needs) imports them once per Keras, in the environment a fresh run would have, and
then forks one child per program. Each child is a copy of that pristine, just-imported state:
nothing one program does (a global dtype policy, a seed, a variable, an environment variable)
reaches the next. In the child the program runs as `__main__`, with `sys.argv` and
`sys.path[0]` set as `python PROGRAM ARGS` (or `python -m MODULE ARGS`) sets them, stdout and
stderr in files, stdin from /dev/null; an uncaught exception, `sys.exit`, threads, `atexit` and
the exit code are handled as the interpreter's exit handles them (`_exit_like_python`, which
skips only the module teardown: 1 s of every run with TensorFlow loaded). Several
children may run at once (the workers of a multi-worker cluster).

Why it is safe to fork here: after the import TensorFlow has started no thread of its own (its
runtime starts at the first operation, which happens only in the children); the only other
threads are OpenBLAS's idle pools, which OpenBLAS re-creates after a fork (pthread_atfork).

`tests/programs/test_forkserver.py` proves the isolation: a program's view of its interpreter is the
same here as in a fresh `python`, and nothing a program changes survives into the next one.
The recorded outputs the snippets are compared with are written by fresh interpreters
(`make record`), so every snippet test is also a comparison of the two ways.

Protocol, one JSON line each way. In: {"argv": [...], "module": NAME or null, "env": {...},
"stdout": FILE, "stderr": FILE}; out: {"started": PID} for each request, in order, and
{"exited": PID, "returncode": N} whenever a child ends. The server exits when its stdin closes.
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import importlib.machinery
import json
import os
import runpy
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import types
from pathlib import Path

# What every program here imports first; the rest is imported by the program itself.
PRELOAD = {"keras3": ("tensorflow", "keras"), "tf-keras": ("tensorflow", "tf_keras")}


def _serve(keras: str) -> dict | None:
    """The server's loop. Returns the request in a child; None when stdin closes."""
    for module in PRELOAD[keras]:
        __import__(module)
    requests, replies = os.dup(0), os.fdopen(os.dup(1), "w")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)  # nobody reads the requests through fd 0 from now on
    os.dup2(2, 1)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)  # a child's exit wakes the select below
    signal.signal(signal.SIGCHLD, lambda *_: None)

    def reply(message: dict) -> None:
        replies.write(json.dumps(message) + "\n")
        replies.flush()

    children: set[int] = set()
    pending = b""
    reply({"ready": True})
    while True:
        ready, _, _ = select.select([requests, wake_r], [], [])
        if wake_r in ready:
            os.read(wake_r, 4096)
            while children:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                children.discard(pid)
                reply({"exited": pid, "returncode": os.waitstatus_to_exitcode(status)})
        if requests not in ready:
            continue
        chunk = os.read(requests, 65536)
        if not chunk:  # the suite is done: nothing of ours outlives the server
            for pid in children:
                _kill_group(pid)
            return None
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                signal.set_wakeup_fd(-1)
                for fd in (requests, wake_r, wake_w, null):
                    os.close(fd)
                replies.close()
                os.setsid()  # its own process group: a timeout kills what it started as well
                return json.loads(line)
            children.add(pid)
            reply({"started": pid})


def _run_in_child(request: dict) -> None:
    for fd, name in ((1, "stdout"), (2, "stderr")):
        target = os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(target, fd)
        os.close(target)
    os.environ.update(request["env"])  # read by the program, never at TensorFlow's import
    # What the interpreter does with PYTHONPATH at start-up: its entries go after sys.path[0],
    # and `site` then skips a .pth file's entry that is already on the path.
    extra_path = [p for p in request["env"].get("PYTHONPATH", "").split(os.pathsep) if p]
    sys.path[1:] = [p for p in sys.path[1:] if p not in extra_path]
    # A fresh interpreter seeds NumPy's global generator from the OS (Python's `random` module
    # reseeds itself after a fork): without this every child would draw the same numbers.
    sys.modules["numpy"].random.seed()
    if request["module"]:
        # `python -m MODULE ARGS`: the working directory first on sys.path, and what runpy does
        # for -m (sys.argv[0] becomes the module's file).
        sys.argv = ["-m", *request["argv"]]
        sys.path[0:1] = [os.getcwd(), *extra_path]
        runpy._run_module_as_main(request["module"])
        return
    program = os.path.abspath(request["argv"][0])
    sys.argv = list(request["argv"])
    sys.path[0:1] = [os.path.dirname(program), *extra_path]
    # The `__main__` module `python PROGRAM` makes (runpy.run_path would put the absolute path
    # in sys.argv[0], and Python keeps it as given).
    main = types.ModuleType("__main__")
    main.__file__ = program
    main.__loader__ = importlib.machinery.SourceFileLoader("__main__", program)
    main.__builtins__ = builtins
    main.__cached__ = None
    main.__annotations__ = {}
    sys.modules["__main__"] = main
    with open(program, "rb") as source:
        code = compile(source.read(), program, "exec")
    exec(code, main.__dict__)


class ForkedProcess:
    """A program started by a fork server, with the part of subprocess.Popen's interface the
    suite uses: poll, wait, kill, communicate, returncode."""

    def __init__(self, server: ForkServer, pid: int, args: list[str], folder: Path):
        self.server, self.pid, self.args, self.folder = server, pid, args, folder
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.server.exit_code(self.pid, timeout=0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.returncode = self.server.exit_code(self.pid, timeout=timeout)
        if self.returncode is None:
            raise subprocess.TimeoutExpired(self.args, timeout)
        return self.returncode

    def kill(self) -> None:
        _kill_group(self.pid)

    def communicate(self) -> tuple[str, str]:
        self.wait()
        _kill_group(self.pid)  # what the program left running (a fresh run leaves nothing)
        out, err = ((self.folder / name).read_text() for name in ("stdout", "stderr"))
        shutil.rmtree(self.folder, ignore_errors=True)
        return out, err


class ForkServer:
    """One server per Keras (site_machinery/programs.py's Runner keeps them)."""

    def __init__(self, keras: str, cwd: Path, env: dict[str, str], startup_timeout: float = 120):
        self.keras = keras
        # Started by path, not -m: nothing of this repository is imported into the children.
        self.proc = subprocess.Popen(
            [sys.executable, __file__, keras], cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self._pending = b""
        self._exits: dict[int, int] = {}
        self._started: list[int] = []
        self._ready = False
        deadline = time.monotonic() + startup_timeout
        while not self._ready:  # {"ready": true}: the imports are done
            if time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"the {keras} fork server did not start in {startup_timeout} s")
            self._pump(1)

    def _pump(self, timeout: float | None) -> None:
        """Read the replies available within `timeout` (raw reads: a buffered reader could
        hold lines where `select` no longer sees them)."""
        fd = self.proc.stdout.fileno()
        if not select.select([fd], [], [], timeout)[0]:
            return
        chunk = os.read(fd, 65536)
        if not chunk:
            raise RuntimeError(f"the {self.keras} fork server exited ({self.proc.wait()})")
        self._pending += chunk
        while b"\n" in self._pending:
            line, self._pending = self._pending.split(b"\n", 1)
            message = json.loads(line)
            if "exited" in message:
                self._exits[message["exited"]] = message["returncode"]
            elif "started" in message:
                self._started.append(message["started"])
            else:
                self._ready = True

    def exit_code(self, pid: int, timeout: float | None) -> int | None:
        """The exit code of the child `pid`, waiting at most `timeout` seconds (None: for
        ever) for it to end; None if it is still running then."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while pid not in self._exits:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                self._pump(0)
                break
            self._pump(left)
        return self._exits.get(pid)

    def start(self, argv: list[str], env: dict[str, str] | None = None) -> ForkedProcess:
        """`python ARGV` (ARGV may start with -m MODULE) in a fresh copy of the server."""
        module = argv[1] if argv[0] == "-m" else None
        folder = Path(tempfile.mkdtemp(prefix="forkserver-"))
        request = {
            "argv": argv[2:] if module else argv,
            "module": module,
            "env": env or {},
            "stdout": str(folder / "stdout"),
            "stderr": str(folder / "stderr"),
        }
        self.proc.stdin.write(json.dumps(request).encode() + b"\n")
        self.proc.stdin.flush()
        deadline = time.monotonic() + 30
        while not self._started:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the {self.keras} fork server did not start {argv}")
            self._pump(1)
        return ForkedProcess(self, self._started.pop(0), argv, folder)

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def _exit_like_python(run) -> None:
    """Run `run()` (the program), then end the process as the interpreter ends one: the exit
    code of `sys.exit` or 1 after printing an uncaught exception, then non-daemon threads
    waited for, `atexit` handlers run, stdout and stderr flushed. Only the last step of a real
    exit is skipped: tearing down every module, about 1 s with TensorFlow loaded, which
    changes no output (objects' `__del__` methods still alive at exit do not run)."""
    try:
        run()
        code = 0
    except SystemExit as error:
        if error.code is None or isinstance(error.code, int):
            code = error.code or 0
        else:
            print(error.code, file=sys.stderr)
            code = 1
    except BaseException:
        sys.excepthook(*sys.exc_info())
        code = 1
    threading._shutdown()  # what the interpreter's exit does, in its order
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    child_request = _serve(sys.argv[1])
    if child_request is not None:
        _exit_like_python(lambda: _run_in_child(child_request))
