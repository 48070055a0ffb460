"""An L2 penalty vs decoupled weight decay: the same for plain SGD, different with momentum or Adam.

Each pair of runs starts from the same weights and sees the same batches. Run A puts
`l2(lam / 2)` on the kernel (a term of the loss); run B has no regularizer and gives the
optimizer `weight_decay=lam` (applied to the weights directly, biases excluded).

Run: python snippets/l2_vs_decoupled_weight_decay.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
X = tf.random.normal((64, 10))
y = X @ tf.random.normal((10, 1)) + 0.1 * tf.random.normal((64, 1))
w_init, b_init = tf.random.normal((10, 1)), tf.zeros(1)
lam, steps = 0.1, 50


def train(make_optimizer, penalty):
    """`steps` minibatch steps; `penalty` selects run A (l2 penalty) or run B (optimizer decay)."""
    regularizer = tf.keras.regularizers.l2(lam / 2) if penalty else None
    net = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_regularizer=regularizer)])
    net.build((None, 10))
    net.set_weights([w_init.numpy(), b_init.numpy()])
    optimizer = make_optimizer(None if penalty else lam)
    if not penalty:
        optimizer.exclude_from_weight_decay(var_names=["bias"])  # decay the kernel only, like l2
    for step in range(steps):
        xb, yb = X[(step % 8) * 8 : (step % 8) * 8 + 8], y[(step % 8) * 8 : (step % 8) * 8 + 8]
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((net(xb) - yb) ** 2) + sum(net.losses)
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply_gradients(zip(grads, net.trainable_variables))
    return net.layers[0].kernel


# --8<-- [start:compare]
optimizers = {
    "SGD": lambda wd: tf.keras.optimizers.SGD(learning_rate=0.05, weight_decay=wd),
    "SGD, momentum 0.9": lambda wd: tf.keras.optimizers.SGD(
        learning_rate=0.05, momentum=0.9, weight_decay=wd
    ),
    "Adam": lambda wd: tf.keras.optimizers.Adam(learning_rate=0.05, weight_decay=wd),
}
print(f"{'optimizer':18} {'max |W_A - W_B|':>16} {'||W_A|| (l2)':>13} {'||W_B|| (decay)':>16}")
for name, make_optimizer in optimizers.items():
    w_a = train(make_optimizer, penalty=True)  # A: l2(lam / 2) in the loss
    w_b = train(make_optimizer, penalty=False)  # B: weight_decay=lam in the optimizer
    gap = float(tf.reduce_max(tf.abs(w_a - w_b)))
    print(f"{name:18} {gap:16.2f} {float(tf.norm(w_a)):13.4f} {float(tf.norm(w_b)):16.4f}")
# --8<-- [end:compare]
