"""PyTorch optimizers and the Keras lines that take the same steps, run side
by side for 10 steps on the same batches from the same weights.

- torch Adam(weight_decay=lam) is coupled L2: in Keras, plain Adam and a
  penalty lam / 2 * sum(w**2) added to the loss in the tape. Keras'
  Adam(weight_decay=lam) is decoupled: a different optimizer.
- torch AdamW(weight_decay=lam) is Keras AdamW(weight_decay=lam), with the
  same eps (PyTorch 1e-8, Keras 1e-7 by default) and the same schedule.

Run: python port_from_pytorch_step_for_step.py
"""

import math

import numpy as np
import tensorflow as tf
import torch

lam, lr, steps, eps = 0.1, 0.01, 10, 1e-8
rng = np.random.default_rng(0)
X = rng.normal(size=(steps, 8, 3)).astype("float32")
Y = rng.normal(size=(steps, 8)).astype("float32")
W0 = rng.normal(size=3).astype("float32")


def peak_fraction(t):  # warm-up over 3 steps, then cosine to 0 over 7
    if t < 3:
        return t / 3
    return 0.5 * (1 + math.cos(math.pi * min(t - 3, 7) / 7))


def torch_run(optimizer_class, scheduled=False, **kwargs):
    w = torch.tensor(W0, requires_grad=True)
    optimizer = optimizer_class([w], lr=lr, eps=eps, **kwargs)
    if scheduled:  # LambdaLR sets the rate of step 0 when it is made
        schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, peak_fraction)
    for x, y in zip(torch.tensor(X), torch.tensor(Y)):
        loss = ((x @ w - y) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if scheduled:
            schedule.step()
    return w.detach().numpy()


def keras_run(optimizer, penalty=0.0):
    w = tf.Variable(W0)
    for x, y in zip(X, Y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((tf.linalg.matvec(x, w) - y) ** 2)
            loss += penalty / 2 * tf.reduce_sum(w**2)
        optimizer.apply_gradients([(tape.gradient(loss, w), w)])
    return w.numpy()


class WarmupCosine(tf.keras.optimizers.schedules.LearningRateSchedule):
    """The same schedule as peak_fraction, as a Keras schedule."""

    def __call__(self, step):
        t = tf.cast(step, tf.float32)
        cosine = 0.5 * (1 + tf.cos(math.pi * tf.minimum(t - 3, 7) / 7))
        return lr * tf.where(t < 3, t / 3, cosine)


keras = tf.keras.optimizers
runs = {
    "Adam(wd=lam) | Adam + penalty lam/2": (
        torch_run(torch.optim.Adam, weight_decay=lam),
        keras_run(keras.Adam(lr, epsilon=eps), penalty=lam),
    ),
    "Adam(wd=lam) | Adam(weight_decay=lam)": (
        torch_run(torch.optim.Adam, weight_decay=lam),
        keras_run(keras.Adam(lr, epsilon=eps, weight_decay=lam)),
    ),
    "AdamW(wd=lam) | AdamW(weight_decay=lam)": (
        torch_run(torch.optim.AdamW, weight_decay=lam),
        keras_run(keras.AdamW(lr, weight_decay=lam, epsilon=eps)),
    ),
    "AdamW + warm-up cosine, both": (
        torch_run(torch.optim.AdamW, scheduled=True, weight_decay=lam),
        keras_run(keras.AdamW(WarmupCosine(), weight_decay=lam, epsilon=eps)),
    ),
}
print(f"{'torch | Keras':40} largest gap after {steps} steps")
gaps = {}
for name, (torch_w, keras_w) in runs.items():
    gaps[name] = float(np.abs(torch_w - keras_w).max())
    print(f"{name:40} {gaps[name]:.1e}")

# Weights of order 1, 10 float32 steps of size <= lr: the two libraries'
# different orders of the same operations stay below 1e-5 (eps placement
# inside or outside Adam's bias correction moves a step by < eps/sqrt(v)).
# A real difference in the update moves weights by ~lr * lam * steps = 1e-2.
same, different = 1e-5, 1e-3
assert gaps["Adam(wd=lam) | Adam + penalty lam/2"] < same, (
    "torch-adam-is-keras-adam-plus-penalty: torch Adam(weight_decay=lam)"
    " takes the steps of Keras Adam with lam / 2 * sum(w**2) in the loss"
)
assert gaps["Adam(wd=lam) | Adam(weight_decay=lam)"] > different, (
    "torch-adam-is-not-keras-adam-wd: torch Adam(weight_decay=lam) and Keras"
    " Adam(weight_decay=lam) train different weights"
)
assert gaps["AdamW(wd=lam) | AdamW(weight_decay=lam)"] < same, (
    "torch-adamw-is-keras-adamw: torch AdamW(weight_decay=lam, eps=1e-8)"
    " takes the steps of Keras AdamW(weight_decay=lam, epsilon=1e-8)"
)
assert gaps["AdamW + warm-up cosine, both"] < same, (
    "scheduled-adamw-same-steps: under the same warm-up + cosine schedule,"
    " both multiply the decay by the scheduled learning rate"
)
