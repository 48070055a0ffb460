"""Print, as JSON, what a program sees of its interpreter and of TensorFlow's Keras
(tests/programs/test_forkserver.py).

Run under `python` and in the fork server, the two reports must be equal. With `--change`,
it first changes every kind of global state a snippet could change.
"""

import json
import sys

import tensorflow as tf

from tests.programs import probe

keras = tf.keras
state = {
    **probe.interpreter_state(),
    "keras": keras.__name__,
    "dtype_policy": keras.mixed_precision.global_policy().name,
    "floatx": keras.backend.floatx(),
    "executing_eagerly": tf.executing_eagerly(),
    "devices": [d.name for d in tf.config.list_logical_devices()],
    "intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads(),
}

if "--change" in sys.argv:
    keras.mixed_precision.set_global_policy("mixed_float16")
    keras.backend.set_floatx("float16")
    tf.random.set_seed(0)
    tf.config.run_functions_eagerly(True)
    probe.change_everything_a_program_can()

print(json.dumps(state))
