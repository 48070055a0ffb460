"""One `fit` step on two `MirroredStrategy` replicas against one device, with
the penalty alone and with the data loss alone.

A kernel of ones, SGD with learning rate 0.1, one global batch of 4. Penalty
only: `l2(0.1)` and zero data, so one device takes 1 - 0.1 * 0.2 = 0.98. Data
only: inputs 1, 2, 3, 4 and targets 0, so the mean squared error's gradient is
2 * (1 + 4 + 9 + 16) / 4 = 15 and one device takes 1 - 1.5 = -0.5. On the
pinned Keras both replicas' step is the single-device step; run it under older
Kerases to see what `fit` did there (the versions page has the table).

Run: python snippets/distributed_fit_one_vs_two_replicas.py
"""

import numpy as np
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration()] * 2
)
one_device = tf.distribute.OneDeviceStrategy("/cpu:0")
two_replicas = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])


def kernel_after_one_fit_step(strategy, regularized, x, y):
    with strategy.scope():
        l2 = tf.keras.regularizers.l2(0.1) if regularized else None
        model = tf.keras.Sequential(
            [
                tf.keras.layers.Dense(
                    1,
                    use_bias=False,
                    kernel_initializer="ones",
                    kernel_regularizer=l2,
                )
            ]
        )
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    return float(model.layers[0].kernel.numpy()[0, 0])


zeros = np.zeros((4, 1), "float32")
inputs = np.array([[1.0], [2.0], [3.0], [4.0]], "float32")
rows = {
    "penalty only": (True, zeros, zeros),
    "data only": (False, inputs, zeros),
}
steps = {}
for name, (regularized, x, y) in rows.items():
    steps[name] = [
        kernel_after_one_fit_step(strategy, regularized, x, y)
        for strategy in (one_device, two_replicas)
    ]
    print(f"{name:12}: one device {steps[name][0]:.4f},", end=" ")
    print(f"two replicas {steps[name][1]:.4f}")

# One SGD step on small integers and 0.1: a few float32 roundings, < 1e-6.
assert all(abs(one - two) < 1e-6 for one, two in steps.values()), (
    "fit-two-replicas-equal-one-device: one fit step on two replicas takes"
    " the single-device step, penalty alone and data alone"
)
