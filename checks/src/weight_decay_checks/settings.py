"""The Hypothesis settings of the checks, built in: no conftest needed.

Two profiles, chosen by WEIGHT_DECAY_CHECKS_PROFILE (or, inside the site's own
suite, by HYPOTHESIS_PROFILE): `ci` (the default) is derandomized, so two runs
on the same versions draw the same examples; `thorough` draws twenty times as
many, at random. WEIGHT_DECAY_CHECKS_SEED=N makes a random run reproducible.
With a mutant in place (WEIGHT_DECAY_CHECKS_MUTANT) failing examples are not
shrunk. No deadline: the first call of a Keras layer traces functions and takes
far longer than later ones. `python -m weight_decay_checks --thorough --seed N`
sets the same variables.
"""

from __future__ import annotations

import os

from hypothesis import Phase, seed, settings

PROFILES = {
    "ci": settings(derandomize=True, max_examples=30, deadline=None, print_blob=True),
    "thorough": settings(max_examples=600, deadline=None, print_blob=True),
}


def profile_name(environ=os.environ) -> str:
    name = environ.get("WEIGHT_DECAY_CHECKS_PROFILE") or environ.get("HYPOTHESIS_PROFILE") or "ci"
    if name not in PROFILES:
        if "WEIGHT_DECAY_CHECKS_PROFILE" not in environ:
            return "ci"  # HYPOTHESIS_PROFILE names a profile of the caller's own project
        raise ValueError(f"WEIGHT_DECAY_CHECKS_PROFILE must be one of {', '.join(PROFILES)}, not {name!r}")
    return name


def seed_value(environ=os.environ) -> int | None:
    text = environ.get("WEIGHT_DECAY_CHECKS_SEED")
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"WEIGHT_DECAY_CHECKS_SEED must be an integer, not {text!r}") from None


def register() -> None:
    """Register the profiles with Hypothesis under their names and load the chosen one (the
    site's own suite and its programs use the package's profiles: one configuration)."""
    for name, profile in PROFILES.items():
        settings.register_profile(name, profile)
    settings.load_profile(profile_name())


def current(environ=os.environ) -> settings:
    chosen = PROFILES[profile_name(environ)]
    if seed_value(environ) is not None:
        chosen = settings(chosen, derandomize=False)
    if environ.get("WEIGHT_DECAY_CHECKS_MUTANT"):
        # A deliberately wrong mechanism fails most properties; what matters is
        # that they fail, not the smallest example: no shrinking (which took
        # minutes with twenty failures).
        chosen = settings(chosen, phases=[Phase.explicit, Phase.reuse, Phase.generate])
    return chosen


def describe(environ=os.environ) -> str:
    s, n = current(environ), seed_value(environ)
    how = "derandomized" if s.derandomize else ("random" if n is None else f"seed {n}")
    return f"profile {profile_name(environ)} ({s.max_examples} examples, {how})"


def _apply(test, chosen: settings):
    test = chosen(test)
    n = seed_value()
    return test if n is None else seed(n)(test)


def configured(test):
    """Apply the chosen settings (and seed) to one Hypothesis test."""
    return _apply(test, current())


def training_examples(max_examples: int) -> int:
    """How many examples a property that trains a model draws: a sixth, at
    least 5."""
    return max(5, max_examples // 6)


def slow(test):
    """As `configured`, with `training_examples` examples: for properties that
    train a model."""
    chosen = current()
    n = training_examples(chosen.max_examples)
    return _apply(test, settings(chosen, max_examples=n))
