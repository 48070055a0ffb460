"""The version matrix: which of the site's statements hold on which TensorFlow/Keras pair.

`make matrix` (tools/matrix.py) runs the evidence on each pair of PAIRS in a virtual
environment of its own: every snippet that uses TensorFlow, under Keras 3 and under tf-keras
(the runner of the suite, with that environment's interpreter), and the checks package's
properties. What one pair gives is a pair result (`pair_result`); `merge` joins them into
snippets/output/matrix/results.json, locally and in the weekly workflow (one job per pair, then
one job that merges, with this same code).

From the merged results, at build time: the cell of one piece of evidence on one pair
(`cell`), the sentence under each "Verified by" box (`coverage`), and the claim x version table
of the versions page (`claims_table`). Known differences between Keras releases come from the
package (weight_decay_checks/differences.py), listed once for both.

An evidence id is what a box names: `snippets/NAME.py#label` or
`checks/src/weight_decay_checks/test_properties.py::test_name`.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import posixpath
import re
import sys
from dataclasses import dataclass
from functools import cache

from packaging.version import Version

from site_machinery.paths import OUTPUTS, PACKAGE, ROOT
from site_machinery.programs import LABEL, labelled_asserts

RESULTS = OUTPUTS / "matrix" / "results.json"
CACHE = ROOT / ".cache" / "matrix"  # one virtual environment per pair, reused
PROPERTIES = "checks/src/weight_decay_checks/test_properties.py"
LOCK = ROOT / "requirements.lock"
DASH = "\u2013"  # an en dash: a range of versions, or "not run"


@dataclass(frozen=True)
class Pair:
    tensorflow: str  # a minor version, "2.16"
    keras: str  # a minor version, "3.3"
    why: str

    @property
    def name(self) -> str:
        return f"{self.tensorflow}:{self.keras}"


# From the oldest pair the package supports to the pins, with a Keras 3 on each side of every
# documented difference (3.5, 3.8, 3.14).
PAIRS = (
    Pair("2.16", "3.3", "the oldest TensorFlow the package supports; a Keras before every change"),
    Pair("2.17", "3.5", "a Keras from the first release with PRs 19998 and 20051 (3.5.0)"),
    Pair("2.18", "3.7", "a Keras before the first release with PR 20609 (3.8.0)"),
    Pair("2.18", "3.8", "the first release with PR 20609"),
    Pair("2.19", "3.13", "a Keras before the first release with PR 22021 (3.14.0)"),
    Pair("2.21", "3.14", "a Keras from the first release with PR 22021"),
    Pair("2.21", "3.15", "the pinned versions"),
)


@cache
def differences():
    """The package's documented differences (loaded by path: it imports only `packaging`)."""
    spec = importlib.util.spec_from_file_location("_checks_differences", PACKAGE / "differences.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # a dataclass looks its module up there
    spec.loader.exec_module(module)
    return module.DIFFERENCES


# --- one run of a program -> the outcome of each of its labelled assertions ------------------

FAILED = re.compile(r"^AssertionError: (?P<label>[a-z0-9][a-z0-9-]*): ", re.M)


def assertion_outcomes(source: str, returncode: int | None, stderr: str) -> dict[str, str]:
    """The outcome of each labelled assertion of a program (`source`) from one run: label ->
    "holds", "fails", "unknown" (the program stopped at another assertion first) or
    "error: LAST LINE" (it stopped otherwise, or timed out: returncode None)."""
    labels = list(labelled_asserts(source))
    if returncode == 0:
        return dict.fromkeys(labels, "holds")
    found = FAILED.findall(stderr)
    if returncode is not None and found and found[-1] in labels:
        return after_failure(source, found[-1])
    last = "timed out" if returncode is None else (stderr.strip().splitlines() or ["no output"])[-1]
    return dict.fromkeys(labels, f"error: {last[:300]}")


def after_failure(source: str, failed: str) -> dict[str, str]:
    """When the assertion `failed` stopped the program: an assertion at the top level of the
    program, above it, ran and held; any other is "unknown" (below it, or inside a function,
    a loop or a branch, which may not have run)."""
    tree = ast.parse(source)
    top = {id(node) for node in tree.body if isinstance(node, ast.Assert)}
    lines, outcomes = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert) and isinstance(node.msg, ast.Constant):
            m = LABEL.match(str(node.msg.value))
            if m:
                lines[m["label"]] = (node.lineno, id(node) in top)
    stop = lines[failed][0]
    for label, (line, at_top) in lines.items():
        outcomes[label] = "fails" if label == failed else "holds" if at_top and line < stop else "unknown"
    return outcomes


