"""Weight decay under tf.distribute.MirroredStrategy: 2 replicas under both Kerases, and 4 under
Keras 3 in the `thorough` profile (`HYPOTHESIS_PROFILE=thorough make test`). In the default
profile four replicas are covered by the training-step check instead
(snippets/steps/distributed_penalty.py:unscaled_4 and :scaled_4, tests/programs/test_step_checks.py):
the penalty's gradient applied 4 times unscaled, once scaled; the 19 s these properties take
on four replicas here went to that.

(One replica is left out: with N = 1 the scaled and unscaled steps are the same step, so the
properties say nothing the two- and four-replica cases do not.)

Each case runs `python -m tests.programs.distributed_check N` in a fresh copy of a fork server's
interpreter: TensorFlow is imported there but its runtime has not started, so the logical CPU
devices can still be configured. The module holds the Hypothesis properties and their bounds.
"""

from __future__ import annotations

import pytest

from site_machinery.programs import Program
from weight_decay_checks.settings import profile_name

pytestmark = pytest.mark.slow


# Two replicas under each Keras; four under Keras 3 (whose distributed training code is the one
# still changing: keras-team/keras pull request 20609 changed its scaling in 3.8) when thorough.
CASES = [(2, "keras3"), (2, "tf-keras")]
if profile_name() == "thorough":
    CASES.insert(1, (4, "keras3"))


@pytest.mark.parametrize(("replicas", "keras"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_distributed_step(replicas, keras, runner):
    """With 2 replicas under each Keras (and 4 under Keras 3 when thorough), the Hypothesis properties of
    `tests/programs/distributed_check.py` hold: the scaled step equals one single-device step on
    the global batch, the unscaled step applies the penalty's gradient N times, and `fit` equals
    the scaled step, each within a derived float32 bound."""
    program = Program.of_module("tests.programs.distributed_check", str(replicas), budget="distributed")
    run = runner.run(program, keras)
    assert run.returncode == 0, run.failure()
    assert f"ok: {replicas} replica(s)" in run.stdout
