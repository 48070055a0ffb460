"""One Keras 3 training step on JAX, checked against the float64 reference.

Run as a program (Keras' backend is chosen when Keras is first imported, so
this cannot share a process with the TensorFlow tests):

    python -m tests.programs.jax_step_check           # the property: exit 0
    python -m tests.programs.jax_step_check --broken  # penalty read outside: fails

The step is the one of snippets/jax_penalty_from_stateless_call_fixed.py:
`stateless_call(..., return_losses=True)`, `jax.grad`, SGD's
`stateless_apply`. Property: the new kernel equals (1 - 2 lr wd) W - lr dL/dW
within `update_tolerance`, the same reference and the same float32 bound the
TensorFlow custom-loop step meets in property 5 of the checks package
(`test_sgd_step_with_l2_decays_the_weights`). So the JAX step and the
TensorFlow step from the same weights and batch differ by at most twice that
bound.
"""

from __future__ import annotations

import os
import sys

os.environ["KERAS_BACKEND"] = "jax"  # before anything imports Keras

import jax
import jax.numpy as jnp
import keras
import numpy as np
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from weight_decay_checks.bounds import f64, update_tolerance
from weight_decay_checks.settings import configured, current
from weight_decay_checks.strategies import learning_rates, regression_batches

BROKEN = "--broken" in sys.argv


def jax_step(w, x, y, lr, wd):
    """(new kernel, data-loss gradient) of one SGD step on JAX, in float64."""
    layer = keras.layers.Dense(w.shape[1], kernel_regularizer=keras.regularizers.l2(wd))
    model = keras.Sequential([layer])
    model.build((None, w.shape[0]))
    layer.kernel.assign(w)
    layer.bias.assign(np.zeros(w.shape[1], np.float32))
    optimizer = keras.optimizers.SGD(learning_rate=lr)
    optimizer.build(model.trainable_variables)

    def data_loss(trainable, x, y):
        y_pred, _ = model.stateless_call(trainable, [], x)
        return jnp.mean((y_pred - y) ** 2)

    def loss(trainable, x, y):
        y_pred, _, losses = model.stateless_call(trainable, [], x, return_losses=True)
        penalty = sum(model.losses) if BROKEN else sum(losses)
        return jnp.mean((y_pred - y) ** 2) + penalty

    trainable = [v.value for v in model.trainable_variables]
    grads = jax.grad(loss)(trainable, x, y)
    new, _ = optimizer.stateless_apply([v.value for v in optimizer.variables], grads, trainable)
    grad_data = jax.grad(data_loss)(trainable, x, y)[0]
    return f64(new[0]), f64(grad_data)


def check_jax_step(batch, lr, wd):
    w, x, y = batch
    new, grad = jax_step(w, x, y, lr, wd)
    expected = (1 - 2 * lr * wd) * f64(w) - lr * grad
    assert np.all(np.abs(new - expected) <= update_tolerance(f64(w), grad, lr, wd))


if __name__ == "__main__":
    assert keras.backend.backend() == "jax"
    # JAX compiles the step once per shape (about 0.5 s each): the shapes come from a set with
    # the edges in it (a 1x1 kernel, a batch of one), the values are drawn as for property 5.
    shapes = [(1, 1, 1), (1, 1, 8), (3, 2, 4), (6, 6, 1), (6, 6, 8), (2, 5, 3)]
    drawn = given(batch=regression_batches(shapes), lr=learning_rates, wd=st.floats(0.01, 1.0))
    if BROKEN:  # failing on purpose: the first failure is enough, no shrinking
        settings(current(), phases=[Phase.explicit, Phase.generate])(drawn(check_jax_step))()
    else:
        configured(drawn(check_jax_step))()
    print(f"jax step: ok ({jax.__version__}, Keras {keras.__version__})")
