"""Deliberately wrong versions of the mechanisms the checks protect.

A property that cannot fail proves nothing. Each mutant below is a wrong
version of one piece (Keras' `l2`, how penalties are collected, an
optimizer's exclusions, ...) and names the properties that must fail when it
stands in for the real piece. One mechanism puts it in place,
`applied(name, kerases)`: `python -m weight_decay_checks --mutant NAME` and
`WEIGHT_DECAY_CHECKS_MUTANT=NAME pytest --pyargs weight_decay_checks` use it
for a whole run (the run must fail), and the site's suite checks every row of
the registry that way.

The registry imports nothing heavy: the command line reads the names without
TensorFlow. The wrong implementations import it when they run.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

ENVIRONMENT = "WEIGHT_DECAY_CHECKS_MUTANT"

# --8<-- [start:mutants]


def half_l2(lib, wd):
    """The book's 1/2 where Keras has none: 0.5 * wd * sum(w**2)."""
    import tensorflow as tf

    return lambda w: 0.5 * wd * tf.reduce_sum(tf.square(w))


def caching_l2(lib, wd):
    """Computes the penalty at the first read and returns that value ever
    after."""
    import tensorflow as tf

    cache = []

    def regularizer(w):
        if not cache:
            w = tf.convert_to_tensor(w)
            cache.append(wd * tf.reduce_sum(tf.square(w)))
        return cache[0]

    return regularizer


def no_gradient_l2(lib, wd):
    """The right value, cut from the tape: no gradient reaches the weights."""
    import tensorflow as tf

    return lambda w: wd * tf.reduce_sum(tf.square(tf.stop_gradient(w)))


def undivided_l2(lib, c):
    """An activity penalty that undoes the division by the batch size (a
    weight penalty is then multiplied by the weight's first dimension)."""
    import tensorflow as tf

    def regularizer(x):
        rows = tf.cast(tf.shape(x)[0], x.dtype)
        return c * tf.reduce_sum(tf.square(x)) * rows

    return regularizer


def l1l2_without_l1(lib, l1=0.0, l2=0.0):
    """L1L2 that forgets its L1 term."""
    import tensorflow as tf

    return lambda w: l2 * tf.reduce_sum(tf.square(w))


def forgets_last_layer(model):
    """Collects every penalty but the last layer's."""
    return model.losses[:-1]


def counts_first_twice(model):
    """Collects the first layer's penalty twice."""
    return model.losses + model.losses[:1]


def summed(data_loss, losses):
    """The fix, where the list-add property expects the pitfall."""
    import tensorflow as tf

    return data_loss + tf.add_n(losses)


