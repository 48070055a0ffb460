"""The weight-decay-checks package as the suite runs it: the runs whose output pages show.

`make record` writes what these runs print from the package's source (tools/record.py);
tests/test_checks_package.py checks that the installed wheel prints the same.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support import OUTPUTS, ROOT
from tests.support.run import python_env

CHECKS_OUTPUTS = OUTPUTS / "checks"
PACKAGE_SOURCE = ROOT / "checks" / "src"
# Recorded output file -> the arguments of `python -m weight_decay_checks` that print it.
RECORDED_RUNS = {
    "run.txt": (),
    "mutant-half_l2.txt": ("--mutant", "half_l2"),
}
RUN_TIMEOUT_S = 600


def run_from_source(*args: str) -> subprocess.CompletedProcess:
    """`python -m weight_decay_checks ARGS` from checks/src, with the suite's interpreter."""
    env = python_env("keras3", PYTHONPATH=os.pathsep.join([str(PACKAGE_SOURCE), str(ROOT)]))
    return subprocess.run(
        [sys.executable, "-m", "weight_decay_checks", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
