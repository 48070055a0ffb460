"""Pitfall: Keras 3 on JAX, `model.losses` in a stateless training step.

A JAX training step differentiates a pure function of the weights it is
given. `model.losses` is computed from the model's own variables, not from
those weights: to `jax.grad` it is a constant, and the penalty adds no
gradient (the "outside the tape" pitfall again, in another form).

Run: python jax_penalty_outside_stateless_call_broken.py
"""

import os

os.environ["KERAS_BACKEND"] = "jax"  # before Keras is imported

import jax
import jax.numpy as jnp
import keras
import numpy as np

model = keras.Sequential(
    [
        keras.layers.Dense(
            1,
            use_bias=False,
            kernel_initializer="ones",
            kernel_regularizer=keras.regularizers.l2(0.1),
        )
    ]
)
model.build((None, 2))
x, y = np.zeros((4, 2), "float32"), np.zeros((4, 1), "float32")


def loss_fn(trainable, non_trainable, x, y):
    y_pred, non_trainable = model.stateless_call(trainable, non_trainable, x)
    penalty = sum(model.losses)  # broken: not a function of `trainable`
    return jnp.mean((y - y_pred) ** 2) + penalty


trainable = [v.value for v in model.trainable_variables]
non_trainable = [v.value for v in model.non_trainable_variables]
(grad,) = jax.grad(loss_fn)(trainable, non_trainable, x, y)
print(f"penalty value: {float(sum(model.losses)):.4f}")
print("kernel gradient:", [f"{g:.4f}" for g in np.asarray(grad).ravel()])

assert float(sum(model.losses)) > 0 and not np.any(grad), (
    "jax-losses-constant: model.losses adds 0.2 to the loss but nothing to"
    " the gradient: the data gradient is zero, and so is the whole gradient"
)
