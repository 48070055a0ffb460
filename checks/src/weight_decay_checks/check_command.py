"""`python -m weight_decay_checks check MODULE:FUNCTION`: check the reader's training step.

FUNCTION returns `(model, step, batch)`; the check calls `step(batch)` (see training_step.py).
MODULE is an importable module (found from the current directory too) or a path to a `.py`
file. Exit status, like the property command's: 0 the step is right (warnings included), 1 it
is wrong, 2 the check cannot tell (nothing to check, the step raised, an unsupported Keras,
backend or optimizer, a target that does not load). Each of those gets one clear line; a step
that raises gets its own traceback too.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
import textwrap
import traceback
from pathlib import Path

from weight_decay_checks import __version__, versions
from weight_decay_checks.verdicts import EXIT_CODES, VERDICTS

PROG = "python -m weight_decay_checks check"


class BadTarget(Exception):
    """MODULE:FUNCTION does not name a function that loads."""


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Run your training step and report what its weight decay really does: "
        "penalties that never reach the optimizer, or reach it N times, or divided by the loss "
        "scale; decay twice, or on frozen weights; stale traces. Exit status: 0 right, 1 wrong, "
        "2 cannot tell.",
    )
    parser.add_argument(
        "target",
        nargs="?",
        metavar="MODULE:FUNCTION",
        help="FUNCTION() returns (model, step, batch); MODULE is a module name or a .py file",
    )
    parser.add_argument(
        "--cpus",
        type=int,
        metavar="N",
        help="split this machine's CPU into N logical devices first (for a MirroredStrategy step)",
    )
    parser.add_argument("--verdicts", action="store_true", help="list every verdict and exit")
    args = parser.parse_args(argv)
    if not args.verdicts and not args.target:
        parser.error("give MODULE:FUNCTION (or --verdicts)")
    if args.cpus is not None and args.cpus < 1:
        parser.error(f"--cpus must be at least 1, not {args.cpus}")
    return args


def load(target: str):
    """The function MODULE:FUNCTION names."""
    module_name, colon, function_name = target.rpartition(":")
    if not colon or not module_name or not function_name.isidentifier():
        raise BadTarget(f"{target!r} is not MODULE:FUNCTION (e.g. my_training.py:make_step)")
    path = Path(module_name)
    if module_name.endswith(".py") or path.exists():
        if not path.is_file():
            raise BadTarget(f"no file {module_name}")
        sys.path.insert(0, str(path.resolve().parent))  # its own imports, as `python FILE` would
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)
    else:
        sys.path.insert(0, "")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name.split(".")[0] and error.name != module_name:
                raise
            raise BadTarget(f"no module {module_name!r} (from {Path.cwd()})") from None
    function = getattr(module, function_name, None)
    if function is None:
        raise BadTarget(f"{module_name} has no {function_name}")
    if not callable(function):
        raise BadTarget(f"{module_name}:{function_name} is not a function")
    return function


def split_cpu(n: int) -> None:
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * n)


def main(argv) -> int:
    args = parse_args(argv)
    if args.verdicts:
        for v in VERDICTS.values():  # what the page "Check your own training step" lists
            print(f"{v.code} ({v.kind}, exit {EXIT_CODES[v.kind]})")
            print(textwrap.fill(v.sentence, 79, initial_indent="    ", subsequent_indent="    "))
            print(f"    explained on the site: {v.page}")
        return 0
    try:
        found = versions.check()
    except versions.UnsupportedVersion as e:
        print(f"weight-decay-checks: {e}", file=sys.stderr)
        return 2
    if args.cpus:
        split_cpu(args.cpus)
    try:
        factory = load(args.target)
    except BadTarget as e:
        print(f"weight-decay-checks: {e}", file=sys.stderr)
        return 2
    except Exception:  # the reader's module raised while loading: their traceback
        traceback.print_exc()
        print(f"weight-decay-checks: {args.target} raised while loading (above)", file=sys.stderr)
        return 2

    from weight_decay_checks.training_step import CannotCheck, StepFailed, check_training_step

    try:
        report = check_training_step(factory, name=args.target)
    except CannotCheck as e:
        print(f"weight-decay-checks: cannot check {args.target}: {e}", file=sys.stderr)
        return 2
    except StepFailed as e:
        cause = e.__cause__
        traceback.print_exception(type(cause), cause, cause.__traceback__)
        print(f"weight-decay-checks: {e}", file=sys.stderr)
        return 2
    print(
        f"weight-decay-checks {__version__}: TensorFlow {found.tensorflow}, Keras {found.keras}, "
        f"tf-keras {found.tf_keras or 'not installed'}\nthe step ran under {report.keras}"
    )
    print(report)
    return report.exit_code
