"""`ruff check` and `ruff format --check` over every Python file: snippets, notebook pages, tests, hooks, tools (part of `make test`)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support import ROOT


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff(command):
    vermin = Path(sys.executable).with_name("vermin")  # a console script, no `python -m`
    proc = subprocess.run(
        [vermin, "--no-tips", "--no-parse-comments", "--eval-annotations", *PROGRAM_FOLDERS],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, f"ruff {' '.join(command)} found problems:\n{proc.stdout}{proc.stderr}"


PROGRAM_FOLDERS = ["snippets", "docs/experiments", "checks/src"]


def test_programs_run_on_the_python_the_pages_state():
    """vermin finds the oldest Python that runs every program (snippets, notebook pages, the
    checks package): it is the one the home page and the package's metadata state."""
    vermin = Path(sys.executable).with_name("vermin")  # a console script, no `python -m`
    proc = subprocess.run(
        [vermin, "--no-tips", "--no-parse-comments", "--eval-annotations", *PROGRAM_FOLDERS],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    found = re.search(r"Minimum required versions: (?:!2, )?(3\.\d+)", proc.stdout)
    assert proc.returncode == 0 and found, proc.stdout + proc.stderr
    oldest = found[1]
    assert f"Python {oldest} or later" in (ROOT / "docs" / "index.md").read_text()
    package = tomllib.loads((ROOT / "checks" / "pyproject.toml").read_text())
    assert package["project"]["requires-python"] == f">={oldest}"
