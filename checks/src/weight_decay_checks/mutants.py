"""Deliberately wrong versions of the mechanisms the checks protect.

A property that cannot fail proves nothing. These are the wrong implementations
the site's suite hands to the properties (its catch matrix says which property
must catch which), and four of them can also be patched into Keras itself for a
whole run, to see the checks fail on your machine: `python -m
weight_decay_checks --mutant half_l2` (exit status 1), or
WEIGHT_DECAY_CHECKS_MUTANT=half_l2 for `pytest --pyargs weight_decay_checks`.
"""

from __future__ import annotations

import os

import tensorflow as tf

# --8<-- [start:mutants]


def half_l2(lib, wd):
    """The book's 1/2 where Keras has none: 0.5 * wd * sum(w**2)."""
    return lambda w: 0.5 * wd * tf.reduce_sum(tf.square(w))


def caching_l2(lib, wd):
    """Computes the penalty once, at the first read, and returns that value ever
    after."""
    cache = []

    def regularizer(w):
        if not cache:
            cache.append(wd * tf.reduce_sum(tf.square(tf.convert_to_tensor(w))))
        return cache[0]

    return regularizer


def no_gradient_l2(lib, wd):
    """The right value, cut from the tape: no gradient reaches the weights."""
    return lambda w: wd * tf.reduce_sum(tf.square(tf.stop_gradient(w)))


def undivided_activity_l2(lib, c):
    """An activity penalty that undoes the division by the batch size."""
    return lambda out: (
        c * tf.reduce_sum(tf.square(out)) * tf.cast(tf.shape(out)[0], out.dtype)
    )


def forgets_last_layer(model):
    return model.losses[:-1]


def counts_first_twice(model):
    return model.losses + model.losses[:1]


def summed(data_loss, losses):
    return data_loss + tf.add_n(
        losses
    )  # the fix, where the page claims the pitfall


def read_inside(model, x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(x) ** 2) + tf.add_n(model.losses)
    return tape, loss


def l2_posing_as_decoupled(lib, w, lr, lam, decoupled):
    from weight_decay_checks.test_properties import adam_step

    return adam_step(lib, w, lr, lam, decoupled=False)


# --8<-- [end:mutants]

# The regularizer mutants, which can stand in for `keras.regularizers.l2` in a
# whole run.
REGULARIZERS = {
    "half_l2": half_l2,
    "caching_l2": caching_l2,
    "no_gradient_l2": no_gradient_l2,
    "undivided_activity_l2": undivided_activity_l2,
}
ENVIRONMENT = "WEIGHT_DECAY_CHECKS_MUTANT"


def patch_keras(name: str, libs) -> None:
    """Replace `regularizers.l2` of each Keras in `libs` by the regularizer
    mutant `name`."""
    if name not in REGULARIZERS:
        raise ValueError(
            f"{ENVIRONMENT}: no mutant {name!r}; choose one of {', '.join(REGULARIZERS)}"
        )
    mutant = REGULARIZERS[name]
    for lib in libs:
        lib.regularizers.l2 = lambda wd, _lib=lib: mutant(_lib, wd)


def patch_from_environment(libs) -> str | None:
    name = os.environ.get(ENVIRONMENT)
    if name:
        patch_keras(name, libs)
    return name or None
