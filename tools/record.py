"""`make record`: run every program whose output a page shows, in fresh interpreters, and rewrite
its recorded output (site_machinery/recordings.py says where each is kept):

* every snippet under both Kerases (one file when they print the same, one per Keras if not);
* every notebook page under Keras 3 (the Keras its page is built with);
* the runs of `python -m weight_decay_checks` the verify page shows (from the package's source);
* the runs of the training-step check over snippets/steps/ (site_machinery/step_runs.py), one
  after another (two of them are 2-worker clusters).

The suite checks every run against these files through the same `Recording.settle`, in its
"check" mode. Review the diff of snippets/output/ before committing it.

Usage: python -m tools.record [NAME ...]   (default: everything; a package run by its name,
e.g. `mutants`, or `checks` for all of them; a step run by its name, e.g. `jax`, or `steps`)
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor

from site_machinery import step_runs
from site_machinery.paths import KERASES, notebooks, relative, snippets
from site_machinery.programs import Program, Result, Runner
from site_machinery.recordings import PACKAGE_RUNS, STEP_RUNS, Recording


def run_all(jobs: list[tuple[Program, str]]) -> list[Result]:
    """Run (program, keras) jobs in fresh interpreters, as many at once as there are cores."""
    runner = Runner(fresh=True)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(lambda job: runner.run(*job), jobs))


def record(
    recording: Recording, runs: list[Result], printed_of=lambda run: run.stdout, status=0
) -> list[str]:
    """Record what `runs` (one per Keras) printed, unless one of them failed."""
    failed = [run.failure() for run in runs if run.returncode != status]
    if failed:
        return failed
    recording.settle({run.keras: printed_of(run) for run in runs}, mode="record")
    names = ", ".join(relative(p) for p in recording.files())
    print(f"recorded {names}")
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="snippet, notebook or package-run names (default: all)")
    args = parser.parse_args()
    wanted = {name.removesuffix(".py") for name in args.names}
    if "checks" in wanted:
        wanted = (wanted - {"checks"}) | set(PACKAGE_RUNS)
    if "steps" in wanted:
        wanted = (wanted - {"steps"}) | set(STEP_RUNS)
    chosen_snippets = [s for s in snippets() if not wanted or s.stem in wanted]
    chosen_notebooks = [n for n in notebooks() if not wanted or n.stem in wanted]
    chosen_runs = [r for r in PACKAGE_RUNS if not wanted or r in wanted]
    chosen_steps = [r for r in STEP_RUNS if not wanted or r in wanted]
    unknown = wanted - {p.stem for p in [*chosen_snippets, *chosen_notebooks]}
    unknown -= {*chosen_runs, *chosen_steps}
    if unknown:
        parser.error(f"no such snippet, notebook or package run: {', '.join(sorted(unknown))}")

    jobs = [(Program.file(s), keras) for s in chosen_snippets for keras in KERASES]
    notebook_runner = Program.file("tests/programs/run_notebook.py", budget="notebook")
    jobs += [
        (Program(notebook_runner.path, None, (relative(n),), "notebook"), "keras3") for n in chosen_notebooks
    ]
    jobs += [
        (Program.of_module("weight_decay_checks", *PACKAGE_RUNS[name][0], budget="package"), "keras3")
        for name in chosen_runs
    ]
    results = run_all(jobs)
    failures = []
    for snippet in chosen_snippets:
        runs = [r for r in results if r.program.path == relative(snippet)]
        failures += record(Recording.of_snippet(snippet), runs)
    for notebook in chosen_notebooks:
        runs = [r for r in results if r.program.args == (relative(notebook),)]
        failures += record(
            Recording.of_notebook(notebook), runs, lambda run: run.stdout.rpartition("FIGURES ")[0]
        )
    for name in chosen_runs:
        runs = [r for r in results if r.program.module and r.program.args == PACKAGE_RUNS[name][0]]
        failures += record(Recording.of_package_run(name), runs, status=PACKAGE_RUNS[name][1])
    runner = Runner(fresh=True)
    for name in chosen_steps:
        step_run = step_runs.run(name, runner)
        if step_run.failure:
            failures.append(step_run.failure)
            continue
        recording = Recording.of_step_run(name)
        recording.settle({"keras3": step_run.printed}, mode="record")
        print(f"recorded {relative(recording.shared())}")
    runner.close()
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
