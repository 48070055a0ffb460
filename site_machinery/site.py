"""The built site: one strict build with no network, one HTTP server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import functools
import gzip
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from site_machinery.forkserver import locked  # one lock between processes, stdlib only
from site_machinery.paths import KERASES, ROOT
from site_machinery.programs import TIMEOUTS

# A private network namespace with only loopback up (the notebook kernels talk to the build
# over 127.0.0.1): no network at all, so the build proves it needs none. As root (this machine,
# CI here) `unshare --net` is enough; elsewhere (GitHub's runner) an unprivileged user namespace
# (`--map-root-user`) gives the same, where the kernel allows it.
_LOOPBACK_ONLY = ["sh", "-c", 'ip link set lo up && exec "$@"', "offline"]
OFFLINE_CANDIDATES = [
    ["unshare", "--net", *_LOOPBACK_ONLY],
    ["unshare", "--net", "--map-root-user", *_LOOPBACK_ONLY],
]


class OfflineUnavailable(RuntimeError):
    pass


@functools.cache
def offline_prefix() -> tuple[str, ...]:
    """A command prefix that runs with no network. Where this machine allows none, an empty
    prefix, unless CI is set: there it raises, so the check cannot silently switch off."""
    for prefix in OFFLINE_CANDIDATES:
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=30).returncode == 0:
                return tuple(prefix)
        except (FileNotFoundError, subprocess.TimeoutExpired):
            continue
    if os.environ.get("CI"):
        raise OfflineUnavailable(
            "CI is set but no network namespace can be made here (tried `unshare --net` and "
            "`unshare --net --map-root-user`): the offline build would silently run online"
        )
    return ()


def build_command(site_dir: Path) -> list[str]:
    """`mkdocs build --strict` into `site_dir`, offline."""
    return [
        *offline_prefix(),
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--site-dir",
        str(site_dir),
    ]


def build_env() -> dict[str, str]:
    """Without the notebook cache; the notebooks execute under Keras 3, whatever the caller's
    environment selects."""
    return {**os.environ, **KERASES["keras3"], "MKDOCS_JUPYTER_CACHE": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


class SharedBuild:
    """One build per test session, shared by the xdist workers through files in `folder` (a
    folder every worker of the session sees: tests/conftest.py passes the parent of the
    workers' temporary folders).

    `start()` (each worker calls it before its first test, if the session holds a test that
    needs the site) starts the build in the background, in the first worker only: it runs
    while the other tests do (tests/conftest.py hands the site's tests out last). `result()`
    waits for it; `finish()` waits for (or, on an interrupted session, kills) the build a
    worker started, so none is left.
    """

    TIMEOUT_S = TIMEOUTS["build"]

    def __init__(self, folder: Path, site_dir: Path | None = None):
        self.folder = folder
        self.site_dir = site_dir or folder / "site"
        self.proc: subprocess.Popen | None = None

    def _file(self, name: str) -> Path:
        return self.folder / f"build.{name}"

    def start(self) -> None:
        with locked(self._file("lock")):
            if self._file("started").exists():
                return
            self._file("started").write_text(str(os.getpid()))
        with self._file("stderr").open("w") as stderr:
            self.proc = subprocess.Popen(
                build_command(self.site_dir),
                cwd=ROOT,
                env=build_env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # its notebook kernels go with it on an interrupt
            )
        proc, returncode = self.proc, self._file("returncode")

        def record_exit() -> None:  # written last and atomically: its presence means done
            code = proc.wait()
            returncode.with_suffix(".tmp").write_text(str(code))
            returncode.with_suffix(".tmp").rename(returncode)

        threading.Thread(target=record_exit, daemon=True).start()

    def result(self) -> tuple[int, str]:
        """(return code, stderr) of the build, once it has finished."""
        self.start()  # in case no worker started it yet
        deadline = time.monotonic() + self.TIMEOUT_S
        while not self._file("returncode").exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"the site build did not finish in {self.TIMEOUT_S} s")
            time.sleep(0.2)
        return int(self._file("returncode").read_text()), self._file("stderr").read_text()

    def finish(self, interrupted: bool) -> None:
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=0 if interrupted else self.TIMEOUT_S)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml"}


class GzipHandler(SimpleHTTPRequestHandler):
    """Serves files, gzip-compressed when the client accepts it and the type is text, as
    GitHub Pages does (so page weights measured here are the ones readers download)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


class QuietServer(ThreadingHTTPServer):
    """A browser that closes a page mid-transfer is not an error worth a traceback."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on a free port of 127.0.0.1 (gzip as GitHub Pages); yields the URL."""
    server = QuietServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def third_party_loads(site: Path) -> list[str]:
    """Scripts, styles, fonts or images that pages or stylesheets under `site` load from another
    host. Plain links (<a href>, <link rel=canonical>) are not loads and are allowed."""
    other_host = r"""["']?(?:https?:)?//"""
    loading_tag = re.compile(
        r"<(?:script|img|iframe|source)\b[^>]*\bsrc\s*=\s*"
        + other_host
        + r"|<link\b(?=[^>]*\brel=[\"']?(?:stylesheet|preload|preconnect|icon|modulepreload))"
        + r"[^>]*\bhref\s*=\s*"
        + other_host
    )
    css_url = re.compile(r"url\(\s*" + other_host)
    problems = []
    for path in site.rglob("*"):
        pattern = {".html": loading_tag, ".css": css_url}.get(path.suffix)
        if pattern is None:
            continue
        for m in pattern.finditer(path.read_text(errors="replace")):
            problems.append(f"{path.relative_to(site)}: {m.group(0)[:200]}")
    return problems


def published_url(built_site: Path) -> str:
    """The address a built site was built for (its site_url, ending in /), read from the home
    page's canonical link: what pages and downloads name, and what a test swaps for the
    address it serves the site at."""
    m = re.search(r'<link rel="canonical" href="([^"]+)"', (built_site / "index.html").read_text())
    assert m, "the built home page has no canonical link"
    return m[1]
