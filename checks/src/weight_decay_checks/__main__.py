"""`python -m weight_decay_checks`: run every property, print a table property x
Keras. `python -m weight_decay_checks check MODULE:FUNCTION` checks a training step
instead (check_command.py).

Exit status: 0 when every property that applies holds, 1 when one fails, 2 when
the checks cannot run here (TensorFlow or Keras outside the supported range, a
bad option). Nothing here imports TensorFlow before the versions are checked, so
a missing or unsupported one gets the one-line error, not a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path

from weight_decay_checks import __version__, differences, mutants, settings, versions

HERE = Path(__file__).resolve().parent
TESTS = HERE / "test_properties.py"
COLUMNS = {"keras3": "Keras 3", "tf-keras": "tf-keras"}


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m weight_decay_checks",
        description="Check, on the TensorFlow and Keras installed here, the weight-decay mechanisms "
        "that 'Weight decay, explained and tested' teaches. Exit status: 0 all hold, 1 a property "
        "fails, 2 the checks cannot run here.",
    )
    parser.add_argument(
        "--thorough",
        action="store_true",
        help=f"{settings.PROFILES['thorough'].max_examples} random examples per property "
        f"(default: {settings.PROFILES['ci'].max_examples}, derandomized)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="draw the random examples from seed N (reproducible)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only this property (repeatable); see --list",
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="list the properties' names and exit",
    )
    parser.add_argument(
        "--mutant",
        metavar="NAME",
        help="put a deliberately wrong piece in place of Keras' own (or the checks' own), to see "
        f"the checks fail: {', '.join(mutants.MUTANTS)}",
    )
    parser.add_argument(
        "--mutants",
        action="store_true",
        help="run every mutant against the properties that must catch it (the catch matrix): "
        "exit 0 when each of them fails, as it must",
    )
    parser.add_argument(
        "--current-behaviour",
        action="store_true",
        help="demand today's behaviour on every release: a documented difference of an older "
        "Keras (see --differences) fails instead of passing as that release's behaviour",
    )
    parser.add_argument(
        "--differences",
        action="store_true",
        help="list the behaviours Keras changed between releases, which the checks know, and exit",
    )
    parser.add_argument(
        "--json",
        type=Path,
        metavar="FILE",
        help="also write the results to FILE as JSON",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"weight-decay-checks {__version__}",
    )
    return parser.parse_args(argv)


def property_names() -> list[str]:
    """The test functions of test_properties.py, in file order, read without
    importing it."""
    import ast

    tree = ast.parse(TESTS.read_text())
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]


class Results:
    """A pytest plugin collecting each test case's outcome, printing progress to
    stderr."""

    def __init__(self):
        self.outcomes: dict[str, dict[str, str]] = {}  # test name -> column -> outcome
        self.details: dict[tuple[str, str], str] = {}  # (test, column) -> why it failed/skipped
        self.errors: list[str] = []

    @staticmethod
    def split(nodeid: str) -> tuple[str, str]:
        name = nodeid.split("::")[-1]
        if "[" in name:
            name, param = name[:-1].split("[", 1)
            return name, param
        return name, "both"

    def record(self, name, column, outcome, detail=""):
        self.outcomes.setdefault(name, {})[column] = outcome
        if detail:
            self.details[name, column] = detail

    def pytest_runtest_logreport(self, report):
        name, column = self.split(report.nodeid)
        if report.when == "call" or report.outcome != "passed":
            if report.skipped:
                reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
                self.record(name, column, "skipped", reason.removeprefix("Skipped: "))
            elif report.failed:
                self.record(name, column, "FAIL", report.longreprtext)
            elif report.when == "call":
                older = differences.documented(name, column)
                self.record(name, column, f"pass ({older.label})" if older else "pass")
            if report.when == "call" or report.outcome != "passed":
                where = "" if column == "both" else f" [{COLUMNS.get(column, column)}]"
                print(
                    f"  {name.removeprefix('test_')}{where}: {self.outcomes[name][column]} ({report.duration:.1f} s)",
                    file=sys.stderr,
                )

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append(report.longreprtext)


def run_pytest(only) -> Results:
    import pytest

    results = Results()
    args = [str(TESTS), "-p", "no:cacheprovider", "-q", "--tb=short"]
    args += [
        "--rootdir",
        str(HERE),
        "-c",
        os.devnull,
    ]  # not the caller's pytest configuration
    if only:
        args += ["-k", " or ".join(only)]
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # nor the caller's plugins
    with contextlib.redirect_stdout(io.StringIO()):  # pytest's own report; ours is the table
        pytest.main(args, plugins=[results])
    return results


def notes(results: Results) -> list[str]:
    """The documented differences the run passed as a release's behaviour, in order: a cell
    "pass (LABEL)" is shown as "pass [n]", note n naming it (the table stays narrow)."""
    found = [o for cells in results.outcomes.values() for o in cells.values()]
    return list(dict.fromkeys(o[len("pass (") : -1] for o in found if o.startswith("pass (")))


def table(results: Results, names: list[str]) -> list[str]:
    numbered = {f"pass ({label})": f"pass [{i}]" for i, label in enumerate(notes(results), 1)}
    rows = [("property", "Keras 3", "tf-keras")]
    for name in names:
        cells = results.outcomes.get(name)
        if not cells:
            continue
        if "both" in cells:
            rows.append((name.removeprefix("test_"), cells["both"], cells["both"]))
        else:
            rows.append(
                (
                    name.removeprefix("test_"),
                    cells.get("keras3", "-"),
                    cells.get("tf-keras", "-"),
                )
            )
    rows = [tuple(numbered.get(cell, cell) for cell in row) for row in rows]
    width = max(len(r[0]) for r in rows)
    return [f"{a:<{width}}  {b:<8}  {c}" for a, b, c in rows]


def catch_matrix() -> int:
    """Every mutant of the registry, put in place for a run of the properties it names: each
    of them must fail under every Keras it runs under. Prints a row per mutant."""
    rows, missed = [("mutant", "in place of", "caught")], []
    for name, mutant in mutants.MUTANTS.items():
        os.environ[mutants.ENVIRONMENT] = name
        results = run_pytest(list(mutant.caught_by))
        caught = 0
        for prop in mutant.caught_by:
            ran = {c: o for c, o in results.outcomes.get(prop, {}).items() if o != "skipped"}
            if ran and all(o == "FAIL" for o in ran.values()):
                caught += 1
            else:
                missed.append(f"{name}: {prop.removeprefix('test_')} did not fail ({ran or 'not run'})")
        rows.append((name, mutant.replaces, f"{caught}/{len(mutant.caught_by)}"))
    os.environ.pop(mutants.ENVIRONMENT, None)
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    for a, b, c in rows:
        print(f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}")
    for line in missed:
        print(f"MISSED {line}", file=sys.stderr)
    print(f"{len(rows) - 1} mutants, {len(missed)} expected catches missed")
    return 1 if missed else 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["check"]:  # check a training step: check_command.py
        from weight_decay_checks import check_command

        return check_command.main(argv[1:])
    args = parse_args(argv)
    names = property_names()
    if args.list:
        print("\n".join(n.removeprefix("test_") for n in names))
        return 0
    if args.differences:
        for d in differences.DIFFERENCES:
            print(f"{d.name}: Keras < {d.keras} ({d.url}): {d.older}")
        return 0
    only = [n if n.startswith("test_") else f"test_{n}" for n in args.only or []]
    unknown = [n for n in only if n not in names]
    if args.mutant and args.mutant not in mutants.MUTANTS:
        print(
            f"weight-decay-checks: no mutant {args.mutant!r}; choose one of {', '.join(mutants.MUTANTS)}",
            file=sys.stderr,
        )
        return 2
    if unknown:
        print(
            f"weight-decay-checks: no property {unknown[0].removeprefix('test_')!r}; see --list",
            file=sys.stderr,
        )
        return 2
    try:
        found = versions.check()
    except versions.UnsupportedVersion as e:
        print(f"weight-decay-checks: {e}", file=sys.stderr)
        return 2
    os.environ["WEIGHT_DECAY_CHECKS_PROFILE"] = "thorough" if args.thorough else "ci"
    os.environ.pop("WEIGHT_DECAY_CHECKS_SEED", None)
    if args.seed is not None:
        os.environ["WEIGHT_DECAY_CHECKS_SEED"] = str(args.seed)
    os.environ.pop(mutants.ENVIRONMENT, None)
    os.environ.pop(differences.ENVIRONMENT, None)
    if args.current_behaviour:
        os.environ[differences.ENVIRONMENT] = "1"
    if args.mutant:
        os.environ[mutants.ENVIRONMENT] = args.mutant

    header = [
        f"weight-decay-checks {__version__}: TensorFlow {found.tensorflow}, "
        f"Keras {found.keras}, tf-keras {found.tf_keras or 'not installed'}",
        settings.describe(),
    ]
    if args.current_behaviour:
        header.append("demanding the current behaviour: documented differences of older releases fail")
    if args.mutant:
        header.append(f"with the mutant {args.mutant!r} in place of {mutants.MUTANTS[args.mutant].replaces}")
    header = "\n".join(header)
    print(header, flush=True)
    if args.mutants:
        return catch_matrix()
    start = time.monotonic()
    sys.stdout.flush()
    results = run_pytest(only)
    elapsed = time.monotonic() - start

    lines = table(results, names)
    print("\n".join(lines))
    flat = [(n, c, o) for n, cells in results.outcomes.items() for c, o in cells.items()]
    failed = [(n, c) for n, c, o in flat if o == "FAIL"]
    skipped = {results.details.get((n, c), "") for n, c, o in flat if o == "skipped"}
    for reason in sorted(skipped):
        print(f"skipped: {reason}")
    passed, n_skipped = (
        sum(o.startswith("pass") for _, _, o in flat),
        sum(o == "skipped" for _, _, o in flat),
    )
    print(f"{passed} passed, {len(failed)} failed, {n_skipped} skipped")
    for i, label in enumerate(notes(results), 1):
        print(f"[{i}] as documented for this release: {label}")
    if notes(results):
        print("    (--current-behaviour demands today's behaviour; --differences lists them)")
    sys.stdout.flush()
    for error in results.errors:
        print(f"the checks could not be collected:\n{error}", file=sys.stderr)
    for (
        name,
        column,
    ) in failed:  # the why, after the table: to stderr, like any traceback
        detail = results.details[name, column].strip().splitlines()
        print(
            f"\nFAIL {name}" + ("" if column == "both" else f" [{COLUMNS[column]}]"),
            file=sys.stderr,
        )
        print("\n".join("    " + line for line in detail[-25:]), file=sys.stderr)
    print(f"({elapsed:.0f} s)", file=sys.stderr)
    code = 1 if failed or results.errors or not flat else 0
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "package": __version__,
                    "versions": {
                        "tensorflow": found.tensorflow,
                        "keras": found.keras,
                        "tf-keras": found.tf_keras,
                    },
                    "settings": settings.describe(),
                    "mutant": args.mutant,
                    "results": results.outcomes,
                    "skipped": sorted(skipped),
                    "seconds": round(elapsed, 1),
                    "exit": code,
                },
                indent=2,
            )
            + "\n"
        )
    return code


if __name__ == "__main__":
    sys.exit(main())
