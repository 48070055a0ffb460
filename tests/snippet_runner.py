"""Run the site's snippets under each Keras and compare what they print with the recorded output.

Recorded outputs live in ``snippets/output/``:

* ``NAME.txt`` when Keras 3 and tf-keras print the same thing (the usual case);
* ``NAME.keras3.txt`` and ``NAME.tf-keras.txt`` when they really differ (the page shows both in tabs);
* ``notebooks/NAME.txt`` for the notebook page ``docs/experiments/NAME.py`` (under Keras 3).

``python -m tests.snippet_runner --record`` (``make record``) runs every snippet under both Kerases
and rewrites those files; ``make test`` fails with a diff when a snippet prints something else.

Numbers are compared with an explicit tolerance: one unit in the last digit the recorded output
shows (a value printed as ``0.0756`` may read ``0.0755`` or ``0.0757`` on another CPU, where a
different summation order moves a result across a rounding boundary). Integers and everything that
is not a number must match exactly.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
OUTPUTS = SNIPPETS / "output"
# Notebook pages (docs/experiments/*.py) print too; what they print under Keras 3 (the build's
# Keras) is recorded here and checked against each test run and against the built page.
NOTEBOOKS = ROOT / "docs" / "experiments"
NOTEBOOK_OUTPUTS = OUTPUTS / "notebooks"

# The two Kerases every snippet runs under: the environment that selects each one for `tf.keras`.
KERASES = {
    "keras3": {"TF_USE_LEGACY_KERAS": "0"},
    "tf-keras": {"TF_USE_LEGACY_KERAS": "1"},
}
# A snippet is a small program: the slowest (the tutorial) takes about 20 s on the 2-core machine.
TIMEOUT_S = 120

NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def snippet_files() -> list[Path]:
    return sorted(SNIPPETS.glob("*.py"))


def notebook_files() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.py"))


def record_notebooks(notebooks: list[Path]) -> list[str]:
    """Run each notebook as a script under Keras 3 and rewrite its recorded output."""
    NOTEBOOK_OUTPUTS.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        runs = list(pool.map(lambda nb: run_snippet(nb, "keras3", timeout=300), notebooks))
    failures = []
    for run in runs:
        if run.returncode != 0:
            failures.append(f"{run.snippet.name} exited {run.returncode}:\n{run.stderr[-3000:]}")
            continue
        (NOTEBOOK_OUTPUTS / f"{run.snippet.stem}.txt").write_text(run.stdout)
        print(f"recorded {run.snippet.relative_to(ROOT)}")
    return failures


@dataclass
class Run:
    snippet: Path
    keras: str
    returncode: int
    stdout: str
    stderr: str


def run_snippet(snippet: Path, keras: str, timeout: float = TIMEOUT_S) -> Run:
    """Run one snippet as a reader would (`python snippets/NAME.py`), in a fresh interpreter."""
    env = {
        **os.environ,
        **KERASES[keras],
        "PYTHONHASHSEED": "0",
        "PYTHONUTF8": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "MPLBACKEND": "Agg",
    }
    proc = subprocess.run(
        [sys.executable, str(snippet.relative_to(ROOT))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Run(snippet, keras, proc.returncode, proc.stdout, proc.stderr)


def expected_path(snippet: Path, keras: str) -> Path:
    """The recorded output a snippet must print under `keras`."""
    own = OUTPUTS / f"{snippet.stem}.{keras}.txt"
    return own if own.exists() else OUTPUTS / f"{snippet.stem}.txt"


def _last_digit_unit(token: str) -> Decimal:
    """One unit in the last printed digit: '0.0756' -> 0.0001, '1.25e-05' -> 1e-07.

    Integers ('3', '200': counts, shapes, labels) carry no rounding and must match exactly.
    """
    if not re.search(r"[.eE]", token):
        return Decimal(0)
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return Decimal(1).scaleb(-decimals + int(exponent or 0))


def compare(expected: str, actual: str) -> str | None:
    """None when `actual` matches `expected`; otherwise a readable unified diff."""
    exp_lines, act_lines = expected.splitlines(), actual.splitlines()
    if len(exp_lines) == len(act_lines) and all(
        _line_matches(e, a) for e, a in zip(exp_lines, act_lines, strict=True)
    ):
        return None
    diff = difflib.unified_diff(exp_lines, act_lines, "recorded", "printed now", lineterm="")
    return "\n".join(diff)


def _line_matches(expected: str, actual: str) -> bool:
    exp_nums, act_nums = NUMBER.findall(expected), NUMBER.findall(actual)
    if NUMBER.split(expected) != NUMBER.split(actual) or len(exp_nums) != len(act_nums):
        return False
    for e, a in zip(exp_nums, act_nums, strict=True):
        if abs(Decimal(a) - Decimal(e)) > _last_digit_unit(e):
            return False
    return True


def record(snippets: list[Path]) -> list[str]:
    """Run each snippet under both Kerases and rewrite its recorded output(s). Returns failures."""
    jobs = [(s, k) for s in snippets for k in KERASES]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        runs = list(pool.map(lambda job: run_snippet(*job), jobs))
    failures = []
    by_snippet: dict[Path, dict[str, Run]] = {}
    for run in runs:
        if run.returncode != 0:
            failures.append(
                f"{run.snippet.name} [{run.keras}] exited {run.returncode}:\n{run.stderr[-3000:]}"
            )
        by_snippet.setdefault(run.snippet, {})[run.keras] = run
    for snippet, per_keras in by_snippet.items():
        if any(r.returncode != 0 for r in per_keras.values()):
            continue
        for old in OUTPUTS.glob(f"{snippet.stem}.*txt"):
            if old.name.removeprefix(snippet.stem) in {".txt", *(f".{k}.txt" for k in KERASES)}:
                old.unlink()
        outputs = {k: r.stdout for k, r in per_keras.items()}
        if len(set(outputs.values())) == 1:
            (OUTPUTS / f"{snippet.stem}.txt").write_text(outputs["keras3"])
        else:
            for keras, text in outputs.items():
                (OUTPUTS / f"{snippet.stem}.{keras}.txt").write_text(text)
        print(
            f"recorded {snippet.name}: {'same' if len(set(outputs.values())) == 1 else 'differs'} under both Kerases"
        )
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="rewrite snippets/output/ from fresh runs")
    parser.add_argument("names", nargs="*", help="snippet file names (default: all)")
    args = parser.parse_args()
    if not args.record:
        parser.error("nothing to do: pass --record (checking is `make test`)")
    chosen, notebooks = snippet_files(), notebook_files()
    if args.names:
        wanted = {Path(n).stem for n in args.names}
        unknown = wanted - {s.stem for s in chosen + notebooks}
        if unknown:
            parser.error(f"no such snippet or notebook: {', '.join(sorted(unknown))}")
        chosen = [s for s in chosen if s.stem in wanted]
        notebooks = [n for n in notebooks if n.stem in wanted]
    OUTPUTS.mkdir(exist_ok=True)
    failures = (record(chosen) if chosen else []) + (record_notebooks(notebooks) if notebooks else [])
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
