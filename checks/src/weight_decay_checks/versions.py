"""Which TensorFlow and Keras the checks support, read from the installed
distributions.

The versions are read from package metadata, not by importing TensorFlow, so an
unsupported or missing TensorFlow is reported in a fraction of a second with one
clear line.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

from packaging.version import InvalidVersion, Version

# TensorFlow 2.16 made Keras 3 its tf.keras; everything before has only Keras 2.
MIN_TENSORFLOW = Version("2.16")
MAX_TENSORFLOW = Version("3")  # exclusive
MIN_KERAS = Version("3.0")
SUPPORTED = (
    f"TensorFlow >= {MIN_TENSORFLOW}, < {MAX_TENSORFLOW} with Keras >= {MIN_KERAS} "
    "(tf-keras optional, of TensorFlow's minor version)"
)
# The distributions TensorFlow is published as (CPU-only and nightly builds
# included).
TENSORFLOW_DISTRIBUTIONS = (
    "tensorflow",
    "tensorflow-cpu",
    "tensorflow-intel",
    "tensorflow-macos",
    "tf-nightly",
)


class UnsupportedVersion(RuntimeError):
    """TensorFlow or Keras is missing or outside the supported range."""


@dataclass(frozen=True)
class Versions:
    tensorflow: str
    keras: str
    tf_keras: str | None  # None: not installed


def installed(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _parse(name: str, text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        raise UnsupportedVersion(
            f"cannot read the version of {name} ({text!r}); supported: {SUPPORTED}"
        ) from None


def check() -> Versions:
    """The installed versions, or UnsupportedVersion with a one-line reason
    naming the range."""
    tensorflow = next(filter(None, map(installed, TENSORFLOW_DISTRIBUTIONS)), None)
    if tensorflow is None:
        raise UnsupportedVersion(f"TensorFlow is not installed; supported: {SUPPORTED}")
    tf_version = _parse("TensorFlow", tensorflow)
    if not MIN_TENSORFLOW <= tf_version < MAX_TENSORFLOW:
        raise UnsupportedVersion(f"TensorFlow {tensorflow} is not supported; supported: {SUPPORTED}")
    keras = installed("keras")
    if keras is None or _parse("Keras", keras) < MIN_KERAS:
        found = "not installed" if keras is None else keras
        raise UnsupportedVersion(f"Keras 3 is needed (found: {found}); supported: {SUPPORTED}")
    return Versions(tensorflow, keras, installed("tf-keras"))


def tf_keras_problem(versions: Versions) -> str | None:
    """Why the tf-keras properties cannot run here (they are then skipped), or
    None."""
    if versions.tf_keras is None:
        minor = ".".join(versions.tensorflow.split(".")[:2])
        return f"tf-keras is not installed (pip install 'tf-keras=={minor}.*' to check it too)"
    tf_minor = Version(versions.tensorflow).release[:2]
    if Version(versions.tf_keras).release[:2] != tf_minor:
        return (
            f"tf-keras {versions.tf_keras} does not match TensorFlow {versions.tensorflow} "
            "(tf-keras follows TensorFlow's minor version)"
        )
    return None
