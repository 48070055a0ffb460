"""The training-step check on every program of snippets/steps/, against its EXPECTED verdicts.

    python -m tests.programs.step_checks                  # the TensorFlow programs, 4 CPUs
    python -m tests.programs.step_checks --worker I --ports P0,P1   # worker I of a cluster:
                                                          # the multi-worker programs

Each program's EXPECTED maps a factory to the verdicts it must get: the codes of the worst
kind among the findings (a failure hides the passes beside it), or "raises ExceptionName" when
the step itself raises; a per-Keras dict when the Kerases differ (None: not run under that
Keras). Prints one Markdown table row per case, `| program | expected | given |`, the table the
page "Check your own training step" shows (recorded by tests/programs/test_step_checks.py), and
exits 1 when any case gets another verdict. The programs of Keras 3 on JAX have their own
entry point, jax_step_checks.py (the backend is chosen when Keras is imported).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

from site_machinery.paths import step_programs

MULTIWORKER = "multiworker"  # in a file name: needs a cluster
ON_JAX = "jax_"  # a file name's start: Keras 3 on JAX
CPUS = 4  # logical CPU devices: MirroredStrategy over 1, 2 and 4 of them
ORDER = ("fail", "cannot", "warn", "pass")


def programs(kind: str) -> list[Path]:
    every = step_programs()
    if kind == "jax":
        return [p for p in every if p.name.startswith(ON_JAX)]
    if kind == "multiworker":
        return [p for p in every if MULTIWORKER in p.name]
    return [p for p in every if not p.name.startswith(ON_JAX) and MULTIWORKER not in p.name]


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def verdict(factory, name: str) -> list[str]:
    from weight_decay_checks import StepFailed, check_training_step

    try:
        report = check_training_step(factory, name=name)
    except StepFailed as failed:
        return [f"raises {type(failed.__cause__).__name__}"]
    worst = next(kind for kind in ORDER if any(f.kind == kind for f in report.findings))
    return [f.code for f in report.findings if f.kind == worst]


def run(paths: list[Path], keras: str) -> int:
    wrong = 0
    print("| program | expected | given |")
    print("|---|---|---|")
    for path in paths:
        module = load(path)
        for function, expected in module.EXPECTED.items():
            if isinstance(expected, dict):
                expected = expected[keras]
            if expected is None:
                continue
            start = time.monotonic()
            given = verdict(getattr(module, function), f"{path.name}:{function}")
            seconds = time.monotonic() - start
            same = given == expected
            wrong += not same
            mark = "" if same else " **(wrong)**"
            name = path.name  # in snippets/steps/, as the page says
            print(f"| `{name}:{function}` | {', '.join(expected)} | {', '.join(given)}{mark} |", flush=True)
            print(f"{name}:{function}: {seconds:.1f} s", file=sys.stderr)
    return 1 if wrong else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.programs.step_checks")
    parser.add_argument("--worker", type=int)
    parser.add_argument("--ports")
    parser.add_argument("names", nargs="*", help="only these programs (file stems)")
    args = parser.parse_args(argv)
    import tensorflow as tf

    keras = "keras3" if hasattr(tf.keras, "ops") else "tf-keras"
    if args.worker is not None:
        ports = args.ports.split(",")
        cluster = {"worker": [f"127.0.0.1:{port}" for port in ports]}
        task = {"type": "worker", "index": args.worker}
        os.environ["TF_CONFIG"] = json.dumps({"cluster": cluster, "task": task})
        paths = programs("multiworker")
    else:
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * CPUS)
        paths = programs("tensorflow")
    if args.names:
        paths = [p for p in paths if p.stem in args.names]
    return run(paths, keras)


if __name__ == "__main__":
    sys.exit(main())
