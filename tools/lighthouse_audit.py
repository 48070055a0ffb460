"""`make audit`: Lighthouse on every page of the built site; prints a Markdown table.

A benchmark, not a test: scores move with the machine's load. The site in `site/` (from
`make build`) is served from 127.0.0.1 with gzip, as GitHub Pages serves it; the standard
library's http.server does not compress; `site_machinery.site.serve` adds that.
Lighthouse 12.2.3 (pinned in package.json; 13 needs Node 22) drives Debian's Chromium with its
default mobile profile and simulated throttling.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys

from site_machinery import paths
from site_machinery.browser import CHROMIUM, CHROMIUM_ARGS
from site_machinery.paths import RESULTS, ROOT, page_url
from site_machinery.site import serve

SITE = ROOT / "site"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = " ".join(["--headless=new", *CHROMIUM_ARGS])
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def pages() -> list[str]:
    """Every page's address: the Markdown pages and the notebook pages."""
    return [page_url(source) for source in [*paths.pages(), *paths.notebooks()]]


REPORTS = RESULTS / "lighthouse"


def audit(url: str, name: str) -> dict:
    """Run Lighthouse; the full JSON report is kept in test-results/lighthouse/ for review."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / f"{name}.json"
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", f"--chrome-flags={CHROME_FLAGS}",
         "--output=json", f"--output-path={report}"],
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        check=True,
        timeout=300,
    )  # fmt: skip
    return json.loads(report.read_text())


def main() -> int:
    if not (SITE / "index.html").exists():
        sys.exit("no site/ to audit: run `make build` first (make audit does)")
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: `npm ci` (make audit does)")
    rows = []
    with serve(SITE) as base:
        for page in pages():
            result = audit(base + page, (page or "index").strip("/").replace("/", "-"))
            scores = [round(100 * result["categories"][c]["score"]) for c in CATEGORIES]
            kb = result["audits"]["total-byte-weight"]["numericValue"] / 1000
            rows.append((page or "(home)", *scores, kb))
            print(f"audited {page or '(home)'}: {scores} {kb:.0f} KB", file=sys.stderr)
    versions = subprocess.run(
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    chromium = subprocess.run(
        [str(CHROMIUM), "--version"], capture_output=True, text=True, check=False
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
