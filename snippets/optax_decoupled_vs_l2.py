"""Optax's two kinds of weight decay, run: `adamw` (decoupled) and
`add_decayed_weights` before `adam` (coupled L2, rescaled by Adam).

With a zero data gradient, one step of `optax.adamw` multiplies each weight
by 1 - lr * wd; decay added to the gradient before Adam is divided by its own
magnitude, so every weight moves by about lr, whatever its size.

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

default = inspect.signature(optax.adamw).parameters["weight_decay"].default
print("weights before:            ", [f"{v:.4f}" for v in np.asarray(w)])
print("adamw:                     ", [f"{v:.4f}" for v in w_decoupled])
print("add_decayed_weights + adam:", [f"{v:.4f}" for v in w_coupled])
print("adamw's default weight_decay:", default)

assert np.allclose(w_decoupled, np.asarray(w) * (1 - lr * wd), rtol=1e-6), (
    "optax-adamw-decoupled: one adamw step with zero gradient multiplies"
    " each weight by 1 - lr * wd"
)
assert np.allclose(np.abs(np.asarray(w) - w_coupled), lr, rtol=1e-3), (
    "optax-chain-coupled: decay added before adam moves every weight by"
    " about lr, whatever its size: Adam rescales it"
)
assert default == 1e-4, "optax-adamw-default: optax.adamw decays by 1e-4"
