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
# Why each step multiplies a weight by $1 - \text{lr}_t\,\text{wd}$ is on
# [AdamW in practice](../../adamw-in-practice/#per-step). In the AdamW paper's notation
# ([the same page](../../adamw-in-practice/#paper-lambda)), this run has a base rate
# $\alpha = 10^{-3}$ (the peak), a schedule multiplier $\eta_t = \text{lr}_t/\alpha$ between 0
# and 1, and $\lambda = \alpha\cdot\text{wd} = 5\cdot10^{-5}$: not $\lambda = 0.05$.
#
# Run it yourself: `python docs/experiments/adamw_decay_under_a_schedule.py`, or download it
# as [a notebook](adamw_decay_under_a_schedule.ipynb) or
# [a script](adamw_decay_under_a_schedule.py) and open it in Jupyter. The output below was
# printed by the site's build, under Keras 3; the test suite runs the page under tf-keras too
# and gets the same output.

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
    "step 1": 1,
    "warm-up half": warmup_steps // 2,
    "peak": warmup_steps,
    "run middle": steps // 2,
    "cosine middle": middle,
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
for name in ("start", "peak", "cosine middle", "end"):
    t = moments[name]
    ax_decay.annotate(
        name.removeprefix("cosine "),
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
# measured, on top of $\text{lr}_t\cdot\text{wd}$: the first step removes nothing (its rate is
# 0), the peak 5e-5, the middle of the cosine half that, and the last step should remove
# 1.5e-10.*
#
# Each measured decay is off from $\text{lr}_t\cdot\text{wd}$ by up to half a float32 spacing:
# float32 holds a weight in $[0.5, 1)$ to a spacing of $2^{-24}$ (about 6e-8). That shows in the
# third digit at the run's middle (2.94e-5 against 2.93e-5) and matters most where the change
# is small: step $t = 1$ (the second step) removes 4.77e-7 (8 spacings) instead of 5e-7, and
# rounding to the nearest float32 drops a change smaller than half a spacing, as at the last
# step. The weight is unchanged at 15
# steps: the first, because its rate is 0, and the last 14 of the cosine, whose decays are
# below half a spacing. Together they should have removed less than 2e-7 of the weight.

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
# under the schedule sets the total decay. Here the warm-up from 0 and the cosine down to 0
# (`CosineDecay`'s default `alpha=0`) have half the area of a constant rate at the peak, so
# the run removes about half as much (2.5 % here, against 4.9 %).*
#
# At these settings, decay acts slowly: the timescale $1/(\text{lr}\cdot\text{wd})$ is 20000
# steps at the peak rate, twenty times this run (40000 at the schedule's mean rate). What that timescale means for choosing `wd`
# is on [AdamW in practice](../../adamw-in-practice/#timescale).

# %% [markdown]
# ## What the figures claim, checked
#
# These assertions run at every build of the site and in the test suite.

# %%
# Each measured factor is w_{t+1} / w_t, w_t the step's exact input (a
# float32 in [0.5, 1]) and w_{t+1} rounded by at most half a spacing there,
# 2**-25: the ratio is off by at most 2**-25 / 0.5 = 2**-24. (The rounding
# of lr_t * wd * w_t inside the step is a few 1e-12, far below.)
assert np.all(np.abs(factors - (1 - lrs * wd)) <= 2**-24), (
    "factor-follows-the-schedule: each of the 1000 AdamW steps under warm-up"
    " and cosine multiplies a weight by 1 - lr_t * weight_decay"
)
decays = 1 - factors
# Steps near the peak decay by the same 5e-5 up to rounding, so "most" is
# up to the measuring error: two measured decays, each off by 2**-24.
assert decays[0] == 0.0 and decays.max() - decays[warmup_steps] <= 2**-23, (
    "no-decay-at-start-most-at-peak: with a warm-up from 0 the first step"
    " decays nothing, and no step decays more than the peak's step by more"
    " than two measuring errors (2**-23)"
)
# The middle's decay (2.5e-5) and the peak's (5e-5) are each off by at most
# e = 2**-24 (above); their ratio by at most e / 5e-5 + 0.5 * e / 5e-5 < 2e-3.
assert abs(decays[middle] / decays[warmup_steps] - 0.5) < 2e-3, (
    "middle-decays-half-the-peak: halfway down the cosine, a step decays"
    " half as much as at the peak"
)
assert lrs[-1] < lrs[warmup_steps] / 1000 and decays[-1] <= lrs[-1] * wd, (
    "end-decays-almost-nothing: the last step of the cosine has under a"
    " thousandth of the peak's rate, and decays no more than lr_t * wd"
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
# In exact arithmetic, 49.5 peak-steps of warm-up plus 450.5 of cosine:
# 500. Keras computes each rate in float32, and near the end of the cosine
# a rate is off by much more than 2**-24 of itself (step 999: 3.04e-9
# against 3.046e-9), but never by more than about 6.7 * 2**-24 of the peak:
# the angle pi * (t - 100) / 900 is off by 3 roundings (9.4 * 2**-24), cos
# and 1 + cos add 2 * 2**-24, halving is exact, and the product with the
# peak adds 2**-24 of it. The mean of the rates is off by no more: 4e-7.
assert abs(area / (steps * peak_lr) - 0.5) < 4e-7, (
    "area-is-half-of-constant: the 1000 rates of warm-up plus cosine sum to"
    " half of 1000 steps at the peak rate"
)
# With exact weights the ratio is wd * area / (-1000 * log(1 - peak_lr * wd))
# plus the x**2 / 2 terms of -log(1 - x): 0.5 to within 4e-7 (the area,
# above) and 2.5e-5 / 2 (x <= 5e-5). The measured -log of each kept
# fraction is off by at most 3.2e-5 / 0.95 = 3.4e-5 (the bound above, at a
# weight of at least 0.95); at about 0.025 and 0.05, that moves the ratio by
# at most 3.4e-5 / 0.05 * (1 + 0.5) = 1.02e-3. In all, below 1.04e-3.
ratio = math.log(scheduled[-1]) / math.log(constant[-1])
assert abs(ratio - 0.5) < 1.04e-3, (
    "schedule-decays-half-of-constant: warm-up plus cosine removes half as"
    " much, in log terms, as a constant rate at its peak for the same steps"
)
print(f"every claim above holds; log ratio {ratio:.3f}")
