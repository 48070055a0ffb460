"""What every probe of the fork server reports, whatever it runs on: the interpreter's view of
itself (argv, sys.path, __main__, environment, modules loaded, ...), and how a program changes
what it can (for the check that nothing reaches the next program)."""

import json
import os
import random
import re
import sys
import warnings

import numpy as np


def third_party_modules():
    roots = {name.split(".")[0] for name in sys.modules}
    return sorted(
        root for root in roots if "site-packages" in (getattr(sys.modules.get(root), "__file__", None) or "")
    )


def without_addresses(text):
    return re.sub(r" at 0x[0-9a-f]+", "", text)


def interpreter_state() -> dict:
    main = sys.modules["__main__"]
    return {
        "argv": sys.argv,
        "path0": sys.path[0],
        "path": sys.path[1:],
        "__name__": main.__name__,
        "__file__": main.__file__,
        "__spec__": without_addresses(repr(main.__spec__)),
        "main_globals": {
            name: type(value).__name__ if name == "__loader__" else without_addresses(repr(value))
            for name, value in main.__dict__.items()
            if name.startswith("__") and name != "__builtins__"
        },
        "main_loader": type(main.__loader__).__name__,
        "cwd": os.getcwd(),
        "stdin": os.path.realpath("/proc/self/fd/0"),
        "flags": repr(sys.flags),
        "warning_filters": repr(warnings.filters),
        "environment": dict(os.environ),
        "third_party_modules": third_party_modules(),
        "json_module_attribute": hasattr(json, "changed_by_probe"),
        # Unseeded draws: different in every run, fresh or forked (not compared, only checked).
        "numpy_draw": float(np.random.rand()),
        "python_draw": random.random(),
    }


def change_everything_a_program_can() -> None:
    os.environ["CHANGED_BY_PROBE"] = "1"
    np.random.seed(0)
    random.seed(0)
    json.changed_by_probe = True
    sys.path.append("/changed-by-probe")
    warnings.simplefilter("error")
    os.chdir("/")
