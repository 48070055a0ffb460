"""An L2 penalty vs decoupled weight decay: the same for plain SGD, different
with momentum or Adam.

Each pair of runs starts from the same weights and sees the same batches.
Run A puts `l2(lam / 2)` on the kernel (a term of the loss); run B has no
regularizer and gives the optimizer `weight_decay=lam` (applied to the
weights directly, biases excluded).

Run: python l2_vs_decoupled_weight_decay.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
X = tf.random.normal((64, 10))
y = X @ tf.random.normal((10, 1)) + 0.1 * tf.random.normal((64, 1))
w_init, b_init = tf.random.normal((10, 1)), tf.zeros(1)
lam, steps = 0.1, 50


def train(make_optimizer, penalty):
    """`steps` minibatch steps: run A (penalty) or run B (optimizer decay)."""
    regularizer = tf.keras.regularizers.l2(lam / 2) if penalty else None
    net = tf.keras.Sequential(
        [tf.keras.layers.Dense(1, kernel_regularizer=regularizer)]
    )
    net.build((None, 10))
    net.set_weights([w_init.numpy(), b_init.numpy()])
    optimizer = make_optimizer(None if penalty else lam)
    if not penalty:  # decay the kernel only, like the l2 penalty
        optimizer.exclude_from_weight_decay(var_names=["bias"])
    for step in range(steps):
        batch = slice((step % 8) * 8, (step % 8) * 8 + 8)
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((net(X[batch]) - y[batch]) ** 2)
            loss += sum(net.losses)
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply_gradients(zip(grads, net.trainable_variables))
    return net.layers[0].kernel


optimizers = {
    "SGD": lambda wd: tf.keras.optimizers.SGD(0.05, weight_decay=wd),
    "SGD, momentum 0.9": lambda wd: tf.keras.optimizers.SGD(
        0.05, momentum=0.9, weight_decay=wd
    ),
    "Adam": lambda wd: tf.keras.optimizers.Adam(0.05, weight_decay=wd),
}
print(f"{'optimizer':18} {'max |W_A - W_B|':>16} {'||W_A||':>8} {'||W_B||':>8}")
gaps = {}
for name, make_optimizer in optimizers.items():
    w_a = train(make_optimizer, penalty=True)  # A: l2(lam / 2) in the loss
    w_b = train(make_optimizer, penalty=False)  # B: weight_decay=lam
    gaps[name] = float(tf.reduce_max(tf.abs(w_a - w_b)))
    norm_a, norm_b = float(tf.norm(w_a)), float(tf.norm(w_b))
    print(f"{name:18} {gaps[name]:16.2f} {norm_a:8.4f} {norm_b:8.4f}")

# Keras' Adam with weight_decay is AdamW: run B with AdamW takes Adam's steps.
adamw = train(
    lambda wd: tf.keras.optimizers.AdamW(0.05, weight_decay=wd), False
)
adam = train(optimizers["Adam"], penalty=False)
adam_is_adamw = bool(tf.reduce_all(adamw == adam))
print(f"Adam(weight_decay=lam) takes AdamW's steps: {adam_is_adamw}")

# The two SGD runs compute the same update in a different order: each step
# may differ by a few float32 roundings of weights below 4 in size
# (4 * 2**-24 each, about 2.4e-7), at most 50 steps * 4 roundings of them
# when nothing cancels: 5e-5. A real difference in the update is far larger.
tolerance = steps * 4 * 4 * 2**-24
assert gaps["SGD"] < tolerance, (
    "sgd-same: with plain SGD, `l2(lam / 2)` and `weight_decay=lam` (biases"
    " excluded) give the same kernel after 50 steps, up to float32 rounding"
)
assert min(gaps["SGD, momentum 0.9"], gaps["Adam"]) > 100 * tolerance, (
    "momentum-and-adam-differ: with momentum 0.9 and with Adam the two"
    " kernels differ by far more than rounding"
)
assert adam_is_adamw, (
    "adam-weight-decay-is-adamw: in Keras, Adam(weight_decay=lam) takes"
    " exactly the steps of AdamW(weight_decay=lam): decoupled decay"
)
