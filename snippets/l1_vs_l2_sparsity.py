"""L1 against L2: the update each adds, and which weights each leaves at 0.

l2(wd) adds 2 * wd * w to a weight's gradient, in proportion to the weight:
small weights are hardly pulled. l1(wd) adds wd * sign(w), the same pull
for every nonzero weight, small ones included, so weights the data do not
need are driven to zero (with plain SGD they hover within about lr * wd of
it rather than land on exactly 0). Here 5 of 200 inputs matter.

Run: python l1_vs_l2_sparsity.py
"""

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
n, d, relevant = 50, 200, 5
true_w = np.zeros((d, 1), np.float32)
true_w[:relevant] = 1.0
X = np.random.default_rng(0).normal(size=(n, d)).astype(np.float32)
y = X @ true_w


def train(regularizer, steps=2000, lr=0.05):
    net = tf.keras.Sequential(
        [tf.keras.layers.Dense(1, kernel_regularizer=regularizer)]
    )
    net.build((None, d))
    optimizer = tf.keras.optimizers.SGD(learning_rate=lr)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            mse = tf.reduce_mean((net(X) - y) ** 2)
            loss = mse + tf.add_n(net.losses)
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply_gradients(zip(grads, net.trainable_variables))

    for _ in range(steps):
        step()
    return net.layers[0].kernel.numpy()[:, 0]


# The extra gradient of each penalty, at w = (-2, -0.5, 0.5, 2):
w = tf.Variable([-2.0, -0.5, 0.5, 2.0])
added = {}
for name in ("l2", "l1"):
    with tf.GradientTape() as tape:
        penalty = getattr(tf.keras.regularizers, name)(0.1)(w)
    added[name] = tape.gradient(penalty, w).numpy()
    print(f"{name}(0.1) adds to the gradient at {w.numpy()}: {added[name]}")

w_l1 = train(tf.keras.regularizers.l1(0.01))
w_l2 = train(tf.keras.regularizers.l2(0.01))
for name, w_end in [("l1(0.01)", w_l1), ("l2(0.01)", w_l2)]:
    others = np.abs(w_end[relevant:])
    print(f"{name}: the 5 weights that matter {np.round(w_end[:relevant], 2)}")
    print(
        f"  the other 195: {np.mean(others < 1e-3):.0%} within 1e-3 of 0,"
        f" largest {others.max():.2f}"
    )

assert np.allclose(added["l1"], 0.1 * np.sign(w.numpy())) and np.allclose(
    added["l2"], 2 * 0.1 * w.numpy()
), (
    "l1-gradient-is-sign: l1(wd) adds wd * sign(w) to the gradient, the same"
    " size for every nonzero weight; l2(wd) adds 2 * wd * w"
)
small_l1 = np.sum(np.abs(w_l1[relevant:]) < 1e-3)
small_l2 = np.sum(np.abs(w_l2[relevant:]) < 1e-3)
# Within 1e-3 = 2 * lr * wd: an SGD step on l1 moves a weight by lr * wd
# (5e-4) toward zero and can overshoot it by as much.
assert small_l1 > 100 and small_l2 < 20, (
    "l1-zeroes-unneeded-weights: with 5 of 200 inputs relevant, after 2000"
    " SGD steps l1(0.01) leaves over half of the other 195 weights within"
    " 1e-3 of zero; l2(0.01) fewer than 20"
)
