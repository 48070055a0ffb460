"""Print, as JSON, what a program on Keras 3's JAX backend sees of its interpreter and of
Keras (tests/programs/test_forkserver.py): the probe of the "jax" fork server.

It chooses the backend before importing Keras, as the JAX snippets do. With `--change`, it
first changes every kind of global state such a program could change.
"""

import os

os.environ["KERAS_BACKEND"] = "jax"  # before Keras is imported

import json
import sys

import jax
import keras

from tests.programs import probe

state = {
    **probe.interpreter_state(),
    "backend": keras.backend.backend(),
    "dtype_policy": keras.config.dtype_policy().name,
    "floatx": keras.config.floatx(),
    "devices": [str(d) for d in jax.devices()],
}

if "--change" in sys.argv:
    keras.config.set_dtype_policy("mixed_float16")
    keras.config.set_floatx("float16")
    keras.utils.set_random_seed(0)
    probe.change_everything_a_program_can()

print(json.dumps(state))
