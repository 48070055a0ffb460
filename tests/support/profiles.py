"""Hypothesis profiles: `ci` (the default for `make test`) and `thorough`.

`ci` is derandomized, so a run is reproducible and fast; `thorough` draws many more random
examples: `HYPOTHESIS_PROFILE=thorough make test`. No deadline: the first call of a Keras layer
traces functions and takes far longer than later ones.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, max_examples=30, deadline=None, print_blob=True)
settings.register_profile("thorough", max_examples=600, deadline=None, print_blob=True)


def load() -> None:
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
