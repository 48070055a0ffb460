"""Fix: sum the list into one scalar with `tf.add_n(net.losses)` (or `sum(net.losses)`).

Run: python snippets/pitfall_list_add_fixed.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)
x, y = tf.random.normal((8, 3)), tf.random.normal((8, 1))
mse = tf.keras.losses.MeanSquaredError()
net = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(4, kernel_regularizer=tf.keras.regularizers.l2(1e-4)),
        tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(1e-4)),
    ]
)
net.build((None, 3))

# --8<-- [start:fixed]
with tf.GradientTape() as tape:
    loss = mse(y, net(x)) + tf.add_n(net.losses)  # one scalar
print("loss shape:", loss.shape)
grads = tape.gradient(loss, net.trainable_variables)
# --8<-- [end:fixed]

with tf.GradientTape() as tape:
    data_loss = mse(y, net(x))
data_grads = tape.gradient(data_loss, net.trainable_variables)
bias_ratio = float(grads[-1][0] / data_grads[-1][0])
print(f"output-bias gradient / data-loss gradient: {bias_ratio:.4f}")

# --8<-- [start:no-regularizer]
# `tf.add_n([])` raises; `sum([])` is 0, so `sum` also works for a model with no regularizer.
plain = tf.keras.Sequential([tf.keras.layers.Dense(1)])
plain.build((None, 3))
print("sum of no penalties:", sum(plain.losses))
# --8<-- [end:no-regularizer]

assert loss.shape == () and abs(bias_ratio - 1.0) < 1e-5
