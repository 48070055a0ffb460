"""The built site: one strict build with no network, one HTTP server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import functools
import gzip
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support import ROOT

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


def build(site_dir: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` into `site_dir`, offline, without the notebook cache."""
    return subprocess.run(
        [*offline_prefix(), sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MKDOCS_JUPYTER_CACHE": "false", "TF_CPP_MIN_LOG_LEVEL": "2"},
        timeout=600,
    )


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
