"""The properties of weight decay and L2 regularization in Keras, as tests you
can run anywhere, and a check of your own training step.

The properties, on the TensorFlow and Keras installed in the current
environment:

    python -m weight_decay_checks          # a table: property x Keras, exit 0 / 1 / 2
    pytest --pyargs weight_decay_checks    # the same tests under your pytest (-k, -x, ...)

The Hypothesis settings are built in (`settings.py`): derandomized by default,
`thorough` on request. The supported versions are checked before anything runs
(`versions.py`).

Your training step (training_step.py): what its weight decay really does.

    python -m weight_decay_checks check my_training.py:make_step   # exit 0 / 1 / 2
    check_training_step(make_step)      # a report: print it, or read .ok
    assert_training_step(make_step)     # in your tests: fails with the report
    model.fit(..., callbacks=[at_fit_start(batch)])   # checks once when fit starts
"""

__version__ = "0.2.0"

from weight_decay_checks.training_step import (
    BadArguments,
    CannotCheck,
    Report,
    StepFailed,
    assert_training_step,
    at_fit_start,
    check_training_step,
)

__all__ = [
    "BadArguments",
    "CannotCheck",
    "Report",
    "StepFailed",
    "assert_training_step",
    "at_fit_start",
    "check_training_step",
]
