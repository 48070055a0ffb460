# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Choosing wd
#
# Too little weight decay and the model overfits the 20 training examples; too much and it
# underfits. This page sweeps `l2(wd)` over a logarithmic grid on the chapter's synthetic data
# (generated here with a fixed seed; nothing is downloaded) and plots the final validation loss
# and the norm of the weights against `wd`. As the book says, $\lambda$ is chosen on
# **validation** data: the test set is used once, for the chosen `wd` only.
#
# Run it yourself: `python docs/experiments/choosing_wd.py`, or download it as
# [a notebook](choosing_wd.ipynb) or [a script](choosing_wd.py) and open it in Jupyter.

# %%
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()

n_train, n_test, num_inputs, batch_size = 20, 100, 200, 5
true_w, true_b = tf.ones((num_inputs, 1)) * 0.01, 0.05


def synthetic_data(num_examples):
    X = tf.random.normal((num_examples, num_inputs))
    y = (
        tf.matmul(X, true_w)
        + true_b
        + tf.random.normal((num_examples, 1), stddev=0.01)
    )
    return X, y


n_val = 100
train_data, val_data = synthetic_data(n_train), synthetic_data(n_val)
test_data = synthetic_data(n_test)
w_init = tf.random.normal((num_inputs, 1))


def train(wd, epochs=100, lr=0.003):
    """The concise model with l2(wd); returns the trained net."""
    net = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(
                1, kernel_regularizer=tf.keras.regularizers.l2(wd)
            )
        ]
    )
    net.build((None, num_inputs))
    net.set_weights([w_init.numpy(), np.zeros(1, np.float32)])
    mse, optimizer = (
        tf.keras.losses.MeanSquaredError(),
        tf.keras.optimizers.SGD(learning_rate=lr),
    )

    @tf.function
    def step(X, y):
        with tf.GradientTape() as tape:
            loss = mse(y, net(X)) + tf.add_n(net.losses)
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply_gradients(zip(grads, net.trainable_variables))

    data = (
        tf.data.Dataset.from_tensor_slices(train_data)
        .shuffle(n_train, seed=1)
        .batch(batch_size)
    )
    for _ in range(epochs):
        for X, y in data:
            step(X, y)
    return net


def mse_on(net, data):
    X, y = data
    return float(tf.reduce_mean((net(X) - y) ** 2))


grid = np.logspace(-3, 2, 11)
nets = [train(wd) for wd in grid]
val_loss = np.array([mse_on(net, val_data) for net in nets])
norm = np.array([float(tf.norm(net.layers[0].kernel)) for net in nets])
best = int(np.argmin(val_loss))  # chosen on validation data only

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6), dpi=90)
left.loglog(grid, val_loss, marker="o")
left.loglog(
    grid[best],
    val_loss[best],
    marker="*",
    markersize=16,
    color="tab:red",
    label=f"chosen: wd = {grid[best]:.3g}",
)
left.set(
    title="Final validation loss",
    xlabel="wd in l2(wd)",
    ylabel="validation MSE (log scale)",
)
left.legend()
right.loglog(grid, norm, marker="o", color="tab:green")
right.set(
    title="Final norm of the weights",
    xlabel="wd in l2(wd)",
    ylabel="‖w‖ (log scale)",
)
fig.tight_layout()
plt.show()

# %% [markdown]
# *Figure 1. Left: the validation loss falls by orders of magnitude as wd grows (less
# overfitting), reaches its minimum at the star (the chosen wd), and creeps up again beyond it
# as the penalty starts to dominate (underfitting; mild here, because the true weights are
# tiny, 0.01, so shrinking them costs little). Right: ‖w‖ shrinks steadily as wd grows.*

# %% [markdown]
# ## What the figure claims, checked

# %%
print(
    f"chosen on validation: wd = {grid[best]:.3g},"
    f" validation MSE {val_loss[best]:.4g}"
)
print(
    "validation MSE at the smallest and largest wd:"
    f" {val_loss[0]:.4g}, {val_loss[-1]:.4g}"
)
# The test set, used once, for the chosen wd only:
print(f"test MSE of the chosen wd: {mse_on(nets[best], test_data):.4g}")
# An interior optimum: overfitting on one side, underfitting on the other.
assert 0 < best < len(grid) - 1
assert val_loss[best] < val_loss[0] / 10 and val_loss[best] < val_loss[-1]
assert np.all(
    np.diff(norm) < 0
)  # more decay, smaller weights, all along the grid

# %% [markdown]
# ## The chapter's exercise 2: is the validation choice really optimal?
#
# Only to answer the exercise, the test loss of *every* `wd` on the grid (choosing `wd` this
# way would leak the test set into the choice):

# %%
test_loss = np.array([mse_on(net, test_data) for net in nets])
best_on_test = int(np.argmin(test_loss))
print(
    f"best on validation: wd = {grid[best]:.3g};"
    f" best on test: wd = {grid[best_on_test]:.3g}"
)
print(
    f"test MSE at the validation choice: {test_loss[best]:.4g},"
    f" at the test optimum: {test_loss[best_on_test]:.4g}"
    f" ({test_loss[best] / test_loss[best_on_test]:.2f}x)"
)
# A constant prediction (the training labels' mean), for scale:
y_train, y_test = train_data[1], test_data[1]
constant = float(tf.reduce_mean((y_test - tf.reduce_mean(y_train)) ** 2))
print(f"test MSE of predicting the training mean: {constant:.4g}")
# The assertion allows a neighbouring grid point and a factor of 2:
# 100 validation examples are a sample, and another draw could choose
# a neighbour.
assert (
    abs(best - best_on_test) <= 1
    and test_loss[best] < 2 * test_loss[best_on_test]
)
assert constant / 2 < test_loss[best] < 2 * constant

# %% [markdown]
# *On this data the `wd` chosen on validation data is the best one for the test set too (the
# printout above). It need not be: a validation set is a sample, and where the validation
# curve is nearly flat (here, at the largest `wd`s) another draw could choose a neighbour.
# What matters is that the choice never saw the test set, so the test loss reported for it
# is an honest estimate. (The true weights are tiny, 0.01 each: the chosen model's test MSE
# is within a factor of 2 of predicting the training labels' mean, printed above, so heavily
# decayed models all do well on this data.)*
