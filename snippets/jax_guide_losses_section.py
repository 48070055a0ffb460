"""The last section of Keras' guide "Writing a training loop from scratch in
JAX" ("Low-level handling of losses tracked by the model"), run.

The section does take the penalties from
`model.stateless_call(..., return_losses=True)` and adds their sum to the
loss, but its code does not run as written, for two reasons, each a
TypeError under JAX 0.10: `jax.numpy.sum(losses)` is given a Python list
(JAX's reductions take arrays only), and the new `compute_loss_and_updates`
returns three values, `loss, non_trainable_variables, metric_variables`,
where the guide's `train_step` differentiates it with
`jax.value_and_grad(..., has_aux=True)`, which needs a pair `(loss, aux)`.
With the losses stacked and the pair returned, as the guide's earlier
version does, it trains, with the penalty in the gradient.

The guide's code, on a smaller model and synthetic data (the guide uses
MNIST): github.com/keras-team/keras-io, guides/
writing_a_custom_training_loop_in_jax.py.

Run: python jax_guide_losses_section.py
"""

import os

os.environ["KERAS_BACKEND"] = "jax"  # before Keras is imported

import jax
import keras
import numpy as np


class ActivityRegularizationLayer(keras.layers.Layer):  # the guide's layer
    def call(self, inputs):
        self.add_loss(1e-2 * jax.numpy.sum(inputs))
        return inputs


keras.utils.set_random_seed(0)
inputs = keras.Input(shape=(8,), name="digits")
x = keras.layers.Dense(4, activation="relu")(inputs)
x = ActivityRegularizationLayer()(x)
x = keras.layers.Dense(4, activation="relu")(x)
outputs = keras.layers.Dense(3, name="predictions")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True)
optimizer = keras.optimizers.Adam(learning_rate=1e-3)
train_acc_metric = keras.metrics.CategoricalAccuracy()


def compute_loss_and_updates(  # the guide's last version, as written...
    trainable_variables,
    non_trainable_variables,
    metric_variables,
    x,
    y,
    sum_losses=jax.numpy.sum,  # ...but for this argument
):
    y_pred, non_trainable_variables, losses = model.stateless_call(
        trainable_variables, non_trainable_variables, x, return_losses=True
    )
    loss = loss_fn(y, y_pred)
    if losses:
        loss += sum_losses(losses)
    metric_variables = train_acc_metric.stateless_update_state(
        metric_variables, y, y_pred
    )
    return loss, non_trainable_variables, metric_variables


def stacked(losses):  # a list of scalars, made an array before summing
    return jax.numpy.sum(jax.numpy.stack(losses))


def losses_stacked(*args):
    return compute_loss_and_updates(*args, sum_losses=stacked)


def losses_stacked_pair_returned(*args):
    loss, non_trainable_variables, metric_variables = losses_stacked(*args)
    return loss, (non_trainable_variables, metric_variables)  # a pair


def make_train_step(compute):  # the guide's train_step, for either version
    grad_fn = jax.value_and_grad(compute, has_aux=True)

    @jax.jit
    def train_step(state, data):
        trainable, non_trainable, optimizer_vars, metric_vars = state
        x, y = data
        (loss, (non_trainable, metric_vars)), grads = grad_fn(
            trainable, non_trainable, metric_vars, x, y
        )
        trainable, optimizer_vars = optimizer.stateless_apply(
            optimizer_vars, grads, trainable
        )
        return loss, (trainable, non_trainable, optimizer_vars, metric_vars)

    return train_step


optimizer.build(model.trainable_variables)
state = (
    [v.value for v in model.trainable_variables],
    [v.value for v in model.non_trainable_variables],
    [v.value for v in optimizer.variables],
    [v.value for v in train_acc_metric.variables],
)
rng = np.random.default_rng(0)
data = (
    rng.normal(size=(16, 8)).astype("float32"),
    np.eye(3, dtype="float32")[rng.integers(0, 3, 16)],
)


def outcome(compute):
    """One step of the guide's train_step with this compute function."""
    try:
        loss, _ = make_train_step(compute)(state, data)
    except TypeError as error:
        return f"TypeError: {str(error)[:48]}..."
    return f"trains, loss {float(loss):.4f}"


as_written = outcome(compute_loss_and_updates)
three_values = outcome(losses_stacked)
fixed = outcome(losses_stacked_pair_returned)
print("as written:", as_written)
print("losses stacked:", three_values)
print("and a pair returned:", fixed)

# The penalty's share of the gradient: with and without return_losses.
trainable, non_trainable = state[0], state[1]


def total_loss(trainable, with_penalty):
    y_pred, _, losses = model.stateless_call(
        trainable, non_trainable, data[0], return_losses=True
    )
    penalty = jax.numpy.sum(jax.numpy.array(losses))
    return loss_fn(data[1], y_pred) + (penalty if with_penalty else 0.0)


with_penalty = jax.grad(total_loss)(trainable, True)
without = jax.grad(total_loss)(trainable, False)
gap = max(float(abs(a - b).max()) for a, b in zip(with_penalty, without))
print(f"gradient changed by the penalty: {gap > 0}")

assert as_written.startswith("TypeError: sum requires ndarray"), (
    "jax-guide-sum-of-list-raises: as written, the guide's"
    " `jax.numpy.sum(losses)` is given a list and raises TypeError"
)
assert three_values.startswith("TypeError: expected function with aux"), (
    "jax-guide-three-values-raise: with the losses stacked, the guide's"
    " function still returns three values, and value_and_grad with"
    " has_aux=True raises TypeError: it needs a pair"
)
assert fixed.startswith("trains") and gap > 0, (
    "jax-guide-pair-trains: with the losses stacked and (loss, aux)"
    " returned, the guide's loss trains, and the penalty from"
    " return_losses=True changes the gradient"
)
