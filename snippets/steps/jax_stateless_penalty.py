"""Keras 3 on JAX: a stateless training step, the penalty in or out of it.

The step of Keras' guide "Writing a training loop from scratch in JAX"
(https://keras.io/guides/writing_a_custom_training_loop_in_jax/), with its
`return_losses` section: `stateless_call(..., return_losses=True)` returns
the penalties computed from the weights the step differentiates.
`sum(model.losses)` is computed from the model's own variables: to
`jax.grad` a constant (jax_penalty_outside_stateless_call_broken.py).

Check it:
  KERAS_BACKEND=jax python -m weight_decay_checks check \
    jax_stateless_penalty.py:broken
"""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")  # before Keras is imported

import jax
import keras
import numpy as np

EXPECTED = {"broken": ["penalty_missing"], "fixed": ["penalty_once"]}


def make(return_losses):
    l2 = keras.regularizers.l2(0.01)
    model = keras.Sequential(
        [
            keras.layers.Dense(8, activation="relu", kernel_regularizer=l2),
            keras.layers.Dense(1, kernel_regularizer=l2),
        ]
    )
    model.build((None, 3))
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    optimizer.build(model.trainable_variables)
    mse = keras.losses.MeanSquaredError()

    def compute_loss(trainable, non_trainable, x, y):
        if return_losses:  # fixed: the penalties of `trainable`
            y_pred, non_trainable, losses = model.stateless_call(
                trainable, non_trainable, x, training=True, return_losses=True
            )
            return mse(y, y_pred) + sum(losses), non_trainable
        y_pred, non_trainable = model.stateless_call(
            trainable, non_trainable, x, training=True
        )
        return mse(y, y_pred) + sum(model.losses), non_trainable  # broken

    grad_fn = jax.value_and_grad(compute_loss, has_aux=True)

    @jax.jit
    def train_step(state, data):
        trainable, non_trainable, optimizer_vars = state
        (loss, non_trainable), grads = grad_fn(trainable, non_trainable, *data)
        trainable, optimizer_vars = optimizer.stateless_apply(
            optimizer_vars, grads, trainable
        )
        return loss, (trainable, non_trainable, optimizer_vars)

    def step(batch):  # one step from the model's state, written back to it
        owners = (
            model.trainable_variables,
            model.non_trainable_variables,
            optimizer.variables,
        )
        state = tuple([v.value for v in vs] for vs in owners)
        _, state = train_step(state, batch)
        for vs, values in zip(owners, state, strict=True):
            for v, value in zip(vs, values, strict=True):
                v.assign(value)

    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 3)).astype("float32")
    y = rng.normal(size=(8, 1)).astype("float32")
    return model, step, (x, y)


def broken():
    return make(return_losses=False)


def fixed():
    return make(return_losses=True)
