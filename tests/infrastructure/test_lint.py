"""ruff over every Python file (snippets, notebook pages, the package, tests, hooks, tools, the
site's library), and vermin: the oldest Python the programs run on is the one the pages state."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from site_machinery import lint
from site_machinery.paths import ROOT


def test_ruff_finds_nothing_at_either_width():
    """ruff check and ruff format: every file a page shows at 80 columns, the rest at 110
    (site_machinery/lint.py, which `make lint` and `make format` use too)."""
    problems = lint.problems()
    assert not problems, "ruff found problems (`make format` fixes most):\n" + "\n".join(problems)


def test_the_shown_files_are_held_to_80_columns():
    """The checks package's modules a page shows are in the 80-column run; one it does not show
    is not (so it is held to 110)."""
    shown = lint.shown_elsewhere()
    assert "checks/src/weight_decay_checks/checks.py" in shown
    assert "checks/src/weight_decay_checks/__main__.py" not in shown
    narrow = lint.ruff_commands()[2]
    assert narrow[narrow.index("--line-length") + 1] == "80" and set(shown) <= set(narrow)


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
