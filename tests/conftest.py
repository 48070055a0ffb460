"""Shared test set-up: Hypothesis profiles and the built site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent

# `ci` (the default for `make test`): derandomized, so a run is reproducible and fast.
# `thorough`: many more random examples, e.g. `HYPOTHESIS_PROFILE=thorough make test`.
# No deadline: the first call of a Keras layer traces functions and takes far longer than later ones.
settings.register_profile("ci", derandomize=True, max_examples=30, deadline=None, print_blob=True)
settings.register_profile("thorough", max_examples=600, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built with `mkdocs build --strict` into a temporary folder (once per worker)."""
    site = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MKDOCS_JUPYTER_CACHE": "false", "TF_CPP_MIN_LOG_LEVEL": "2"},
        timeout=600,
    )
    assert proc.returncode == 0, f"strict build failed:\n{proc.stderr[-5000:]}"
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("WARNING")]
    assert not warnings, "the build printed warnings:\n" + "\n".join(warnings)
    return site
