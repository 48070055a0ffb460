"""`make matrix`: run the site's evidence on several TensorFlow/Keras pairs.

For each pair (default: site_machinery.matrix.PAIRS, all installable on Python 3.11) it keeps
a virtual environment under .cache/matrix/ (made once, reused: delete the folder to rebuild
it) with that TensorFlow, that Keras, the tf-keras of TensorFlow's minor version and the
checks package's wheel (built from checks/ at every run), then runs there:

* every snippet that uses TensorFlow or Keras (not the JAX, Optax and PyTorch ones), under
  Keras 3 and under tf-keras, with the suite's runner and that environment's interpreter,
  recording the outcome of each labelled assertion;
* `python -m weight_decay_checks --json`, the package's properties.

Each pair's result goes to .cache/matrix/PAIR.json; the results of the pairs asked for are
merged into snippets/output/matrix/results.json, from which the build writes the versions
page's table and the sentence under every "Verified by" box (site_machinery/matrix.py). It
downloads each TensorFlow (about 600 MB) once: not part of `make test`.

Usage:
  python -m tools.matrix [PAIR ...]           run the pairs (TF:KERAS, e.g. 2.17:3.5; "latest"
                                              is the newest of each) and merge them
  python -m tools.matrix --one PAIR --out F   run one pair, write its result to F (a CI job)
  python -m tools.matrix --merge F ...        merge pair results into results.json (the CI job
                                              after them)
  python -m tools.matrix --programs S ...     run only snippets S on every pair and add them to
                                              the pairs' recorded results (a new snippet)
  python -m tools.matrix --package            run only the package on every pair, replacing its
                                              part of the pairs' recorded results
Exit status: 1 when a statement fails on a pair and no documented difference explains it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from site_machinery import matrix
from site_machinery.package import build_package
from site_machinery.paths import ROOT, relative, snippets
from site_machinery.programs import (
    TIMEOUTS,
    Program,
    Runner,
    imported_modules,
    kerases_for,
    labelled_asserts,
)

SHOWN = ("tensorflow", "keras", "tf-keras", "numpy", "hypothesis")
NOT_IN_MATRIX = ("jax", "optax", "torch")  # programs importing these run on the pins only


def in_matrix(snippet: Path) -> bool:
    """A snippet that imports TensorFlow or Keras and none of NOT_IN_MATRIX."""
    imported = imported_modules(snippet.read_text())
    return bool(imported & {"tensorflow", "keras"}) and not imported & set(NOT_IN_MATRIX)


def requirements(pair: str, wheel: Path) -> list[str]:
    if pair == "latest":
        return ["tensorflow", "keras", "tf-keras", str(wheel)]
    tf, _, keras = pair.partition(":")
    return [f"tensorflow=={tf}.*", f"tf-keras=={tf}.*", f"keras=={keras}.*", str(wheel)]


def environment_for(pair: str, wheel: Path) -> Path:
    """The pair's virtual environment, made at first use and then reused; the wheel is
    reinstalled every time (it is built from checks/ at every run)."""
    venv = matrix.CACHE / f"tf-{pair.replace(':', '-keras-')}"
    python = venv / "bin" / "python"
    stamp = venv / "requirements.json"
    wanted = requirements(pair, wheel)[:-1]
    if not python.exists() or not stamp.exists() or json.loads(stamp.read_text()) != wanted:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *wanted, str(wheel)], check=True)
        stamp.write_text(json.dumps(wanted))
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", str(wheel)],
        check=True,
    )
    return python


def installed(python: Path) -> dict[str, str | None]:
    freeze = subprocess.run(
        [str(python), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout
    exact = dict(line.lower().split("==", 1) for line in freeze.splitlines() if "==" in line)
    return {name: exact.get(name, exact.get(name.replace("-", "_"))) for name in SHOWN}


def run_programs(python: Path, only: list[str] | None = None) -> dict:
    """Every snippet of the matrix (or those named in `only`) under each Keras:
    path -> Keras -> label -> outcome."""
    results: dict = {}
    runner = Runner(python=str(python))
    chosen = [s for s in snippets() if in_matrix(s) and (not only or relative(s) in only)]
    try:
        for snippet in chosen:
            path, source = relative(snippet), snippet.read_text()
            if not labelled_asserts(source):
                continue
            for keras in kerases_for(snippet):
                program = Program.file(snippet)
                start = time.monotonic()
                try:
                    result = runner.run(program, keras)
                    code, stderr = result.returncode, result.stderr
                except subprocess.TimeoutExpired:
                    code, stderr = None, ""
                outcomes = matrix.assertion_outcomes(source, code, stderr)
                results.setdefault(path, {})[keras] = outcomes
                bad = sorted({o for o in outcomes.values() if o != "holds"})
                print(f"  {path} [{keras}] {time.monotonic() - start:.1f} s {'; '.join(bad)}", flush=True)
    finally:
        runner.close()
    return results


def reader_command(python: Path, folder: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m weight_decay_checks ARGS` as a reader runs it, in an empty folder."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "HOME": str(folder)}
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(python), "-m", "weight_decay_checks", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUTS["package"],
    )


def run_package(python: Path, folder: Path) -> dict:
    """Every property (the reader's command), then the two runs that must fail on every pair:
    a mutant, and --current-behaviour on the properties a documented difference touches."""
    out = folder / "package.json"
    proc = reader_command(python, folder, "--json", str(out))
    print(proc.stdout, flush=True)
    if not out.exists():
        raise SystemExit(f"the package wrote no results (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    result = json.loads(out.read_text())
    result["stdout"] = proc.stdout
    mutant = ("--mutant", "half_l2", "--only", "penalty_gradient_is_2_wd_w")
    result["mutant_exit"] = reader_command(python, folder, *mutant).returncode
    touched = sorted({p for d in matrix.differences() for p in d.properties})
    only = [arg for p in touched for arg in ("--only", p.removeprefix("test_"))]
    current = reader_command(python, folder, "--current-behaviour", *only)
    result["current_behaviour_exit"] = current.returncode
    result["current_behaviour_stdout"] = current.stdout
    print(f"   mutant: exit {result['mutant_exit']}; --current-behaviour: exit {current.returncode}")
    return result


def run_pair(pair: str, wheel: Path) -> dict:
    start = time.monotonic()
    print(f"== {pair}", flush=True)
    python = environment_for(pair, wheel)
    ready = time.monotonic()
    versions = installed(python)
    print(f"   {versions} (environment ready in {ready - start:.0f} s)", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        package = run_package(python, Path(folder))
    programs = run_programs(python)
    return {
        "pair": pair,
        "versions": versions,
        "package": package,
        "programs": programs,
        "seconds": {"environment": round(ready - start), "runs": round(time.monotonic() - ready)},
    }


def add_programs(pairs: list[str], only: list[str], wheel: Path) -> list[dict]:
    """Run the snippets `only` on each pair and add them to its recorded result (a new snippet
    joins the matrix without running everything again)."""
    results = []
    for pair in pairs:
        recorded = matrix.CACHE / f"{pair.replace(':', '-')}.json"
        result = json.loads(recorded.read_text())
        print(f"== {pair}: {len(only)} programs", flush=True)
        result["programs"].update(run_programs(environment_for(pair, wheel), only))
        recorded.write_text(json.dumps(result, indent=1) + "\n")
        results.append(result)
    return results


def rerun_package(pairs: list[str], _, wheel: Path) -> list[dict]:
    """Run the package again on each pair and replace its part of the recorded result."""
    results = []
    for pair in pairs:
        recorded = matrix.CACHE / f"{pair.replace(':', '-')}.json"
        result = json.loads(recorded.read_text())
        print(f"== {pair}: the package", flush=True)
        with tempfile.TemporaryDirectory() as folder:
            result["package"] = run_package(environment_for(pair, wheel), Path(folder))
        recorded.write_text(json.dumps(result, indent=1) + "\n")
        results.append(result)
    return results


def write(data: dict) -> int:
    """Judge every pair run; record the pairs of PAIRS (those not run now from
    .cache/matrix/, where an earlier run left them). Another pair, or "latest", is judged and
    reported, never recorded: the record always holds the same pairs."""
    found = matrix.problems(data)
    for line in found:
        print(f"UNEXPLAINED {line}")
    ran = {run["pair"]: run for run in data["pairs"]}
    recorded = []
    for pair in matrix.PAIRS:
        cached = matrix.CACHE / f"{pair.name.replace(':', '-')}.json"
        if pair.name in ran:
            recorded.append(ran[pair.name])
        elif cached.exists():
            recorded.append(json.loads(cached.read_text()))
    if recorded:
        matrix.RESULTS.parent.mkdir(parents=True, exist_ok=True)
        record = {**data, "pairs": recorded}
        matrix.RESULTS.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    others = sorted(set(ran) - {p.name for p in matrix.PAIRS})
    judged = f" ({', '.join(others)} judged, not recorded)" if others else ""
    print(
        f"{len(recorded)} pairs recorded in {relative(matrix.RESULTS)}{judged}; {len(found)} unexplained failures"
    )
    return 1 if found else 0


def previous_minutes() -> float | None:
    """The wall time of the last whole run, kept when programs are added to it."""
    data = matrix.load()
    return data.get("minutes") if data else None


def merged(results: list[dict], minutes: float | None = None) -> dict:
    machine = (
        f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}"
    )
    data = matrix.merge(results, datetime.date.today().isoformat(), machine)
    if minutes is not None:
        data["minutes"] = round(minutes, 1)
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="*", help="TF:KERAS minor versions, or latest")
    parser.add_argument("--one", metavar="PAIR", help="run one pair only (with --out)")
    parser.add_argument("--out", type=Path, help="where --one writes its result")
    parser.add_argument("--merge", nargs="+", type=Path, metavar="FILE", help="merge these results")
    parser.add_argument(
        "--package",
        action="store_true",
        help="run only the checks package on the pairs and replace its part of the pairs' "
        "recorded results in .cache/matrix/ (after a change of the package)",
    )
    parser.add_argument(
        "--programs",
        nargs="+",
        metavar="SNIPPET",
        help="run only these snippets (snippets/NAME.py) on the pairs and add them to the pairs' "
        "recorded results in .cache/matrix/",
    )
    args = parser.parse_args()
    if args.merge:
        return write(merged([json.loads(f.read_text()) for f in args.merge]))
    start = time.monotonic()
    matrix.CACHE.mkdir(parents=True, exist_ok=True)
    pairs = [args.one] if args.one else args.pairs or [p.name for p in matrix.PAIRS]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_package(Path(tmp))["wheel"]  # as the site builds it
        if args.programs or args.package:
            update = add_programs if args.programs else rerun_package
            return write(merged(update(pairs, args.programs, wheel), previous_minutes()))
        for pair in pairs:
            result = run_pair(pair, wheel)
            out = args.out if args.one and args.out else matrix.CACHE / f"{pair.replace(':', '-')}.json"
            out.write_text(json.dumps(result, indent=1) + "\n")
            results.append(result)
    if args.one:
        return 0
    whole = not args.pairs  # the wall time of a run of every pair, kept until the next one
    return write(merged(results, (time.monotonic() - start) / 60 if whole else previous_minutes()))


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
