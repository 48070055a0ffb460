"""Pitfall: `exclude_from_weight_decay` after the optimizer has stepped.

The exclusions are meant to be set before the optimizer is built (its
docstring says so). tf-keras enforces it: a late call raises ValueError.
Keras 3 accepts the call, and then it depends on the path: eager
`apply_gradients` honours it; a training step `fit` traced before the call
does not (the decay was decided while tracing), until `compile` again.

SGD(learning_rate=0.1, weight_decay=0.5) on a kernel of ones with a zero
data gradient: each decaying step multiplies it by 0.95.

Run: python pitfall_late_exclusion_broken.py
"""

import numpy as np
import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
net = tf.keras.Sequential(
    [tf.keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")]
)
sgd = tf.keras.optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
net.compile(optimizer=sgd, loss="mse")
x, y = np.zeros((4, 1), "float32"), np.zeros((4, 1), "float32")
net.fit(x, y, batch_size=4, epochs=1, verbose=0)  # traced, then one step
kernel = net.layers[0].kernel
try:
    sgd.exclude_from_weight_decay(var_list=[kernel])  # too late
    late_call = "accepted"
except ValueError as error:
    late_call = type(error).__name__
net.fit(x, y, batch_size=4, epochs=1, verbose=0)
after_fit = float(kernel[0, 0])
net.compile(optimizer=sgd, loss="mse")
net.fit(x, y, batch_size=4, epochs=1, verbose=0)
after_compile = float(kernel[0, 0])
print(f"late exclude_from_weight_decay: {late_call}")
print(f"kernel: after 2 fits {after_fit:.4f}, then compile + fit", end=" ")
print(f"{after_compile:.4f}")

# Eager steps: the same late call, then apply_gradients directly.
variable = tf.Variable([1.0])
eager = tf.keras.optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
eager.apply_gradients([(tf.zeros(1), variable)])
if KERAS_3:
    eager.exclude_from_weight_decay(var_list=[variable])
    eager.apply_gradients([(tf.zeros(1), variable)])
    print(f"eager, excluded after one step: {float(variable[0]):.4f}")

if KERAS_3:
    assert late_call == "accepted" and abs(after_fit - 0.9025) < 1e-6, (
        "traced-fit-ignores-late-exclusion: Keras 3 accepts the late call,"
        " and fit's traced step still decays the kernel: 0.95 ** 2 = 0.9025"
    )
    assert after_compile == after_fit, (
        "compile-again-applies-exclusion: after compile, fit's new step"
        " honours the exclusion: the kernel stays at 0.9025"
    )
    assert abs(float(variable[0]) - 0.95) < 1e-6, (
        "eager-honours-late-exclusion: eager apply_gradients honours the"
        " late call: one decay only, 0.95"
    )
else:
    assert late_call == "ValueError" and after_compile < after_fit, (
        "tf-keras-late-exclusion-raises: tf-keras raises ValueError on a"
        " late call, and the kernel keeps decaying"
    )
