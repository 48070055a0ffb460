"""The training-step check on the programs of snippets/steps/ for Keras 3 on JAX
(`jax_*.py`), against their EXPECTED verdicts: step_checks.py, with Keras' backend chosen first.

    python -m tests.programs.jax_step_checks
"""

from __future__ import annotations

import os
import sys

os.environ["KERAS_BACKEND"] = "jax"  # before anything imports Keras

from tests.programs.step_checks import programs, run

if __name__ == "__main__":
    sys.exit(run(programs("jax"), "keras3"))
