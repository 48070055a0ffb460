# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # AdamW's decay under warm-up and cosine, plotted
#
# `AdamW(learning_rate=CosineDecay(...), weight_decay=0.05)`: how much does one step decay a
# weight at the start of the run, in the middle and at the end, and how much over the whole
# run? This page trains nothing. It runs Keras' `AdamW` for 1000 steps on a single weight that
# gets a zero gradient, so Adam's own update is zero and only the decay moves the weight. It
# records the weight after every step. The schedule warms up linearly from 0 to 1e-3 over 100
# steps, then follows a cosine down to 0 over 900.
#
# Why each step multiplies a weight by $1 - \text{lr}_t\,\text{wd}$, and what that is in the
# AdamW paper's notation, is on [AdamW in practice](../../adamw-in-practice/#per-step).
#
# Run it yourself: `python docs/experiments/adamw_decay_under_a_schedule.py`, or download it
# as [a notebook](adamw_decay_under_a_schedule.ipynb) or
# [a script](adamw_decay_under_a_schedule.py) and open it in Jupyter.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

peak_lr, wd = 1e-3, 0.05
warmup_steps, decay_steps = 100, 900
steps = warmup_steps + decay_steps
schedule = tf.keras.optimizers.schedules.CosineDecay(
    initial_learning_rate=0.0,
    decay_steps=decay_steps,
    warmup_target=peak_lr,
    warmup_steps=warmup_steps,
)


def weight_after_each_step(learning_rate):
    """AdamW on one weight, starting at 1, with a zero gradient at every
    step: the weight after each of the `steps` steps."""
    optimizer = tf.keras.optimizers.AdamW(
        learning_rate=learning_rate, weight_decay=wd
    )
    w = tf.Variable([1.0])

    @tf.function
    def step():
        optimizer.apply_gradients([(tf.zeros_like(w), w)])
        return w[0]

    return np.array([1.0] + [float(step()) for _ in range(steps)])


scheduled = weight_after_each_step(schedule)
constant = weight_after_each_step(peak_lr)  # no schedule, for comparison
lrs = np.array([float(schedule(t)) for t in range(steps)])
factors = scheduled[1:] / scheduled[:-1]  # what step t multiplied by

print(f"AdamW(weight_decay={wd}): warm-up to {peak_lr}, then cosine to 0")
print(f"{'':>13} {'step':>5} {'lr_t':>9} {'lr_t * wd':>10} {'1 - factor':>11}")
middle = warmup_steps + decay_steps // 2
moments = {
    "start": 0,
    "warm-up half": warmup_steps // 2,
    "peak": warmup_steps,
    "middle": middle,
    "end": steps - 1,
}
for name, t in moments.items():
    row = f"{lrs[t]:9.2e} {lrs[t] * wd:10.2e} {1 - factors[t]:11.2e}"
    print(f"{name:>13} {t:5d} {row}")
removed = lrs * wd * scheduled[:-1]  # what step t should remove, exactly
print(f"steps that removed nothing: {np.sum(factors == 1.0)} of {steps}")

# %%
fig, (ax_lr, ax_decay) = plt.subplots(1, 2, figsize=(9, 3.6), dpi=90)
ax_lr.plot(lrs)
ax_lr.set(title="The schedule", xlabel="step t", ylabel="learning rate lr_t")
ax_decay.plot(1 - factors, label="measured: 1 - factor")
ax_decay.plot(
    lrs * wd, linestyle="--", label="lr_t · wd (in the paper: η_t · λ)"
)
for name in ("start", "peak", "middle", "end"):
    t = moments[name]
    ax_decay.annotate(
        name,
        (t, 1 - factors[t]),
        xytext=(0, 8),
        textcoords="offset points",
        ha="center",
        fontsize=8,
    )
    ax_decay.plot(t, 1 - factors[t], "o", color="black", markersize=3)
ax_decay.set(
    title="Decay of one step",
    xlabel="step t",
    ylabel="fraction removed",
    ylim=(-0.1 * peak_lr * wd, 1.25 * peak_lr * wd),  # room for the labels
)
ax_decay.legend(fontsize=8, loc="upper right")
fig.tight_layout()
plt.show()

# %% [markdown]
# *Figure 1. Left: the learning rate. Right: the fraction of a weight that each step removes,
# measured, on top of $\text{lr}_t\cdot\text{wd}$: the first step removes nothing, the peak
# removes 5e-5, the middle of the cosine half that, and the last step almost nothing.*
#
# The last row shows 0 where $\text{lr}_t\cdot\text{wd}$ is 1.5e-10: float32 holds a weight
# near 1 to about 6e-8 (its spacing, $2^{-24}$), and rounding to the nearest float32 drops a
# change smaller than half of that. That happens at the first step and at the last 14 steps of
# the cosine, which together should have removed less than 2e-7 of the weight.

# %%
area = lrs.sum()
print(f"a weight with zero gradient keeps {scheduled[-1]:.5f} of its size")
print(f"  exp(-wd * sum of lr_t) = {math.exp(-wd * area):.5f}")
print(f"at a constant {peak_lr} it keeps {constant[-1]:.5f}")
print(f"sum of lr_t / ({steps} * peak_lr) = {area / (steps * peak_lr):.4f}")

