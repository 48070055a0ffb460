"""The weight-decay-checks package as the suite runs it: the runs whose output pages show.

`make record` writes what these runs print from the package's source (tools/record.py);
tests/test_checks_package.py checks that the installed wheel prints the same.
"""

from __future__ import annotations

import subprocess

from tests.support import OUTPUTS
from tests.support.run import run_module

CHECKS_OUTPUTS = OUTPUTS / "checks"
# Recorded output file -> the arguments of `python -m weight_decay_checks` that print it.
RECORDED_RUNS = {
    "run.txt": (),
    "mutant-half_l2.txt": ("--mutant", "half_l2"),
}
RUN_TIMEOUT_S = 600


def run_from_source(*args: str) -> subprocess.CompletedProcess:
    """`python -m weight_decay_checks ARGS` from checks/src, with the suite's interpreter."""
    return run_module("weight_decay_checks", *args, timeout=RUN_TIMEOUT_S)
