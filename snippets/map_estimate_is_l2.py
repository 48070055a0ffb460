"""The L2 penalty as a Gaussian prior: the most probable weights under a
prior N(0, s_p**2) and Gaussian noise N(0, s**2) are the weights that
minimize Keras' mean squared error plus l2(wd), with wd = s**2 / (n * s_p**2).

The negative log posterior is, up to constants,
sum((y - Xw)**2) / (2 s**2) + sum(w**2) / (2 s_p**2); dividing by n / s**2
gives mean((y - Xw)**2) / 2 + s**2 / (2 n s_p**2) * sum(w**2). Keras' mean
squared error has no 1/2, so both terms double: MSE + wd * sum(w**2) with
wd = s**2 / (n s_p**2). For a linear model the most probable weights have a
closed form; the program checks that Keras' gradient vanishes there.

Run: python map_estimate_is_l2.py
"""

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
n, d, noise_sd, prior_sd = 20, 5, 0.5, 0.3
X = rng.normal(size=(n, d))
y = X @ rng.normal(scale=prior_sd, size=d) + rng.normal(scale=noise_sd, size=n)

# The posterior of Bayesian linear regression is Gaussian; its mode (and
# mean): (X^T X / s**2 + I / s_p**2)^-1 X^T y / s**2.
precision = X.T @ X / noise_sd**2 + np.eye(d) / prior_sd**2
w_map = np.linalg.solve(precision, X.T @ y / noise_sd**2)
w_least_squares = np.linalg.lstsq(X, y, rcond=None)[0]
wd = noise_sd**2 / (n * prior_sd**2)

net = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(
            1,
            use_bias=False,
            kernel_regularizer=tf.keras.regularizers.l2(wd),
        )
    ]
)
net.build((None, d))


def gradient_norm_at(w):
    net.layers[0].kernel.assign(w.reshape(d, 1).astype("float32"))
    with tf.GradientTape() as tape:
        mse = tf.reduce_mean((net(X.astype("float32"))[:, 0] - y) ** 2)
        loss = mse + tf.add_n(net.losses)
    return float(tf.norm(tape.gradient(loss, net.layers[0].kernel)))


at_map = gradient_norm_at(w_map)
at_least_squares = gradient_norm_at(w_least_squares)
print(f"wd = s**2 / (n * s_p**2) = {wd:.4f}")
print("most probable weights:", np.round(w_map, 4))
print("least squares weights:", np.round(w_least_squares, 4))
print(
    f"|gradient| of MSE + l2(wd): {at_map:.1e} at the most probable,"
    f" {at_least_squares:.3f} at least squares"
)

# Float32 gradients of terms of order 1: rounding leaves about 1e-6.
assert at_map < 1e-5 and at_least_squares > 1e-2, (
    "l2-is-gaussian-prior: MSE + l2(s**2 / (n * s_p**2)) is stationary at"
    " the most probable weights under a N(0, s_p**2) prior, not at least"
    " squares"
)
