"""`make matrix`: run the weight-decay-checks package against several TensorFlow releases.

For each pair TF:KERAS of minor versions (default: DEFAULT below, all installable on Python
3.11; a bare TF takes the newest Keras pip allows) it makes a new virtual environment under .cache/matrix/, installs
that TensorFlow and Keras with the tf-keras of TensorFlow's minor version and the package's
wheel (built from checks/ now), and runs
`python -m weight_decay_checks --json`. It downloads each TensorFlow (about 600 MB): this is not
part of `make test`. The results go to snippets/output/matrix/: results.json (exact versions,
outcomes, times) and table.md, which the page docs/versions.md embeds.

Usage: python -m tools.matrix [TF[:KERAS] ...]     e.g. python -m tools.matrix 2.17:3.4 2.21
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from site_machinery.package import build_package
from site_machinery.paths import OUTPUTS, ROOT
from weight_decay_checks.__main__ import property_names

# Three TensorFlow releases, each with a Keras 3 of its months, and the two Keras releases on
# either side of a change the page explains (the activity penalty divided by the batch: 3.14).
DEFAULT = ["2.17:3.4", "2.19:3.9", "2.19:3.13", "2.21:3.14", "2.21:3.15"]
MATRIX = OUTPUTS / "matrix"
WORK = ROOT / ".cache" / "matrix"
SHOWN = ("tensorflow", "keras", "tf-keras", "numpy", "hypothesis")
MARK = {"pass": "pass", "FAIL": "**FAIL**", "skipped": "skipped", None: "-"}


def run_one(pair: str, wheel: Path) -> dict:
    minor, _, keras = pair.partition(":")
    venv = WORK / f"tf-{minor}-keras-{keras or 'newest'}"
    shutil.rmtree(venv, ignore_errors=True)
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    pins = [f"tensorflow=={minor}.*", f"tf-keras=={minor}.*", str(wheel)]
    if keras:
        pins.append(f"keras=={keras}.*")
    subprocess.run([python, "-m", "pip", "install", "--quiet", *pins], check=True)
    installed_s = time.monotonic() - start
    freeze = subprocess.run(
        [python, "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout
    exact = dict(line.split("==", 1) for line in freeze.splitlines() if "==" in line)
    out = venv / "results.json"
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "2", "HOME": str(venv)}
    proc = subprocess.run(
        [python, "-m", "weight_decay_checks", "--json", str(out)],
        cwd=venv,
        env=env,
        capture_output=True,
        text=True,
    )
    print(proc.stdout)
    if not out.exists():
        raise SystemExit(f"TensorFlow {pair}: no results (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    result = json.loads(out.read_text())
    result["exact"] = {name: exact.get(name.replace("-", "_"), exact.get(name)) for name in SHOWN}
    result["install_seconds"] = round(installed_s)
    return result


def render(data: dict) -> str:
    """The Markdown the page embeds: a row per property, a column per TensorFlow/Keras pair,
    each cell the outcome under Keras 3, then under tf-keras."""
    runs = data["runs"]
    head = ["Property"] + [
        f"TF {r['exact']['tensorflow']}<br>Keras {r['exact']['keras']} / tf-keras {r['exact']['tf-keras']}"
        for r in runs
    ]
    lines = ["| " + " | ".join(head) + " |", "| --- " * len(head) + "|"]
    for name in data["properties"]:
        row = [name.removeprefix("test_").replace("_", " ")]
        for run in runs:
            cells = run["results"].get(name, {})
            both = cells.get("both")
            row.append(f"{MARK[both or cells.get('keras3')]} / {MARK[both or cells.get('tf-keras')]}")
        lines.append("| " + " | ".join(row) + " |")
    totals = ["**Passing** (Keras 3 / tf-keras)"]
    for run in runs:
        counts = []
        for column in ("keras3", "tf-keras"):
            outcomes = [c.get("both", c.get(column)) for c in run["results"].values()]
            counts.append(f"{sum(o == 'pass' for o in outcomes)}")
        totals.append(f"{counts[0]} / {counts[1]} of {len(run['results'])}")
    lines.append("| " + " | ".join(totals) + " |")
    lines.append("")
    lines.append(
        f"Run by `make matrix` on {data['date']} on {data['machine']}, Python {data['python']}, "
        f"package {data['package']}, {runs[0]['settings']}; "
        f"{data['minutes']} minutes in all, installs included."
    )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="*", default=DEFAULT, help="TF[:KERAS] minor versions")
    args = parser.parse_args()
    start = time.monotonic()
    WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_package(Path(tmp))["wheel"]  # as the site builds it
        runs = [run_one(pair, wheel) for pair in args.pairs]
    data = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores",
        "python": platform.python_version(),
        "package": runs[0]["package"],
        "minutes": round((time.monotonic() - start) / 60, 1),
        "properties": property_names(),
        "runs": runs,
    }
    MATRIX.mkdir(parents=True, exist_ok=True)
    (MATRIX / "results.json").write_text(json.dumps(data, indent=2) + "\n")
    (MATRIX / "table.md").write_text(render(data))
    print(render(data))
    # A property failing on an older release is a result (the page explains it), not an error.
    return 0


if __name__ == "__main__":
    sys.exit(main())
