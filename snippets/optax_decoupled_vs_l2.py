"""Optax's two kinds of weight decay, run: `adamw` (decoupled) and
`add_decayed_weights` before `adam` (coupled L2, rescaled by Adam).

With a zero data gradient, one step of `optax.adamw` multiplies each weight
by 1 - lr * wd; decay added to the gradient before Adam is divided by its own
magnitude, so every weight moves by about lr, whatever its size. Decoupled
decay by hand goes between Adam's scaling and the learning rate:
`chain(scale_by_adam(), add_decayed_weights(wd), scale(-lr))`. Put after the
whole `adam(lr)` (which already multiplies by -lr), `add_decayed_weights`
adds +wd * w to the update: the weights grow.

Run: python optax_decoupled_vs_l2.py
"""

import inspect

import jax.numpy as jnp
import numpy as np
import optax

lr, wd = 0.01, 0.1
w = jnp.array([0.5, 2.0, -4.0])
zero = jnp.zeros_like(w)

decoupled = optax.adamw(learning_rate=lr, weight_decay=wd)
updates, _ = decoupled.update(zero, decoupled.init(w), w)
w_decoupled = np.asarray(optax.apply_updates(w, updates))

coupled = optax.chain(optax.add_decayed_weights(wd), optax.adam(lr))
updates, _ = coupled.update(zero, coupled.init(w), w)
w_coupled = np.asarray(optax.apply_updates(w, updates))

by_hand = optax.chain(
    optax.scale_by_adam(), optax.add_decayed_weights(wd), optax.scale(-lr)
)
updates, _ = by_hand.update(zero, by_hand.init(w), w)
w_by_hand = np.asarray(optax.apply_updates(w, updates))

after_adam = optax.chain(optax.adam(lr), optax.add_decayed_weights(wd))
updates, _ = after_adam.update(zero, after_adam.init(w), w)
w_after_adam = np.asarray(optax.apply_updates(w, updates))

# With a schedule, the decay follows it: step t multiplies by 1 - lr_t * wd.
schedule = optax.warmup_cosine_decay_schedule(0.0, lr, 2, 6)
scheduled = optax.adamw(learning_rate=schedule, weight_decay=wd)
state, factors = scheduled.init(w), []
for _ in range(6):
    updates, state = scheduled.update(zero, state, w)
    factors.append(float(optax.apply_updates(w, updates)[0] / w[0]))
expected = [1 - float(schedule(t)) * wd for t in range(6)]

default = inspect.signature(optax.adamw).parameters["weight_decay"].default
print("weights before:            ", [f"{v:.4f}" for v in np.asarray(w)])
print("adamw:                     ", [f"{v:.4f}" for v in w_decoupled])
print("add_decayed_weights + adam:", [f"{v:.4f}" for v in w_coupled])
print("scale_by_adam, decay, -lr: ", [f"{v:.4f}" for v in w_by_hand])
print("adam, then decay:          ", [f"{v:.4f}" for v in w_after_adam])
print("adamw's default weight_decay:", default)
print("adamw with a schedule, per step:", " ".join(f"{f:.5f}" for f in factors))

assert np.allclose(w_decoupled, np.asarray(w) * (1 - lr * wd), rtol=1e-6), (
    "optax-adamw-decoupled: one adamw step with zero gradient multiplies"
    " each weight by 1 - lr * wd"
)
assert np.allclose(np.abs(np.asarray(w) - w_coupled), lr, rtol=1e-3), (
    "optax-chain-coupled: decay added before adam moves every weight by"
    " about lr, whatever its size: Adam rescales it"
)
assert np.allclose(w_by_hand, w_decoupled, rtol=1e-6), (
    "optax-chain-decoupled: chain(scale_by_adam(), add_decayed_weights(wd),"
    " scale(-lr)) takes adamw's step"
)
assert np.allclose(w_after_adam, np.asarray(w) * (1 + wd), rtol=1e-6), (
    "optax-decay-after-adam-grows: chain(adam(lr), add_decayed_weights(wd))"
    " multiplies each weight by 1 + wd: the weights grow"
)
assert np.allclose(factors, expected, rtol=1e-6), (
    "optax-adamw-follows-schedule: with a warm-up cosine schedule, adamw's"
    " step t multiplies each weight by 1 - lr_t * wd"
)
assert default == 1e-4, "optax-adamw-default: optax.adamw decays by 1e-4"
