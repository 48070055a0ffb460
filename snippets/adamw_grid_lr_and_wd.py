"""A grid over AdamW's learning rate and weight_decay on the chapter's data,
each cell scored on a validation split.

The chapter's data: 20 training examples, 200 inputs, true weights 0.01
each; here full-batch AdamW for 200 steps from the same random start. With
a constant rate a weight's start fades as (1 - lr * wd)**t, so cells with
the same product lr * wd forget the start alike: on this data the
validation loss depends on lr and wd almost only through that product.

Run: python adamw_grid_lr_and_wd.py
"""

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
n_train, n_val, num_inputs, steps = 20, 100, 200, 200
true_w = tf.ones((num_inputs, 1)) * 0.01


def synthetic_data(n):
    X = tf.random.normal((n, num_inputs))
    return X, X @ true_w + 0.05 + tf.random.normal((n, 1), stddev=0.01)


(X, y), (X_val, y_val) = synthetic_data(n_train), synthetic_data(n_val)
w_start = tf.random.normal((num_inputs, 1))


def validation_mse(lr, wd):
    net = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    net.build((None, num_inputs))
    net.set_weights([w_start.numpy(), np.zeros(1, np.float32)])
    optimizer = tf.keras.optimizers.AdamW(learning_rate=lr, weight_decay=wd)
    optimizer.exclude_from_weight_decay(var_list=[net.layers[0].bias])

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((net(X) - y) ** 2)
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply_gradients(zip(grads, net.trainable_variables))

    for _ in range(steps):
        step()
    return float(tf.reduce_mean((net(X_val) - y_val) ** 2))


lrs, wds = [0.003, 0.01, 0.03], [0.3, 1.0, 3.0, 10.0]
mse = {(lr, wd): validation_mse(lr, wd) for lr in lrs for wd in wds}
print("validation MSE after 200 steps (rows: lr; columns: wd)")
print("lr \\ wd " + "".join(f"{wd:>9}" for wd in wds))
for lr in lrs:
    print(f"{lr:<8}" + "".join(f"{mse[lr, wd]:9.4g}" for wd in wds))
best = min(mse, key=mse.get)
print(
    f"best on validation: lr = {best[0]}, wd = {best[1]};"
    f" lr * wd * steps = {best[0] * best[1] * steps:.0f}"
)
same_product = [((0.003, 1.0), (0.01, 0.3)), ((0.003, 3.0), (0.03, 0.3))]
for a, b in same_product:
    print(
        f"lr * wd = {a[0] * a[1]:.3g}: {mse[a]:.4g} at {a}, {mse[b]:.4g} at {b}"
    )

assert all(abs(mse[a] / mse[b] - 1) < 0.05 for a, b in same_product), (
    "same-product-same-loss: cells with the same lr * wd (0.003, 0.009) reach"
    " validation losses within 5 % of each other"
)
assert best[0] * best[1] * steps >= 6, (
    "optimum-forgets-the-start: the best cell's lr * wd * steps is at least"
    " 6: its start fades by e**-6 or more within the run"
)
