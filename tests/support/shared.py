"""Something made once per test session and shared by the xdist workers (a site build, a
reader's virtual environment): a folder every worker sees; `site_machinery.site.locked` is the
lock to make it under."""

from __future__ import annotations

import os
from pathlib import Path


def shared_folder(tmp_path_factory) -> Path:
    """A folder every xdist worker of this session sees: the parent of the workers' own
    temporary folders (or the session's, without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