# --- merged results -> cells ----------------------------------------------------------------


def load() -> dict | None:
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else None


def merge(pair_results: list[dict], date: str, machine: str) -> dict:
    """The pairs' results, in PAIRS order (others after), as results.json holds them."""
    order = {p.name: i for i, p in enumerate(PAIRS)}
    runs = sorted(pair_results, key=lambda r: (order.get(r["pair"], len(order)), r["pair"]))
    return {"date": date, "machine": machine, "pairs": runs}


def _keras_of(run: dict, column: str) -> str:
    return run["versions"]["keras" if column == "keras3" else "tf-keras"] or ""


def cell(run: dict, evidence: str, column: str) -> str | None:
    """The outcome of one piece of evidence on one pair under one Keras: "holds",
    "documented:NAME" (the assertion failed, and a difference of differences.py lists it
    for that Keras release), "fails", "unknown", "error: ...", or None (not run there: not in
    the matrix). Only a failed assertion can be documented: an error or a timeout never is."""
    if "::" in evidence:
        path, name = evidence.split("::")
        if path != PROPERTIES:
            return None
        cells = run["package"]["results"].get(name)
        if not cells:
            return None
        outcome = cells.get("both", cells.get(column))
        if outcome is None or outcome == "skipped":
            return None
        if outcome.startswith("pass ("):
            return "documented:" + _difference_named(outcome, name)
        return "holds" if outcome == "pass" else "fails"
    path, label = evidence.split("#")
    outcome = run["programs"].get(path, {}).get(column, {}).get(label)
    if outcome != "fails":  # holds, unknown, an error or a timeout: no difference explains it
        return outcome
    short = f"{posixpath.basename(path)}#{label}"
    for difference in differences():
        if (
            column == "keras3"
            and short in difference.assertions
            and Version(_keras_of(run, column)) < Version(difference.keras)
        ):
            return f"documented:{difference.name}"
    return outcome


def _difference_named(outcome: str, prop: str) -> str:
    for difference in differences():
        if prop in difference.properties and difference.label in outcome:
            return difference.name
    raise ValueError(f"{prop}: '{outcome}' names no difference of differences.py")


def columns(run: dict) -> list[str]:
    return ["keras3", "tf-keras"] if run["versions"].get("tf-keras") else ["keras3"]


def problems(data: dict) -> list[str]:
    """Every failure that is not a documented difference, one line each, naming the evidence
    and the versions (the weekly workflow fails on any)."""
    found = []
    for run in data["pairs"]:
        for evidence in every_evidence(run):
            for column in columns(run):
                outcome = cell(run, evidence, column)
                if outcome in (None, "holds", "unknown") or outcome.startswith("documented:"):
                    continue
                found.append(f"{evidence} [{column}] on {describe(run, column)}: {outcome}")
    return found


def every_evidence(run: dict) -> list[str]:
    ids = [f"{PROPERTIES}::{name}" for name in run["package"]["results"]]
    for path, by_keras in run["programs"].items():
        labels = {label for outcomes in by_keras.values() for label in outcomes}
        ids += [f"{path}#{label}" for label in sorted(labels)]
    return ids


def describe(run: dict, column: str) -> str:
    v = run["versions"]
    which = f"Keras {v['keras']}" if column == "keras3" else f"tf-keras {v['tf-keras']}"
    return f"TensorFlow {v['tensorflow']}, {which}"


