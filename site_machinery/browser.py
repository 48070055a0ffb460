"""The one Chromium set-up, for the browser tests (through pytest-playwright) and for the
Lighthouse audit: which binary, and the flags this machine needs."""

from __future__ import annotations

import os
from pathlib import Path

# Debian's Chromium by default; CHROMIUM_PATH points elsewhere (the GitHub runner's Chrome).
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# As the probe of this machine does: no background traffic to Google's hosts (refused here,
# many at a time), no first-run work, no sandbox (the tests run as root).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
