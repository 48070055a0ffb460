"""PyTorch's `weight_decay=`, run: coupled L2 in `SGD` and in `Adam` (by
default), decoupled in `AdamW` and in `Adam(decoupled_weight_decay=True)`.

Coupled: `weight_decay=lam` adds lam * w to the gradient, exactly what a
penalty lam / 2 * sum(w**2) in the loss adds; Adam then rescales it with the
rest of the gradient. Decoupled: the weights are multiplied by 1 - lr * lam
outside the gradient. Each pair below trains the same weights for 5 steps on
the same batches, once each way.

Run: python pytorch_weight_decay_conventions.py
"""

import inspect

import torch

torch.manual_seed(0)
lam, lr, steps = 0.1, 0.01, 5
X, Y = torch.randn(steps, 8, 3), torch.randn(steps, 8)
W0 = torch.randn(3)


def train(optimizer_class, penalty=0.0, **kwargs):
    """`steps` steps of mean squared error (+ penalty / 2 * sum(w**2))."""
    w = W0.clone().requires_grad_()
    optimizer = optimizer_class([w], lr=lr, **kwargs)
    for x, y in zip(X, Y):
        loss = ((x @ w - y) ** 2).mean() + penalty / 2 * (w**2).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return w.detach()


def gap(a, b):
    return float((a - b).abs().max())


optim = torch.optim
sgd = gap(train(optim.SGD, weight_decay=lam), train(optim.SGD, penalty=lam))
adam = gap(train(optim.Adam, weight_decay=lam), train(optim.Adam, penalty=lam))
adamw = train(optim.AdamW, weight_decay=lam)
decoupled = gap(
    train(optim.Adam, weight_decay=lam, decoupled_weight_decay=True), adamw
)
coupled_vs_adamw = gap(train(optim.Adam, weight_decay=lam), adamw)
defaults = {
    name: inspect.signature(cls).parameters["weight_decay"].default
    for name, cls in [
        ("SGD", optim.SGD),
        ("Adam", optim.Adam),
        ("AdamW", optim.AdamW),
    ]
}
print(f"torch {torch.__version__.split('+')[0]}, {steps} steps, lam = {lam}")
print(f"SGD(weight_decay=lam) vs penalty lam/2:   same: {sgd < 1e-6}")
print(f"Adam(weight_decay=lam) vs penalty lam/2:  same: {adam < 1e-6}")
print(f"Adam(decoupled_weight_decay=True) vs AdamW: same: {decoupled < 1e-6}")
print(f"Adam(weight_decay=lam) vs AdamW:  differ by {coupled_vs_adamw:.4f}")
print(f"default weight_decay: {defaults}")
adamw_eps = inspect.signature(optim.AdamW).parameters["eps"].default
print(f"AdamW's default eps: {adamw_eps}")

# Order-1 float32 values, 5 steps: the roundings of two orders of the same
# operations stay far below 1e-6.
assert sgd < 1e-6, (
    "torch-sgd-coupled: torch.optim.SGD(weight_decay=lam) takes the steps of"
    " a penalty lam / 2 * sum(w**2) in the loss"
)
assert adam < 1e-6, (
    "torch-adam-coupled: torch.optim.Adam(weight_decay=lam), by default,"
    " takes the steps of the penalty lam / 2 * sum(w**2): coupled L2"
)
# A real difference in the update is orders of magnitude above rounding: one
# step of lr * lam * w more or less changes a weight of size 1 by about 1e-3.
assert decoupled < 1e-6 and coupled_vs_adamw > 1e-3, (
    "torch-adam-decoupled-flag: Adam(weight_decay=lam,"
    " decoupled_weight_decay=True) takes AdamW's steps; the default Adam"
    " does not"
)
assert defaults == {"SGD": 0, "Adam": 0, "AdamW": 0.01}, (
    "torch-defaults: PyTorch's SGD and Adam do not decay by default; AdamW"
    " decays by 0.01"
)
assert adamw_eps == 1e-8, (
    "torch-adamw-eps: PyTorch's AdamW defaults to eps=1e-8"
)
