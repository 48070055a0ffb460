"""How much AdamW decays a weight at each step under a warm-up + cosine
schedule, and what Keras' `weight_decay` is in the AdamW paper's terms.

Keras multiplies the decay by the learning rate of the step: before Adam's
update, a decayed weight is multiplied by 1 - lr_t * weight_decay. With a
schedule, the decay follows it: none at the start of the warm-up, most at
its peak, almost none at the end of the cosine.

The paper (Loshchilov & Hutter, Algorithm 2) writes the step as
w -= eta_t * (alpha * adam_update + lam * w), with a base rate alpha and a
schedule multiplier eta_t in [0, 1]. Keras' lr_t is alpha * eta_t, so
Keras' weight_decay wd is the paper's lam / alpha: lam = alpha * wd.

Run: python adamw_decay_under_cosine_warmup.py
"""

import math

import numpy as np
import tensorflow as tf

peak_lr, wd = 1e-3, 0.05
warmup_steps, decay_steps = 4, 16
schedule = tf.keras.optimizers.schedules.CosineDecay(
    initial_learning_rate=0.0,
    decay_steps=decay_steps,
    warmup_target=peak_lr,
    warmup_steps=warmup_steps,
)
lrs = [float(schedule(t)) for t in range(warmup_steps + decay_steps)]

# 1. The factor of each step, measured: zero gradients, so Adam's own update
# is 0 and only the decay moves the weight (reset to 1 before each step).
optimizer = tf.keras.optimizers.AdamW(learning_rate=schedule, weight_decay=wd)
w = tf.Variable([1.0])
factors = []
for _ in lrs:
    w.assign([1.0])
    optimizer.apply_gradients([(tf.zeros_like(w), w)])
    factors.append(float(w[0]))

print(f"AdamW(weight_decay={wd}), warm-up to {peak_lr} then cosine to 0")
print(f"{'step':>5} {'lr_t':>9} {'factor':>10} {'1 - lr_t * wd':>14}")
for t in (0, 2, warmup_steps, 12, len(lrs) - 1):
    print(f"{t:5d} {lrs[t]:9.2e} {factors[t]:10.7f} {1 - lrs[t] * wd:14.7f}")
kept, area = math.prod(factors), sum(lrs)
print(f"a weight with zero gradient keeps {kept:.6f} after {len(lrs)} steps")
print(f"exp(-wd * sum of lr_t) = {math.exp(-wd * area):.6f}")
print(f"timescale 1 / (peak_lr * wd) = {1 / (peak_lr * wd):.0f} steps")


# 2. The paper's update, written out in NumPy, against Keras' AdamW on a
# real gradient (loss = sum((w - target)**2) / 2, so grad = w - target).
def paper_adamw(lam, alpha, steps, w0, target, b1=0.9, b2=0.999, eps=1e-7):
    w, m, v = w0.copy(), np.zeros_like(w0), np.zeros_like(w0)
    for t in range(1, steps + 1):
        eta = lrs[t - 1] / alpha  # the schedule multiplier, in [0, 1]
        g = w - target
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        w = w - eta * (alpha * m_hat / (np.sqrt(v_hat) + eps) + lam * w)
    return w


w0, target = np.array([1.0, 1.0, 1.0]), np.array([2.0, -1.0, 0.5])
var = tf.Variable(w0, dtype=tf.float32)
keras_adamw = tf.keras.optimizers.AdamW(learning_rate=schedule, weight_decay=wd)
for _ in lrs:
    keras_adamw.apply_gradients([(var - target, var)])
keras_w = var.numpy()
paper_w = paper_adamw(peak_lr * wd, peak_lr, len(lrs), w0, target)
misread_w = paper_adamw(wd, peak_lr, len(lrs), w0, target)  # lam = wd
print("Keras AdamW weights:     ", np.round(keras_w, 6))
print("paper, lam = alpha * wd: ", np.round(paper_w, 6))
print("paper, lam = wd:         ", np.round(misread_w, 6))

# Each factor is the weight after one step from exactly 1: 1 - lr_t * wd
# rounded once to float32, by at most half a spacing below 1 (2**-25), plus
# the rounding of lr_t * wd itself (a few 1e-12): one spacing bounds both.
assert all(abs(f - (1 - lr * wd)) <= 2**-24 for f, lr in zip(factors, lrs)), (
    "decay-factor-follows-schedule: each AdamW step multiplies a weight by"
    " 1 - lr_t * weight_decay, lr_t the schedule's rate at that step"
)
assert factors[0] == 1.0 and min(factors) == factors[warmup_steps], (
    "no-decay-at-warmup-start: with a warm-up from 0, the first step decays"
    " nothing, and the decay is largest at the peak learning rate"
)
# Each float32 factor is off by at most 2**-23 relatively, so their product
# of 20 by 20 * 2**-23 (2.4e-6); exp(-x) - (1 - x) adds x**2 / 2 < 2e-9
# a step.
assert abs(kept - math.exp(-wd * area)) < 5e-6, (
    "decay-over-run-is-area: over a run, a weight with zero gradient is"
    " multiplied by exp(-weight_decay * sum of lr_t): the decay depends on"
    " the area under the schedule"
)
# 20 float32 steps of size < 1e-3 each: rounding stays below 1e-5; using
# lam = wd instead decays by up to 5 % a step and moves the weights by > 0.1.
assert np.abs(keras_w - paper_w).max() < 1e-5, (
    "keras-wd-is-paper-lam-over-alpha: Keras' AdamW(lr_t = alpha * eta_t,"
    " weight_decay=wd) takes the paper's steps with lam = alpha * wd"
)
assert np.abs(keras_w - misread_w).max() > 0.1, (
    "paper-lam-is-not-keras-wd: the paper's update with lam = wd is far from"
    " Keras' AdamW(weight_decay=wd)"
)
