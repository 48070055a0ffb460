"""ruff over every Python file, at the site's two widths.

A page's code column holds about 80 characters, so every file a page shows whole or in part is
kept to 80 columns; everything else to the project's 110 (pyproject.toml). snippets/ and the
notebook pages have their own ruff.toml at 80 (every one of them is shown); the other shown
files (the checks package's modules on the verify page) are found from the pages' embeds, so a
module that stops being shown goes back to 110 by itself. `make lint`, `make format` and
tests/infrastructure/test_lint.py all call `ruff_commands`.
"""

from __future__ import annotations

import subprocess
import sys

from site_machinery.markdown import shown_files
from site_machinery.paths import ROOT

SHOWN_WIDTH = 80
OWN_CONFIG = ("snippets/", "docs/experiments/")  # folders with a ruff.toml of their own


def shown_elsewhere() -> list[str]:
    """The shown files outside the folders that carry their own 80-column configuration."""
    return sorted(p for p in shown_files() if not p.startswith(OWN_CONFIG))


def ruff_commands(fix: bool = False) -> list[list[str]]:
    """The ruff runs that check (or, with `fix`, format and fix) the whole repository."""
    shown = shown_elsewhere()
    ruff = [sys.executable, "-m", "ruff"]
    check = ["check", "--fix"] if fix else ["check"]
    fmt = ["format"] if fix else ["format", "--check"]
    rest = ["--extend-exclude", ",".join(shown), "."]
    narrow = ["--line-length", str(SHOWN_WIDTH), *shown]
    return [[*ruff, *fmt, *rest], [*ruff, *check, *rest], [*ruff, *fmt, *narrow], [*ruff, *check, *narrow]]


def problems(fix: bool = False) -> list[str]:
    """What each failing run printed (none when everything is clean)."""
    found = []
    for command in ruff_commands(fix):
        proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            found.append(f"$ {' '.join(command[1:])}\n{proc.stdout}{proc.stderr}")
    return found


if __name__ == "__main__":
    fix = "--fix" in sys.argv
    failures = problems(fix)
    print("\n".join(failures) if failures else "ruff: clean")
    sys.exit(1 if failures else 0)
