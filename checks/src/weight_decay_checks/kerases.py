"""The two Kerases the checks run under, side by side in one process: `keras` is Keras 3 (what
`tf.keras` is by default) and `tf_keras` is tf-keras 2 (what `tf.keras` is with
TF_USE_LEGACY_KERAS=1). Where tf-keras is not installed, or not of TensorFlow's minor version,
its checks are skipped with the reason.
"""

from __future__ import annotations

import functools

from weight_decay_checks import versions

NAMES = ("keras3", "tf-keras")


@functools.cache
def load() -> tuple[dict, str | None]:
    """({"keras3": keras, "tf-keras": tf_keras or None}, why tf-keras cannot run or None).
    Raises versions.UnsupportedVersion outside the supported range, before importing either."""
    found = versions.check()
    import keras

    problem = versions.tf_keras_problem(found)
    tf_keras = None
    if problem is None:
        try:
            import tf_keras
        except ImportError as e:
            problem = f"tf-keras {found.tf_keras} does not import: {e}"
    return {"keras3": keras, "tf-keras": tf_keras}, problem