# --- sentences and tables for the pages ----------------------------------------------------


def _span(versions: list[str]) -> str:
    ordered = sorted(set(versions), key=Version)
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]}{DASH}{ordered[-1]}"


def _explained(run: dict, evidence: str, column: str) -> str | None:
    """The cell, where "unknown" stays so only if the assertion that stopped the program is a
    documented difference there ("fails" otherwise: the stop is not explained)."""
    outcome = cell(run, evidence, column)
    if outcome != "unknown":
        return outcome
    path = evidence.split("#")[0]
    stops = [
        cell(run, f"{path}#{label}", column)
        for label, o in run["programs"][path][column].items()
        if o == "fails"
    ]
    return "unknown" if stops and all(c.startswith("documented:") for c in stops) else "fails"


# Tests that judge the recorded matrix itself: they read every pair's results.
ABOUT_THE_MATRIX = "tests/infrastructure/test_matrix.py"


def coverage(evidence: list[str], page: str, data: dict | None = None) -> str:
    """The sentence under a box: on which pairs of the matrix its evidence holds, which
    documented differences it meets (linked), what fails, what is unknown, and what the
    matrix does not run."""
    data = data if data is not None else load()
    versions_page = posixpath.relpath("versions.md", posixpath.dirname(page) or ".")
    if not data:
        return "Checked on the pinned versions only: no version matrix is recorded."
    runs = data["pairs"]
    in_matrix = [e for e in evidence if any(cell(r, e, "keras3") is not None for r in runs)]
    judging = [e for e in evidence if e.startswith(ABOUT_THE_MATRIX)]
    outside = [e for e in evidence if e not in in_matrix and e not in judging]
    parts = []
    if in_matrix:
        holds, documented, failing, unknown, total = 0, {}, [], [], 0
        for run in runs:
            for column in columns(run):
                outcomes = [_explained(run, e, column) for e in in_matrix]
                outcomes = [o for o in outcomes if o is not None]
                if not outcomes:
                    continue  # not run there (tf-keras lacks the option, or not in this run)
                total += 1
                named = [o.removeprefix("documented:") for o in outcomes if o.startswith("documented:")]
                for name in named:
                    documented.setdefault(name, []).append(_keras_of(run, column))
                if any(o not in ("holds", "unknown") and not o.startswith("documented:") for o in outcomes):
                    failing.append(describe(run, column))
                elif "unknown" in outcomes and not named:
                    unknown.append(describe(run, column))  # stopped by a documented difference
                elif not named and "unknown" not in outcomes:
                    holds += 1
        link = f"[version matrix]({versions_page}#claims)"
        ran_on = [r for r in runs if any(cell(r, e, "keras3") is not None for e in in_matrix)]
        if holds == total and len(ran_on) == len(runs):
            kerases = _span([r["versions"]["keras"] for r in runs])
            tf_kerases = _span([r["versions"]["tf-keras"] for r in runs if r["versions"].get("tf-keras")])
            parts.append(
                f"Holds on every pair of the {link} ({len(runs)} pairs: TensorFlow "
                f"{_span([r['versions']['tensorflow'] for r in runs])}, Keras {kerases}, "
                f"tf-keras {tf_kerases})."
            )
        else:
            where = (
                f"{len(runs)} pairs"
                if len(ran_on) == len(runs)
                else f"{len(ran_on)} of its {len(runs)} pairs"
            )
            parts.append(
                f"Holds on {holds} of the {total} runs of the {link} that ran it ({where}, "
                "each under Keras 3 and, where the program uses it, tf-keras)."
            )
            for name, kerases in documented.items():
                d = next(d for d in differences() if d.name == name)
                parts.append(
                    f"Differs, as documented, on Keras {_span(kerases)}: [{d.label}]({versions_page}#{name})."
                )
            if unknown:
                parts.append(
                    f"Unknown on {'; '.join(unknown)}: the program stopped at an earlier "
                    "assertion, a documented difference."
                )
            if failing:
                parts.append(f"**Fails** on {'; '.join(failing)}.")
    if judging:
        parts.append("The tests of the recorded matrix read every pair of it.")
    if outside:
        names = dict.fromkeys(
            posixpath.basename(e.split("#")[0]) if "#" in e else e.split("::")[-1] for e in outside
        )
        parts.append(f"Checked on the pinned versions only: {', '.join(f'`{n}`' for n in names)}.")
    return " ".join(parts)