fig, ax = plt.subplots(figsize=(6, 3.6), dpi=90)
ax.plot(scheduled, label="warm-up + cosine, measured")
ax.plot(
    np.exp(-wd * np.concatenate([[0.0], np.cumsum(lrs)])),
    linestyle="--",
    label="exp(-wd · sum of lr_t so far)",
)
ax.plot(constant, linestyle=":", label=f"constant lr = {peak_lr}, measured")
ax.set(
    title="A weight with zero gradient",
    xlabel="step t",
    ylabel="weight (started at 1)",
)
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# *Figure 2. Over the run, the weight follows $\exp(-\text{wd}\sum_t \text{lr}_t)$: the area
# under the schedule sets the total decay. Warm-up plus cosine has half the area of a constant
# rate at its peak, so it removes about half as much (2.5 % here, against 4.9 %).*
#
# At these settings, decay acts slowly: the timescale $1/(\text{lr}\cdot\text{wd})$ is 20000
# steps at the peak rate, twenty times this run. What that timescale means for choosing `wd`
# is on [AdamW in practice](../../adamw-in-practice/#timescale).

# %% [markdown]
# ## What the figures claim, checked
#
# These assertions run at every build of the site and in the test suite.

# %%
# Each measured factor is a ratio of two float32 weights in [0.5, 1], each
# rounded to half a spacing there (2**-25): the ratio is off by at most
# 2 * 2**-25 / 0.5 = 2**-23, two float32 spacings below 1.
assert np.all(np.abs(factors - (1 - lrs * wd)) <= 2**-23), (
    "factor-follows-the-schedule: each of the 1000 AdamW steps under warm-up"
    " and cosine multiplies a weight by 1 - lr_t * weight_decay"
)
decays = 1 - factors
# Steps near the peak decay by the same 5e-5 up to rounding, so "most" is
# up to the measuring error: two measured decays, each off by 2**-23.
assert decays[0] == 0.0 and decays.max() - decays[warmup_steps] <= 2**-22, (
    "no-decay-at-start-most-at-peak: with a warm-up from 0 the first step"
    " decays nothing, and the peak learning rate decays most"
)
# The middle's decay (2.5e-5) and the peak's (5e-5) are each off by at most
# e = 2**-23 (above); their ratio by at most e / 5e-5 + 0.5 * e / 5e-5 < 4e-3.
assert abs(decays[middle] / decays[warmup_steps] - 0.5) < 4e-3, (
    "middle-decays-half-the-peak: halfway down the cosine, a step decays"
    " half as much as at the peak"
)
assert decays[-1] < decays[warmup_steps] / 1000, (
    "end-decays-almost-nothing: the last step of the cosine decays less than"
    " a thousandth of the peak's step"
)
# Rounding to nearest keeps a float32 weight in [0.5, 1] (spacing 2**-24)
# when the change is below half a spacing, and moves it when above; the
# 1 % margins leave room for the rounding of lr_t * wd * w itself.
assert np.all(decays[removed < 0.99 * 2**-25] == 0.0) and np.all(
    decays[removed > 1.01 * 2**-25] > 0.0
), (
    "float32-drops-tiny-decays: a step whose decay lr_t * wd * w is below"
    " half of float32's spacing at the weight leaves the weight unchanged"
)
unchanged = np.flatnonzero(factors == 1.0)
assert unchanged.tolist() == [0, *range(steps - 14, steps)], (
    "fifteen-steps-remove-nothing: here that is the first step and the last"
    " 14 of the cosine"
)
assert removed[unchanged].sum() < 2e-7, (
    "dropped-decay-is-negligible: together those steps should have removed"
    " less than 2e-7 of the weight"
)
# Each step rounds the weight (in [0.5, 1]) by at most 2**-25: 1000 steps
# by 3.0e-5. exp(-x) against the product of (1 - x_t) adds at most
# sum of x_t**2 / 2 <= 1000 * (5e-5)**2 / 2 = 1.25e-6.
assert abs(scheduled[-1] - math.exp(-wd * area)) < 3.2e-5, (
    "run-decay-is-exp-of-area: over the run, a weight with zero gradient is"
    " multiplied by exp(-weight_decay * sum of lr_t)"
)
# float32 rates summed in float64: far below the 1e-4 of the printed 0.5000.
assert abs(area / (steps * peak_lr) - 0.5) < 1e-4, (
    "area-is-half-of-constant: the 1000 rates of warm-up plus cosine sum to"
    " half of 1000 steps at the peak rate"
)
# -log of each kept fraction is off by at most 3.2e-5 / 0.95 = 3.4e-5 (the
# bound above, at a weight of at least 0.95); at about 0.025 and 0.05,
# their ratio by at most 3.4e-5 / 0.05 * (1 + 0.5) = 1.0e-3.
ratio = math.log(scheduled[-1]) / math.log(constant[-1])
assert abs(ratio - 0.5) < 1.1e-3, (
    "schedule-decays-half-of-constant: warm-up plus cosine removes half as"
    " much, in log terms, as a constant rate at its peak for the same steps"
)
print(f"every claim above holds; log ratio {ratio:.3f}")
