"""`ruff check` and `ruff format --check` over every Python file: snippets, notebook pages, tests, hooks, tools (part of `make test`)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support import ROOT


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff(command):
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, f"ruff {' '.join(command)} found problems:\n{proc.stdout}{proc.stderr}"
