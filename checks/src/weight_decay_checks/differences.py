"""The documented differences: behaviours that Keras changed between releases.

Each is listed once: what older releases do, the release that changed it and
the pull request that did. On a release inside a difference's range, the
property it names checks that release's documented behaviour, and the table
says so ("pass [1]", note 1 "Keras < 3.14 behaviour, PR 22021"; in --json
"pass (Keras < 3.14 behaviour, PR 22021)"): a reader's CI on an older
pin is green when Keras behaves as documented for it, and red on any other
deviation. `--current-behaviour` (or WEIGHT_DECAY_CHECKS_CURRENT_BEHAVIOUR=1)
demands today's behaviour everywhere.

The site reads the same list for the statements its programs assert
(`assertions`: the labels of their `assert` statements), so one table says
what changed, for the package and for the pages.

Nothing heavy is imported here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import metadata

from packaging.version import Version

ENVIRONMENT = "WEIGHT_DECAY_CHECKS_CURRENT_BEHAVIOUR"


@dataclass(frozen=True)
class Difference:
    name: str  # the anchor on the site's versions page
    # The first Keras release with the pull request (by keras-team/keras' tags): older
    # ones differ. The version matrix runs some releases on each side, not all.
    keras: str
    pull_request: int  # in keras-team/keras
    older: str  # what releases before `keras` do
    properties: tuple[str, ...] = ()  # the package's properties it touches
    # the site's assertions: `snippets/FILE#label`, written FILE#label
    assertions: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"https://github.com/keras-team/keras/pull/{self.pull_request}"

    @property
    def label(self) -> str:
        """How a cell names it: "Keras < 3.14 behaviour, PR 22021"."""
        return f"Keras < {self.keras} behaviour, PR {self.pull_request}"

    def applies_to(self, keras: str) -> bool:
        """Whether Keras 3 release `keras` is older than the change."""
        return Version(keras) < Version(self.keras)


DIFFERENCES = (
    Difference(
        name="activity-batch",
        keras="3.14",
        pull_request=22021,
        older="an activity penalty is c * sum(out**2) over the whole batch, not divided by the batch size",
        properties=("test_activity_penalty_is_recomputed_per_call_and_divided_by_batch",),
        assertions=("activity_penalty_forward_pass.py#divided-by-batch",),
    ),
    Difference(
        name="fit-scaling",
        keras="3.8",
        pull_request=20609,
        older="fit on several MirroredStrategy replicas does not take the "
        "single-device step (PR 20609 divides each replica's loss, penalty "
        "included, by the number of replicas)",
        assertions=(
            "distributed_fit_one_vs_two_replicas.py#fit-two-replicas-equal-one-device",
            "distributed_fit_matches_custom_step.py#fit-matches-custom-step",
            "distributed_fit_uneven_batches.py#even-shares-match",
            "pitfall_compute_loss_replicas_broken.py#default-divides-by-replicas",
            "pitfall_compute_loss_replicas_fixed.py#divided-override-matches-keras",
        ),
    ),
    Difference(
        name="fit-mixed-activity",
        keras="3.8",
        pull_request=20609,
        older="fit's compute_loss casts every term of model.losses to float32 "
        "before summing them, so fit trains with a float16 activity penalty "
        "under mixed_float16 (PR 20609 casts only non-float terms: the float16 "
        "term then meets float32 ones and fit raises TypeError)",
        assertions=("mixed_precision_fit_activity_penalty.py#fit-mixed-activity",),
    ),
    Difference(
        name="replica-gradient-sum",
        keras="3.5",
        pull_request=20051,
        older="under MirroredStrategy (in a custom loop's strategy.run, and in "
        "fit), Keras 3's TensorFlow optimizer does not sum the replicas' "
        "gradients before it applies them (PR 19969, 'Actually sum gradient "
        "for tf distribute', relanded as PR 20051)",
        assertions=(
            "clipping_under_strategy.py#keras3-clips-per-replica",
            "distributed_penalty_scaled.py#scaled-step-equals-single-device",
            "distributed_penalty_unscaled_broken.py#unscaled-penalty-applied-n-times",
            "distributed_weight_decay_needs_no_scaling.py#weight-decay-not-scaled",
            "multiworker_penalty_scaled.py#multiworker-scaled-equals-single-process",
            "pitfall_compute_loss_replicas_broken.py#override-penalty-n-times",
        ),
    ),
    Difference(
        name="accumulation-decay",
        keras="3.5",
        pull_request=19998,
        older="with gradient_accumulation_steps, decoupled weight decay is "
        "applied at every micro-step, not once per real update",
        properties=("test_weight_decay_is_applied_once_per_accumulated_update",),
        assertions=(
            "keras3_gradient_accumulation_decay.py#accumulation-micro-steps-keep-weights",
            "keras3_gradient_accumulation_decay.py#accumulation-decays-once-per-update",
        ),
    ),
)
BY_NAME = {d.name: d for d in DIFFERENCES}


def current_behaviour_demanded() -> bool:
    return os.environ.get(ENVIRONMENT, "") not in ("", "0")


def documented(prop: str, column: str) -> Difference | None:
    """The difference that applies to property `prop` under the Keras of
    `column` ("keras3" or "tf-keras") as installed, or None. tf-keras has none
    of them; none applies when the current behaviour is demanded."""
    if column != "keras3" or current_behaviour_demanded():
        return None
    keras = metadata.version("keras")
    for difference in DIFFERENCES:
        if prop in difference.properties and difference.applies_to(keras):
            return difference
    return None
