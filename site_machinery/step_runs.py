"""The runs of the training-step check over snippets/steps/ that the page "Check your own
training step" shows, one code path for the suite (tests/programs/test_step_checks.py) and
`make record` (tools/record.py): each returns the Markdown table it printed, or a failure.

* "keras3", "tf-keras": tests/programs/step_checks.py, the TensorFlow programs, 4 logical CPUs;
* "jax": tests/programs/jax_step_checks.py, Keras 3 on JAX;
* "multiworker-KERAS": a real 2-worker MultiWorkerMirroredStrategy cluster on 127.0.0.1, every
  worker checking the multi-worker programs (they must print the same table).
"""

from __future__ import annotations

from dataclasses import dataclass

from site_machinery.cluster import ClusterFailed, run_workers
from site_machinery.programs import Program, Runner
from site_machinery.recordings import STEP_RUNS

CHECKS = Program.of_module("tests.programs.step_checks", budget="steps")
JAX_CHECKS = Program.of_module("tests.programs.jax_step_checks", budget="steps")
CLUSTER_CHECKS = Program.of_module("tests.programs.step_checks", budget="cluster")
WORKERS = 2


@dataclass
class StepRun:
    name: str
    printed: str = ""
    failure: str | None = None


def run(name: str, runner: Runner) -> StepRun:
    if name not in STEP_RUNS:
        raise ValueError(f"no step run {name!r}: one of {', '.join(STEP_RUNS)}")
    if name.startswith("multiworker-"):
        keras = name.removeprefix("multiworker-")
        try:
            workers, _ = run_workers(CLUSTER_CHECKS, WORKERS, keras, runner)
        except ClusterFailed as failed:
            return StepRun(name, failure=str(failed))
        tables = {w.stdout for w in workers}
        if len(tables) != 1:
            return StepRun(name, failure="the workers printed different tables:\n" + "\n".join(tables))
        return StepRun(name, tables.pop())
    program, keras = (JAX_CHECKS, "keras3") if name == "jax" else (CHECKS, name)
    result = runner.run(program, keras)
    return StepRun(name, result.stdout, None if result.returncode == 0 else result.failure())
