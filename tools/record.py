"""`make record`: run every snippet under both Kerases and every notebook page under Keras 3,
and rewrite their recorded outputs in snippets/output/.

* ``NAME.txt`` when Keras 3 and tf-keras print the same thing (the usual case);
* ``NAME.keras3.txt`` and ``NAME.tf-keras.txt`` when they really differ (pages show both);
* ``notebooks/NAME.txt`` for the notebook page ``docs/experiments/NAME.py``;
* ``checks/*.txt``: what ``python -m weight_decay_checks`` prints (tests/support/checks.py).

`make test` then checks every run against these files (tests/support/compare.py says how
strictly). Review the diff of snippets/output/ before committing it.

Usage: python -m tools.record [NAME ...]   (default: everything; `checks` for the package runs)
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.support import KERASES, NOTEBOOK_OUTPUTS, OUTPUTS, ROOT, notebook_files, snippet_files
from tests.support.checks import CHECKS_OUTPUTS, RECORDED_RUNS, run_from_source
from tests.support.run import Run, run_python


def _parallel(jobs):
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(lambda job: run_python(*job[:2], timeout=job[2]), jobs))


def record_notebooks(notebooks: list[Path]) -> list[str]:
    """Run each notebook as a script under Keras 3 and rewrite its recorded output."""
    NOTEBOOK_OUTPUTS.mkdir(parents=True, exist_ok=True)
    failures = []
    for run in _parallel([(nb, "keras3", 300) for nb in notebooks]):
        if run.returncode != 0:
            failures.append(f"{run.program.name} exited {run.returncode}:\n{run.stderr[-3000:]}")
            continue
        (NOTEBOOK_OUTPUTS / f"{run.program.stem}.txt").write_text(run.stdout)
        print(f"recorded {run.program.relative_to(ROOT)}")
    return failures


def record_snippets(snippets: list[Path]) -> list[str]:
    """Run each snippet under both Kerases and rewrite its recorded output(s)."""
    runs = _parallel([(s, k, 120) for s in snippets for k in KERASES])
    failures = []
    by_snippet: dict[Path, dict[str, Run]] = {}
    for run in runs:
        if run.returncode != 0:
            failures.append(
                f"{run.program.name} [{run.keras}] exited {run.returncode}:\n{run.stderr[-3000:]}"
            )
        by_snippet.setdefault(run.program, {})[run.keras] = run
    for snippet, per_keras in by_snippet.items():
        if any(r.returncode != 0 for r in per_keras.values()):
            continue
        for old in OUTPUTS.glob(f"{snippet.stem}.*txt"):
            if old.name.removeprefix(snippet.stem) in {".txt", *(f".{k}.txt" for k in KERASES)}:
                old.unlink()
        outputs = {k: r.stdout for k, r in per_keras.items()}
        same = len(set(outputs.values())) == 1
        if same:
            (OUTPUTS / f"{snippet.stem}.txt").write_text(outputs["keras3"])
        else:
            for keras, text in outputs.items():
                (OUTPUTS / f"{snippet.stem}.{keras}.txt").write_text(text)
        print(f"recorded {snippet.name}: {'same' if same else 'differs'} under both Kerases")
    return failures


def record_checks() -> list[str]:
    """Run `python -m weight_decay_checks` (from the package's source) as the verify page shows
    it, and rewrite what it printed. A mutant run must exit 1, the plain run 0."""
    CHECKS_OUTPUTS.mkdir(parents=True, exist_ok=True)
    failures = []
    for name, args in RECORDED_RUNS.items():
        proc = run_from_source(*args)
        expected = 1 if "--mutant" in args else 0
        if proc.returncode != expected:
            failures.append(
                f"weight_decay_checks {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}"
            )
            continue
        (CHECKS_OUTPUTS / name).write_text(proc.stdout)
        print(f"recorded {(CHECKS_OUTPUTS / name).relative_to(ROOT)}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="snippet or notebook names (default: all)")
    args = parser.parse_args()
    snippets, notebooks = snippet_files(), notebook_files()
    checks = not args.names or "checks" in args.names
    if args.names:
        wanted = {Path(n).stem for n in args.names} - {"checks"}
        unknown = wanted - {s.stem for s in snippets + notebooks}
        if unknown:
            parser.error(f"no such snippet or notebook: {', '.join(sorted(unknown))}")
        snippets = [s for s in snippets if s.stem in wanted]
        notebooks = [n for n in notebooks if n.stem in wanted]
    OUTPUTS.mkdir(exist_ok=True)
    failures = (
        (record_snippets(snippets) if snippets else [])
        + (record_notebooks(notebooks) if notebooks else [])
        + (record_checks() if checks else [])
    )
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