def read_inside(model, x):
    """The fix, where the outside-the-tape property expects the pitfall."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(x) ** 2) + tf.add_n(model.losses)
    return tape, loss


def l2_posing_as_decoupled(lib, w, lr, lam):
    """`weight_decay=lam` that is really a coupled l2(lam / 2) penalty."""
    from weight_decay_checks.checks import adam_step

    return adam_step(lib, w, lr, lam, decoupled=False)


def data_loss_only(model, x, y, y_pred):
    """A train_step whose loss is the compiled loss without the penalties."""
    import tensorflow as tf

    return tf.reduce_mean(tf.square(y - y_pred))


def ignored_exclusions(self, var_list=None, var_names=None):
    """exclude_from_weight_decay that excludes nothing."""


def decays_every_micro_step(apply):
    """Keras 3's Optimizer.apply that also decays at each accumulation
    micro-step (what Keras did before 3.5), not only at the real update."""

    def wrong(self, grads, trainable_variables=None):
        steps = self.gradient_accumulation_steps
        counter = getattr(self, "_iterations", None) or self.iterations
        micro = bool(steps) and (int(counter.numpy()) + 1) % steps != 0
        result = apply(self, grads, trainable_variables)
        if micro and trainable_variables is not None:
            self._apply_weight_decay(trainable_variables)
        return result

    return wrong


def decays_at_the_first_rate(self, variables):
    """Optimizer._apply_weight_decay that multiplies by 1 - lr_0 * wd at every
    step, lr_0 the rate the schedule starts from: a constant per-step decay
    that does not follow the schedule (as TensorFlow Addons' AdamW's 1 - wd
    does not, given a constant weight_decay)."""
    import tensorflow as tf

    if self.weight_decay is None:
        return
    rate = self._learning_rate
    first = rate(0) if callable(rate) else rate
    for variable in variables:
        if self._use_weight_decay(variable):
            factor = tf.cast(first, variable.dtype) * self.weight_decay
            variable.assign_sub(variable * factor)


@dataclass(frozen=True)
class Mutant:
    wrong: object  # the wrong implementation
    replaces: str  # what it stands in for (see `applied`)
    caught_by: tuple[str, ...]  # the properties that must fail with it


MUTANTS = {
    "half_l2": Mutant(
        half_l2,
        "regularizers.l2",
        (
            "test_dense_l2_penalty_is_wd_times_sum_of_squares",
            "test_penalty_of_every_regularized_weight_kind",
            "test_model_penalties_sum_over_regularized_layers",
            "test_penalty_reflects_assigned_weights_without_forward_pass",
            "test_penalty_gradient_is_2_wd_w",
            "test_sgd_step_with_l2_decays_the_weights",
            "test_list_add_multiplies_the_data_gradient_by_k",
            "test_activity_penalty_is_recomputed_per_call_and_divided_by_batch",
            "test_reported_loss_is_data_loss_plus_penalties",
            "test_invalid_strength",  # it accepts any strength
            "test_traced_penalty_equals_eager_penalty_for_any_weights",
            "test_weight_penalty_stays_float32_under_mixed_precision",
        ),
    ),
    "caching_l2": Mutant(
        caching_l2,
        "regularizers.l2",
        # right at the first read: only a read after a change sees it
        ("test_penalty_reflects_assigned_weights_without_forward_pass",),
    ),
    "no_gradient_l2": Mutant(
        no_gradient_l2,
        "regularizers.l2",
        # the right value: only the properties about gradients see it
        (
            "test_penalty_gradient_is_2_wd_w",
            "test_sgd_step_with_l2_decays_the_weights",
        ),
    ),
    "undivided_l2": Mutant(
        undivided_l2,
        "regularizers.l2",
        ("test_activity_penalty_is_recomputed_per_call_and_divided_by_batch",),
    ),
    "l1l2_without_l1": Mutant(
        l1l2_without_l1,
        "regularizers.L1L2",
        ("test_l1l2_penalty",),
    ),
    "tf_keras_half_l2": Mutant(
        half_l2,
        "tf_keras regularizers.l2",  # one Keras only: they disagree
        ("test_keras3_and_tf_keras_give_the_same_penalty",),
    ),
    "forgets_last_layer": Mutant(
        forgets_last_layer,
        "checks.model_losses",
        ("test_model_penalties_sum_over_regularized_layers",),
    ),
    "counts_first_twice": Mutant(
        counts_first_twice,
        "checks.model_losses",
        ("test_model_penalties_sum_over_regularized_layers",),
    ),
    "l2_posing_as_decoupled": Mutant(
        l2_posing_as_decoupled,
        "checks.decoupled_adam_step",
        ("test_adam_l2_penalty_is_not_decoupled_weight_decay",),
    ),
    "summed": Mutant(
        summed,
        "checks.list_add",
        ("test_list_add_multiplies_the_data_gradient_by_k",),
    ),
    "read_inside": Mutant(
        read_inside,
        "checks.read_outside",
        ("test_penalty_read_outside_the_tape_adds_no_gradient",),
    ),
    "data_loss_only": Mutant(
        data_loss_only,
        "checks.train_step_loss",
        ("test_custom_train_step_with_compute_loss_matches_fit",),
    ),
    "ignored_exclusions": Mutant(
        ignored_exclusions,
        "optimizers.Optimizer.exclude_from_weight_decay",
        ("test_weight_decay_scales_exactly_the_variables_not_excluded",),
    ),
    "decays_every_micro_step": Mutant(
        decays_every_micro_step,
        "keras optimizers.Optimizer.apply",  # Keras 3 only: tf-keras has none
        ("test_weight_decay_is_applied_once_per_accumulated_update",),
    ),
    "decays_at_the_first_rate": Mutant(
        decays_at_the_first_rate,
        "optimizers.Optimizer._apply_weight_decay",
        ("test_weight_decay_follows_the_learning_rate_schedule",),
    ),
}
# --8<-- [end:mutants]


def _replace(owner, attribute: str, new, stack: contextlib.ExitStack) -> None:
    """Set `owner.attribute = new` until `stack` closes, then restore it (an
    attribute `owner` only inherited is removed again)."""
    own = attribute in vars(owner)
    old = vars(owner).get(attribute)
    setattr(owner, attribute, new)

    def restore():
        if own:
            setattr(owner, attribute, old)
        else:
            delattr(owner, attribute)

    stack.callback(restore)


@contextlib.contextmanager
def applied(name: str, kerases: dict):
    """Put mutant `name` in place of the piece it replaces, in every Keras of
    `kerases` ({"keras3": keras, "tf-keras": tf_keras or None}), until the
    block ends."""
    if name not in MUTANTS:
        raise ValueError(
            f"{ENVIRONMENT}: no mutant {name!r}; choose one of {', '.join(MUTANTS)}"
        )
    mutant = MUTANTS[name]
    libs = [lib for lib in kerases.values() if lib is not None]
    with contextlib.ExitStack() as stack:
        if mutant.replaces == "regularizers.l2":
            for lib in libs:
                l2 = lambda wd, _lib=lib: mutant.wrong(_lib, wd)  # noqa: E731
                _replace(lib.regularizers, "l2", l2, stack)
        elif mutant.replaces == "regularizers.L1L2":
            for lib in libs:

                def l1l2(l1=0.0, l2=0.0, _lib=lib):
                    return mutant.wrong(_lib, l1, l2)

                _replace(lib.regularizers, "L1L2", l1l2, stack)
        elif mutant.replaces == "tf_keras regularizers.l2":
            lib = kerases.get("tf-keras")
            if lib is not None:
                l2 = lambda wd: mutant.wrong(lib, wd)  # noqa: E731
                _replace(lib.regularizers, "l2", l2, stack)
        elif mutant.replaces == "keras optimizers.Optimizer.apply":
            optimizer = kerases["keras3"].optimizers.Optimizer
            wrong = mutant.wrong(optimizer.apply)
            _replace(optimizer, "apply", wrong, stack)
        elif mutant.replaces.startswith("checks."):
            from weight_decay_checks import checks

            piece = mutant.replaces.removeprefix("checks.")
            _replace(checks, piece, mutant.wrong, stack)
        elif mutant.replaces.startswith("optimizers.Optimizer."):  # every Keras
            method = mutant.replaces.removeprefix("optimizers.Optimizer.")
            for lib in libs:
                _replace(lib.optimizers.Optimizer, method, mutant.wrong, stack)
        else:
            raise ValueError(
                f"mutant {name}: cannot replace {mutant.replaces!r}"
            )
        yield mutant
