"""`make audit`: Lighthouse on every page of the built site; prints a Markdown table.

A benchmark, not a test: scores move with the machine's load. The site in `site/` (from
`make build`) is served from 127.0.0.1 with gzip, as GitHub Pages serves it; the standard
library's http.server does not compress, so this module adds that (a few lines, below).
Lighthouse 12.2.3 (pinned in package.json; 13 needs Node 22) drives Debian's Chromium with its
default mobile profile and simulated throttling.
"""

from __future__ import annotations

import datetime
import functools
import gzip
import json
import os
import platform
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


class GzipHandler(SimpleHTTPRequestHandler):
    """Serves files, gzip-compressed when the client accepts it and the type is text."""

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


def serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def pages(site: Path) -> list[str]:
    found = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if not rel.startswith(("assets", "search")):
            found.append("" if rel == "." else rel + "/")
    return found


REPORTS = ROOT / "test-results" / "lighthouse"


def audit(url: str, name: str) -> dict:
    """Run Lighthouse; the full JSON report is kept in test-results/lighthouse/ for review."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / f"{name}.json"
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", f"--chrome-flags={CHROME_FLAGS}",
         "--output=json", f"--output-path={report}"],
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        check=True,
        timeout=300,
    )  # fmt: skip
    return json.loads(report.read_text())


def main() -> int:
    if not (SITE / "index.html").exists():
        sys.exit("no site/ to audit: run `make build` first (make audit does)")
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: `npm ci` (make audit does)")
    server, base = serve(SITE)
    rows = []
    try:
        for page in pages(SITE):
            result = audit(base + page, (page or "index").strip("/").replace("/", "-"))
            scores = [round(100 * result["categories"][c]["score"]) for c in CATEGORIES]
            kb = result["audits"]["total-byte-weight"]["numericValue"] / 1000
            rows.append((page or "(home)", *scores, kb))
            print(f"audited {page or '(home)'}: {scores} {kb:.0f} KB", file=sys.stderr)
    finally:
        server.shutdown()
    versions = subprocess.run(
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    chromium = subprocess.run(
        ["/usr/bin/chromium", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    print(
        f"Lighthouse {versions}, {chromium}, mobile profile, simulated throttling; "
        f"{datetime.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores.\n"
    )
    print("| Page | Performance | Accessibility | Best practices | SEO | Transferred |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for page, perf, a11y, best, seo, kb in rows:
        print(f"| {page} | {perf} | {a11y} | {best} | {seo} | {kb:.0f} KB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
