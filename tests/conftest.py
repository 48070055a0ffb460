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


OFFLINE = ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "offline"]


def offline_prefix() -> list[str]:
    """A command prefix that runs in a private network namespace with only loopback up (the
    notebook kernels talk to the build over 127.0.0.1): no network at all, so the build proves
    it needs none. Empty where this machine does not allow it (it needs root, as CI has)."""
    try:
        ok = subprocess.run([*OFFLINE, "true"], capture_output=True, timeout=30).returncode == 0
    except (FileNotFoundError, subprocess.TimeoutExpired):
        ok = False
    return OFFLINE if ok else []


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built with `mkdocs build --strict` into a temporary folder (once per worker),
    with no network at all where the machine allows it (see `offline_prefix`)."""
    site = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [*offline_prefix(), sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MKDOCS_JUPYTER_CACHE": "false", "TF_CPP_MIN_LOG_LEVEL": "2"},
        timeout=600,
    )
    assert proc.returncode == 0, f"strict build failed:\n{proc.stderr[-5000:]}"
    # MkDocs' own warnings ("WARNING -  ..."), not TensorFlow's start-up chatter from notebooks.
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("WARNING -")]
    assert not warnings, "the build printed warnings:\n" + "\n".join(warnings)
    return site
