"""Run programs as `python PROGRAM` (or `python -m MODULE`) does, without importing TensorFlow
for each one.

Importing TensorFlow and a Keras takes about 3-4 s of the 4-5 s a snippet costs here, and the
suite runs every snippet under both Kerases. A fork server (the idea of multiprocessing's
"forkserver" start method, which cannot capture a program's output, exit code and timeout the
way a test needs) imports them once per kind, in the environment a fresh run would have, and
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

One server per kind of program serves every process of a test session (both xdist workers),
over a Unix socket: each client connection is one stream of requests. Protocol, one JSON line
each way. In: {"argv": [...], "module": NAME or null, "env": {...}, "stdout": FILE, "stderr":
FILE}; out, to the client that asked: {"started": PID} for each request, in order, and
{"exited": PID, "returncode": N} when that child ends. A client that leaves takes what it
started with it; the server exits when its last client has left.
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import fcntl
import importlib.machinery
import json
import os
import runpy
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import types
from pathlib import Path

# What every program of a kind imports first; the rest is imported by the program itself. The
# "jax" server is started with KERAS_BACKEND=jax, as its programs set it before importing Keras.
PRELOAD = {
    "keras3": ("tensorflow", "keras"),
    "tf-keras": ("tensorflow", "tf_keras"),
    "jax": ("jax", "keras"),
}


def _serve(kind: str, address: str) -> dict | None:
    """The server's loop, listening on the Unix socket `address`. Returns the request in a
    child; None when the last client has left (and none is waiting)."""
    for module in PRELOAD[kind]:
        __import__(module)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)  # nothing of the server's own goes to stdout; stderr is the starter's log
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(16)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)  # a child's exit wakes the select below
    signal.signal(signal.SIGCHLD, lambda *_: None)
    clients: dict[socket.socket, bytes] = {}  # each client's unread bytes
    owner: dict[int, socket.socket] = {}  # child pid -> the client that started it

    def send(conn: socket.socket, message: dict) -> None:
        with contextlib.suppress(OSError):  # a client that left gets nothing
            conn.sendall((json.dumps(message) + "\n").encode())

    def leave(conn: socket.socket) -> None:  # what a client started goes with it
        for pid in [pid for pid, c in owner.items() if c is conn]:
            _kill_group(pid)
        del clients[conn]
        conn.close()

    while True:
        ready, _, _ = select.select([listener, wake_r, *clients], [], [])
        if wake_r in ready:
            os.read(wake_r, 4096)
            while owner:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                send(owner.pop(pid), {"exited": pid, "returncode": os.waitstatus_to_exitcode(status)})
        if listener in ready:
            conn, _ = listener.accept()
            clients[conn] = b""
        for conn in [c for c in ready if c in clients]:
            chunk = conn.recv(65536)
            if not chunk:
                leave(conn)
                continue
            clients[conn] += chunk
            while b"\n" in clients[conn]:
                line, clients[conn] = clients[conn].split(b"\n", 1)
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    signal.set_wakeup_fd(-1)
                    for open_socket in (listener, *clients):
                        open_socket.close()
                    for fd in (wake_r, wake_w, null):
                        os.close(fd)
                    os.setsid()  # its own process group: a timeout kills what it started as well
                    return json.loads(line)
                owner[pid] = conn
                send(conn, {"started": pid})
        if not clients and _no_one_waiting(listener, address, clients):
            return None


def _no_one_waiting(listener: socket.socket, address: str, clients: dict) -> bool:
    """The last client has left: under the lock a new client connects under, either take a
    client that is connecting (False: serve on) or remove the socket, so that the next one
    starts a new server (True: exit)."""
    with locked(Path(address + ".lock")):
        listener.setblocking(False)
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            os.unlink(address)
            return True
        finally:
            listener.setblocking(True)
        conn.setblocking(True)
        clients[conn] = b""
        return False


@contextlib.contextmanager
def locked(path: Path):
    """An exclusive lock on `path` (made if need be), between processes."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
    """A client of the fork server of one kind of program: Keras 3, tf-keras, Keras 3 on JAX
    (PRELOAD). The server listens on a Unix socket in `folder`; every process of a test session
    that passes the same folder (both xdist workers) uses the same server, started by whichever
    needs it first. It ends when its last client has gone (site_machinery/programs.py's Runner
    keeps the clients)."""

    def __init__(
        self,
        kind: str,
        cwd: Path,
        env: dict[str, str],
        folder: Path,
        startup_timeout: float = 120,
        python: str = sys.executable,
    ):
        self.keras = kind
        self.address = str(folder / f"forkserver-{kind}.sock")
        self._pending = b""
        self._exits: dict[int, int] = {}
        self._started: list[int] = []
        with locked(Path(self.address + ".lock")):
            self.sock = self._connect()
            if self.sock is None:
                with open(folder / f"forkserver-{kind}.log", "a") as log:
                    # Started by path, not -m: nothing of this repository is imported into the
                    # children; in a session of its own, it outlives the starter if need be.
                    server = subprocess.Popen(
                        [python, __file__, kind, self.address],
                        cwd=cwd,
                        env=env,
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=log,
                        start_new_session=True,
                    )
                deadline = time.monotonic() + startup_timeout
                while self.sock is None:
                    if server.poll() is not None or time.monotonic() > deadline:
                        server.kill()
                        raise RuntimeError(
                            f"the {kind} fork server did not start: see {folder}/forkserver-{kind}.log"
                        )
                    time.sleep(0.05)
                    self.sock = self._connect()

    def _connect(self) -> socket.socket | None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(self.address)
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            return None
        return sock

    def _pump(self, timeout: float | None) -> None:
        """Read the replies available within `timeout`."""
        if not select.select([self.sock], [], [], timeout)[0]:
            return
        chunk = self.sock.recv(65536)
        if not chunk:
            raise RuntimeError(f"the {self.keras} fork server has gone")
        self._pending += chunk
        while b"\n" in self._pending:
            line, self._pending = self._pending.split(b"\n", 1)
            message = json.loads(line)
            if "exited" in message:
                self._exits[message["exited"]] = message["returncode"]
            else:
                self._started.append(message["started"])

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
        self.sock.sendall(json.dumps(request).encode() + b"\n")
        deadline = time.monotonic() + 30
        while not self._started:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the {self.keras} fork server did not start {argv}")
            self._pump(1)
        return ForkedProcess(self, self._started.pop(0), argv, folder)

    def close(self) -> None:
        """Leave the server: it kills what this client started and still runs, and ends when
        no client is left."""
        self.sock.close()


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
    child_request = _serve(sys.argv[1], sys.argv[2])
    if child_request is not None:
        _exit_like_python(lambda: _run_in_child(child_request))
