"""The list-add pitfall under Adam: not a larger step, a weaker penalty.

With k regularized layers, `loss + net.losses` multiplies the data gradient
by k (see pitfall_list_add_broken.py). Under SGD that is a k-times larger
learning rate for the data term. Adam divides each gradient by its running
size, so scaling the whole gradient by k changes nothing; what is left is
the penalty divided by k: the same step as `l2(wd / k)` summed correctly.

Run: python pitfall_list_add_adam.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
x, y = tf.random.normal((8, 3)), tf.random.normal((8, 1))
mse = tf.keras.losses.MeanSquaredError()
init = [
    tf.random.normal((3, 4)),
    tf.zeros(4),
    tf.random.normal((4, 1)),
    tf.zeros(1),
]
wd, k = 0.05, 2


def adam_run(strength, list_add, steps=10):
    """Adam steps from the same weights; returns the kernels after them."""
    reg = tf.keras.regularizers.l2(strength)
    net = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(4, kernel_regularizer=reg),
            tf.keras.layers.Dense(1, kernel_regularizer=reg),
        ]
    )
    net.build((None, 3))
    net.set_weights([w.numpy() for w in init])
    # epsilon=0: the scale-invariance of Adam then holds exactly (see below)
    optimizer = tf.keras.optimizers.Adam(learning_rate=0.01, epsilon=0.0)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            data_loss = mse(y, net(x))
            if list_add:
                loss = data_loss + net.losses  # broken: shape (k,)
            else:
                loss = data_loss + tf.add_n(net.losses)
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply_gradients(zip(grads, net.trainable_variables))
    return [net.layers[0].kernel, net.layers[1].kernel]


broken = adam_run(wd, list_add=True)
weaker = adam_run(wd / k, list_add=False)
right = adam_run(wd, list_add=False)


def gap(a, b):
    return max(float(tf.reduce_max(tf.abs(u - v))) for u, v in zip(a, b))


print(f"list-add, l2({wd}) vs add_n, l2({wd / k}): {gap(broken, weaker):.1e}")
print(f"list-add, l2({wd}) vs add_n, l2({wd}):   {gap(broken, right):.1e}")

# Adam's step is m / (sqrt(v) + epsilon). With epsilon = 0 and k = 2 (a
# power of two, so doubling is exact in floating point), m and sqrt(v) are
# both exactly doubled and the steps agree bit for bit. (With the default
# epsilon = 1e-7 they differ only through epsilon.)
assert gap(broken, weaker) == 0.0, (
    "adam-list-add-is-weaker-penalty: under Adam, `loss + net.losses` with"
    " l2(wd) and k = 2 layers takes the step of a correct sum with l2(wd / 2)"
)
assert gap(broken, right) > 1e-4, (
    "adam-list-add-differs-from-right: and not the step of the correct sum"
    " with l2(wd)"
)
