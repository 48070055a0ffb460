"""Fix: sum the list into one scalar, with `tf.add_n(net.losses)` or
`sum(net.losses)` (which is also right for a model with no regularizer).

Run: python pitfall_list_add_fixed.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
x, y = tf.random.normal((8, 3)), tf.random.normal((8, 1))
mse = tf.keras.losses.MeanSquaredError()
net = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(
            4, kernel_regularizer=tf.keras.regularizers.l2(1e-4)
        ),
        tf.keras.layers.Dense(
            1, kernel_regularizer=tf.keras.regularizers.l2(1e-4)
        ),
    ]
)
net.build((None, 3))

with tf.GradientTape() as tape:
    loss = mse(y, net(x)) + tf.add_n(net.losses)  # one scalar
print("loss shape:", loss.shape)
grads = tape.gradient(loss, net.trainable_variables)

with tf.GradientTape() as tape:
    data_loss = mse(y, net(x))
data_grads = tape.gradient(data_loss, net.trainable_variables)
ratio = float(grads[-1][0] / data_grads[-1][0])
print(f"output-bias gradient / data-loss gradient: {ratio:.4f}")

# `tf.add_n([])` raises; `sum([])` is 0, so `sum` also works with no penalty.
plain = tf.keras.Sequential([tf.keras.layers.Dense(1)])
plain.build((None, 3))
print("sum of no penalties:", sum(plain.losses))

assert loss.shape == () and ratio == 1.0, (
    "scalar-loss-data-gradient-once: `tf.add_n(net.losses)` gives a scalar"
    " loss, and the unpenalized bias gets its data gradient exactly once"
)
assert sum(plain.losses) == 0, (
    "sum-of-no-penalties-is-zero: `sum(net.losses)` is 0 for a model with no"
    " regularizer"
)
