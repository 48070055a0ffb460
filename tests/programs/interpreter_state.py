"""Print, as JSON, what a program sees of its interpreter (tests/programs/test_forkserver.py).

Run under `python` and in the fork server, the two reports must be equal. With `--change`,
it first changes every kind of global state a snippet could change.
"""

import json
import os
import random
import re
import sys
import warnings

import numpy as np
import tensorflow as tf

keras = tf.keras


def third_party_modules():
    roots = {name.split(".")[0] for name in sys.modules}
    return sorted(
        root for root in roots if "site-packages" in (getattr(sys.modules.get(root), "__file__", None) or "")
    )


def without_addresses(text):
    return re.sub(r" at 0x[0-9a-f]+", "", text)


state = {
    "argv": sys.argv,
    "path0": sys.path[0],
    "path": sys.path[1:],
    "__name__": __name__,
    "__file__": __file__,
    "__spec__": without_addresses(repr(__spec__)),
    "main_globals": {
        name: type(value).__name__ if name == "__loader__" else without_addresses(repr(value))
        for name, value in sys.modules["__main__"].__dict__.items()
        if name.startswith("__") and name != "__builtins__"
    },
    "main_loader": type(__loader__).__name__,
    "cwd": os.getcwd(),
    "stdin": os.path.realpath("/proc/self/fd/0"),
    "flags": repr(sys.flags),
    "warning_filters": repr(warnings.filters),
    "environment": dict(os.environ),
    "keras": keras.__name__,
    "dtype_policy": keras.mixed_precision.global_policy().name,
    "floatx": keras.backend.floatx(),
    "executing_eagerly": tf.executing_eagerly(),
    "devices": [d.name for d in tf.config.list_logical_devices()],
    "intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads(),
    "third_party_modules": third_party_modules(),
    "json_module_attribute": hasattr(json, "changed_by_probe"),
    # Unseeded draws: different in every run, fresh or forked (not compared, only checked).
    "numpy_draw": float(np.random.rand()),
    "python_draw": random.random(),
}

if "--change" in sys.argv:
    keras.mixed_precision.set_global_policy("mixed_float16")
    keras.backend.set_floatx("float16")
    os.environ["CHANGED_BY_PROBE"] = "1"
    np.random.seed(0)
    random.seed(0)
    tf.random.set_seed(0)
    json.changed_by_probe = True
    sys.path.append("/changed-by-probe")
    warnings.simplefilter("error")
    tf.config.run_functions_eagerly(True)
    os.chdir("/")

print(json.dumps(state))
