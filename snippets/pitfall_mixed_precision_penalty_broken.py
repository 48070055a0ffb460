"""Pitfall: summing `net.losses` under the `mixed_float16` policy.

Weight penalties are float32 (the variables are), activity penalties have
the layer's float16 compute dtype: `tf.add_n(net.losses)` and
`sum(net.losses)` raise. And a float16 activity penalty can be inf although
its value fits float16 (largest 65504): the sum of squares overflows first.

Run: python pitfall_mixed_precision_penalty_broken.py
"""

import numpy as np
import tensorflow as tf

tf.keras.mixed_precision.set_global_policy("mixed_float16")
l2 = tf.keras.regularizers.l2(0.01)
net = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(
            4,
            kernel_initializer="ones",
            kernel_regularizer=l2,
            activity_regularizer=l2,
        ),
        tf.keras.layers.Dense(1, dtype="float32"),
    ]
)
net(np.ones((8, 3), "float32"))
dtypes = sorted(term.dtype.name for term in net.losses)
print("dtypes of net.losses:", dtypes)

errors = []
for how in (tf.add_n, sum):
    try:
        how(net.losses)
    except tf.errors.InvalidArgumentError:
        errors.append(how.__name__)
print("raised InvalidArgumentError:", errors)

big = np.full((8, 3), 300.0, "float32")  # large activations
net(big)
activity = next(t for t in net.losses if t.dtype == tf.float16)
dense = net.layers[0]
out = big @ dense.kernel.numpy().astype("float64") + dense.bias.numpy()
exact = 0.01 * float(np.sum(out**2)) / len(big)  # float64, as l2 computes it
print(f"activity penalty in float16: {float(activity)}, exact: {exact:.0f}")

assert dtypes == ["float16", "float32"], (
    "mixed-dtypes: under mixed_float16 the activity term is float16 and the"
    " weight term float32"
)
assert errors == ["add_n", "sum"], (
    "adding-raises: tf.add_n(net.losses) and sum(net.losses) both raise"
    " InvalidArgumentError on the mixed dtypes"
)
assert np.isinf(float(activity)), (
    "float16-overflow: the float16 activity penalty of large activations is inf"
)
