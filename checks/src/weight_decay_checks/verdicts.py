"""Every verdict the training-step check can give, with the sentence it prints and the page
section of the site that explains it. No TensorFlow here: the command line lists them, the
site's tests hold the pages to them, and `training_step.py` only picks among them.

A verdict's `kind` decides the exit code of `python -m weight_decay_checks check`:
"pass" (0), "warn" (0: right now, fragile), "fail" (1), "cannot" (2: the check could not tell).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    code: str
    kind: str  # "pass", "warn", "fail" or "cannot"
    sentence: str  # one sentence; {placeholders} are filled per report
    page: str  # the section of the site that explains it, relative to the site's address


VERDICTS = {
    v.code: v
    for v in [
        Verdict(
            "penalty_once",
            "pass",
            "The penalty reaches the optimizer once, as the regularizers configure it ({variables}).",
            "where-losses-come-from/#fit",
        ),
        Verdict(
            "penalty_missing",
            "fail",
            "The penalty never reaches the optimizer ({variables}): its gradient is zero, so the "
            "regularizers decay nothing. Read model.losses inside the tape (or let Keras' "
            "compute_loss add it).",
            "where-losses-come-from/#fit",
        ),
        Verdict(
            "penalty_times_n",
            "fail",
            "The penalty reaches the optimizer {times} times ({variables}): each of the {replicas} "
            "replicas adds the whole penalty and their gradients are summed. Divide it by the "
            "number of replicas (tf.nn.scale_regularization_loss).",
            "distributed/#unscaled",
        ),
        Verdict(
            "penalty_divided_by_loss_scale",
            "fail",
            "The penalty reaches the optimizer divided by the loss scale {scale:g} ({variables}): "
            "it was added after the loss was scaled, or the loss was never scaled "
            "(optimizer.scale_loss / get_scaled_loss).",
            "custom-training/#loss-scaling",
        ),
        Verdict(
            "penalty_scaled",
            "fail",
            "The penalty reaches the optimizer multiplied by {factor:.6g} ({variables}), a factor the "
            "check does not recognise.",
            "where-losses-come-from/#forward-backward",
        ),
        Verdict(
            "data_gradient_times_k",
            "fail",
            "The data gradient is multiplied by {k}, the number of penalty terms: the loss adds the "
            "list model.losses instead of its sum (loss + model.losses). Sum it: "
            "tf.add_n(model.losses).",
            "pitfalls/#list-add",
        ),
        Verdict(
            "list_add_latent",
            "warn",
            "The loss adds the list model.losses instead of its sum: right only while there is "
            "exactly one penalty term; with a second one the data gradient doubles. Sum it: "
            "tf.add_n(model.losses).",
            "pitfalls/#list-add",
        ),
        Verdict(
            "list_add_unseen",
            "warn",
            "The check cannot see whether the loss adds the list model.losses: the data gradient "
            "is zero on this batch, or every trainable variable has a regularizer (none is free to "
            "carry its test term). Sum model.losses with tf.add_n, or check with a batch that has "
            "a data loss.",
            "check-your-training-step/#what-it-cannot-see",
        ),
        Verdict(
            "decayed_twice",
            "fail",
            "Decayed twice ({variables}): an L2 penalty and the optimizer's weight_decay act on the "
            "same variables. Choose one.",
            "pitfalls/#double-decay",
        ),
        Verdict(
            "decay_once",
            "pass",
            "The optimizer's weight_decay decays {variables}, and only those.",
            "l2-vs-weight-decay/#which-variables",
        ),
        Verdict(
            "decay_on_frozen",
            "fail",
            "The step updates (and decays) variables that are not trainable ({variables}): it "
            "passes frozen weights to the optimizer.",
            "l2-vs-weight-decay/#which-variables",
        ),
        Verdict(
            "decay_missing",
            "fail",
            "The optimizer configured on the model would decay {variables}, but the step's update "
            "of them has no weight decay (another optimizer, or none, updates them).",
            "l2-vs-weight-decay/#which-variables",
        ),
        Verdict(
            "regularizer_not_attached",
            "fail",
            "A regularizer set on a built layer is not attached to its variable ({variables}): "
            "it adds no penalty. Give layers their regularizers when they are made.",
            "pitfalls/#regularizer-after-build",
        ),
        Verdict(
            "stale_trace",
            "fail",
            "The step runs a function traced before the model changed: {what}. Compile again, or "
            "make a new tf.function, after changing the model or the optimizer.",
            "custom-training/#fit-cached-step",
        ),
        Verdict(
            "some_traces_only",
            "fail",
            "The penalty is in some of the step's traces only: {what}. A tf.function traces again "
            "for each new input shape; attach regularizers before the first trace.",
            "custom-training/#tf-function",
        ),
        Verdict(
            "traced_before_check",
            "cannot",
            "The step was traced before the check, so the check cannot see inside it. Pass a "
            "function that builds the model and the step instead.",
            "check-your-training-step/#what-it-cannot-see",
        ),
        Verdict(
            "nothing_to_check",
            "cannot",
            "Nothing to check: no trainable variable has a weight regularizer and no optimizer the "
            "step uses has weight_decay.",
            "check-your-training-step/#what-it-cannot-see",
        ),
        Verdict(
            "no_update",
            "cannot",
            "The step changed no weight: it applied no gradient through a Keras optimizer.",
            "check-your-training-step/#what-it-cannot-see",
        ),
        Verdict(
            "update_outside_optimizer",
            "cannot",
            "The step changes weights outside a Keras optimizer's update ({variables}): by hand, "
            "or with an optimizer the check does not support.",
            "check-your-training-step/#what-it-cannot-see",
        ),
        Verdict(
            "not_reproducible",
            "cannot",
            "Two runs of the step from the same state gave different data gradients (dropout or "
            "other randomness the check cannot reset): pass a function that builds the model and "
            "the step, so each run starts from the same seed.",
            "check-your-training-step/#what-it-cannot-see",
        ),
    ]
}

KINDS = ("pass", "warn", "fail", "cannot")
EXIT_CODES = {"pass": 0, "warn": 0, "fail": 1, "cannot": 2}
