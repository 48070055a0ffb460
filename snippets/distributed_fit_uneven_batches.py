"""`fit` under a strategy averages each replica's mean loss: with unequal
shares it is not the mean over the global batch.

Each replica takes the mean of its own examples, and the replicas' means are
averaged (each divided by the number of replicas, then summed). That is the
global mean only when every replica gets as many examples. An epoch of 9
examples in global batches of 4 ends with one example: one replica gets it,
the other none, and the last step is half the single-device step. A global
batch of 5 split 3 + 2: tf-keras trains, with a step off the global mean;
Keras 3 raises InvalidArgumentError. A custom loop with
`tf.nn.compute_average_loss(..., global_batch_size=...)` divides by the size
it is given; make every global batch full (`drop_remainder=True`) when the
steps must match one device.

Run: python distributed_fit_uneven_batches.py
"""

import numpy as np
import tensorflow as tf

replicas = 2
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration()] * replicas
)  # must run before TensorFlow initializes its devices
strategy = tf.distribute.MirroredStrategy(
    [f"/cpu:{i}" for i in range(replicas)]
)
KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
rng = np.random.default_rng(0)
lr = 0.5


def model():
    net = tf.keras.Sequential(
        [tf.keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")]
    )
    net.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=lr), loss="mse")
    return net


def by_hand(x, y, global_batch, mean_of_means):
    """One epoch of y = w * x from w = 1, in float64: each step's gradient is
    the global batch's mean, or the mean of the replicas' means (a replica
    with no example contributes 0), the batch split as evenly as it goes."""
    w = 1.0
    for start in range(0, len(x), global_batch):
        xb, yb = (
            x[start : start + global_batch],
            y[start : start + global_batch],
        )
        grads = 2 * xb * (w * xb - yb)  # d/dw (w x - y)**2, per example
        if mean_of_means:
            shares = np.array_split(grads, replicas)
            w -= (
                lr * sum(s.mean() if len(s) else 0.0 for s in shares) / replicas
            )
        else:
            w -= lr * grads.mean()
    return w


def one_epoch(n, global_batch):
    """fit on one device and on two replicas (or the error's name), and the
    two rules by hand."""
    x = rng.normal(size=(n, 1)).astype("float32")
    y = rng.normal(size=(n, 1)).astype("float32")
    single = model()
    single.fit(x, y, batch_size=global_batch, shuffle=False, verbose=0)
    with strategy.scope():
        replicated = model()
    try:
        replicated.fit(x, y, batch_size=global_batch, shuffle=False, verbose=0)
        two = float(replicated.layers[0].kernel[0, 0])
    except tf.errors.InvalidArgumentError as error:
        two = type(error).__name__
    x64, y64 = x[:, 0].astype(np.float64), y[:, 0].astype(np.float64)
    return {
        "one device": float(single.layers[0].kernel[0, 0]),
        "2 replicas": two,
        "global mean": by_hand(x64, y64, global_batch, mean_of_means=False),
        "mean of means": by_hand(x64, y64, global_batch, mean_of_means=True),
    }


even = one_epoch(8, 4)  # 2 + 2 examples per step
last_of_one = one_epoch(9, 4)  # 2 + 2, 2 + 2, then 1 + 0
split = one_epoch(5, 5)  # 3 + 2
print("fit on one device and on 2 replicas; the two rules by hand:")
print(
    f"{'examples/batch':<15}{'1 device':>10}{'2 replicas':>22}"
    f"{'global mean':>13}{'mean of means':>15}"
)
for name, run in [("8 / 4", even), ("9 / 4", last_of_one), ("5 / 5", split)]:
    shown = [v if isinstance(v, str) else f"{v:.4f}" for v in run.values()]
    print(f"{name:<15}{shown[0]:>10}{shown[1]:>22}{shown[2]:>13}{shown[3]:>15}")


def close(a, b):  # float32 fit against the float64 rule: a few roundings
    return isinstance(a, float) and abs(a - b) < 1e-5


assert close(even["2 replicas"], even["global mean"]), (
    "even-shares-match: with every global batch split evenly, fit on two"
    " replicas takes the steps of the global mean, as one device does"
)
assert close(last_of_one["2 replicas"], last_of_one["mean of means"]) and (
    abs(last_of_one["mean of means"] - last_of_one["global mean"]) > 1e-3
), (
    "uneven-last-batch-differs: 9 examples in batches of 4 end with one"
    " example on one replica: fit takes the mean of the replicas' means,"
    " not the global mean"
)
assert all(
    close(r["one device"], r["global mean"]) for r in (even, last_of_one, split)
), "one-device-global-mean: on one device fit takes the global mean's step"
if KERAS_3:
    assert split["2 replicas"] == "InvalidArgumentError", (
        "keras3-uneven-split-raises: Keras 3's fit raises"
        " InvalidArgumentError on a global batch of 5 split 3 + 2"
    )
else:
    assert close(split["2 replicas"], split["mean of means"]), (
        "tf-keras-uneven-split-differs: tf-keras' fit trains on a global"
        " batch of 5 split 3 + 2, with the mean of the replicas' means"
    )