MARKS = {"holds": "yes", "fails": "**no**", "unknown": "unknown", None: DASH}


def _mark(outcome: str | None) -> str:
    if outcome and outcome.startswith("documented:"):
        name = outcome.removeprefix("documented:")
        d = next(d for d in differences() if d.name == name)
        return f"[PR {d.pull_request}](#{name})"
    if outcome and outcome.startswith("error"):
        return "**error**"
    return MARKS[outcome]


def claims_table(claims: list[tuple[str, str]], data: dict, differing: bool = False) -> str:
    """The claim x version table: a row per (page, evidence id) a box names and the matrix ran
    (`differing`: only those that do not hold on every run), a column per pair; each cell
    Keras 3 / tf-keras."""
    runs = data["pairs"]
    head = ["Evidence (page)"] + [f"{r['versions']['tensorflow']}<br>{r['versions']['keras']}" for r in runs]
    lines = ["| " + " | ".join(head) + " |", "| --- " * len(head) + "|"]
    for page, evidence in claims:
        cells = [[cell(run, evidence, c) for c in columns(run)] for run in runs]
        ran = [c for row in cells for c in row if c is not None]
        if not ran or (differing and all(c == "holds" for c in ran)):
            continue
        name = evidence.split("/")[-1].replace("test_properties.py::test_", "property: ")
        name = name.replace("#", ": ").replace("_", " ")  # plain words wrap; code would break anywhere
        row = [f"{name} ({page.removesuffix('.md')})"]
        row += [" / ".join(map(_mark, outcomes)) for outcomes in cells]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def pins() -> dict[str, str]:
    """The pinned TensorFlow, Keras and tf-keras (requirements.lock)."""
    text = LOCK.read_text()
    return {n: re.search(rf"^{n}==([^ \\]+)", text, re.M)[1] for n in ("tensorflow", "keras", "tf-keras")}


def stale(data: dict | None) -> str | None:
    """Why the recorded matrix is out of date, or None: its last pair (PAIRS' last, the pins'
    minor versions) must have run exactly the pinned versions."""
    if not data:
        return "no version matrix is recorded (snippets/output/matrix/results.json)"
    wanted = pins()
    last = next((r for r in data["pairs"] if r["pair"] == PAIRS[-1].name), None)
    if last is None or any(last["versions"].get(name) != version for name, version in wanted.items()):
        ran = last["versions"] if last else "nothing"
        return f"the version matrix ran {ran} for the pins {wanted}: run `make matrix` again"
    return None


def pairs_table(data: dict) -> str:
    """The pairs the matrix ran: exact versions, why each, and what it took."""
    why = {p.name: p.why for p in PAIRS}
    lines = [
        "| TensorFlow | Keras | tf-keras | Why this pair | Set-up / runs (s) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for run in data["pairs"]:
        v, s = run["versions"], run["seconds"]
        lines.append(
            f"| {v['tensorflow']} | {v['keras']} | {v['tf-keras'] or DASH} | "
            f"{why.get(run['pair'], run['pair'])} | {s['environment']} / {s['runs']} |"
        )
    minutes = f"; {data['minutes']} minutes in all" if "minutes" in data else ""
    lines += ["", f"Run by `make matrix` on {data['date']} on {data['machine']}{minutes}."]
    return "\n".join(lines) + "\n"


def oldest_run(data: dict) -> str:
    """What the reader's command printed on the oldest pair, as a text block."""
    run = data["pairs"][0]
    return "``` { .text .no-copy }\n" + run["package"]["stdout"].rstrip() + "\n```\n"
