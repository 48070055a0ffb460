"""Fixed: a complete Keras 3 training loop on JAX, penalty included.

`model.stateless_call(..., return_losses=True)` returns the penalties
computed from the weights it was given, as Keras' own JAX trainer uses them;
their gradient is 2 * wd * w. This is the loop of Keras' guide "Writing a
training loop from scratch in JAX", with the penalties in.

Run: python jax_penalty_from_stateless_call_fixed.py
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
optimizer = keras.optimizers.SGD(learning_rate=0.1)
optimizer.build(model.trainable_variables)
x, y = np.zeros((4, 2), "float32"), np.zeros((4, 1), "float32")


def loss_fn(trainable, non_trainable, x, y):
    y_pred, non_trainable, losses = model.stateless_call(
        trainable, non_trainable, x, return_losses=True
    )
    return jnp.mean((y - y_pred) ** 2) + sum(losses), non_trainable


@jax.jit
def train_step(state, x, y):
    trainable, non_trainable, optimizer_variables = state
    grad_fn = jax.value_and_grad(loss_fn, has_aux=True)
    (loss, non_trainable), grads = grad_fn(trainable, non_trainable, x, y)
    trainable, optimizer_variables = optimizer.stateless_apply(
        optimizer_variables, grads, trainable
    )
    return loss, (trainable, non_trainable, optimizer_variables)


state = (
    [v.value for v in model.trainable_variables],
    [v.value for v in model.non_trainable_variables],
    [v.value for v in optimizer.variables],
)
loss, state = train_step(state, x, y)
for variable, value in zip(model.trainable_variables, state[0]):
    variable.assign(value)  # write the new weights back into the model
kernel = float(model.layers[0].kernel[0, 0])
print(f"loss {float(loss):.4f}, kernel after one step {kernel:.4f}")

assert abs(float(loss) - 0.2) < 1e-6 and abs(kernel - 0.98) < 1e-6, (
    "jax-losses-from-stateless-call: the loss holds the penalty 0.2 and one"
    " step decays the kernel to 1 - 0.1 * 2 * 0.1 = 0.98"
)
