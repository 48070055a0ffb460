"""Pitfall: `use_ema=True` in a custom training loop, never finalized.

With `use_ema=True` the optimizer keeps a moving average of the weights it
updates (decayed weights included: the decay acts on the weights, and the
average follows them). `fit` puts the average into the model when training
ends. A custom loop does not: the model keeps the last updated weights, and
nothing says that the average was never used.

With zero gradients only the decay moves the weight: each step multiplies it
by 1 - lr * wd (0.9 here), and the average follows, ema_momentum (0.6) behind.

Run: python pitfall_use_ema_custom_loop_broken.py
"""

import numpy as np
import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`

lr, wd, momentum, steps = 0.1, 1.0, 0.6, 4
net = tf.keras.Sequential([tf.keras.layers.Dense(1, use_bias=False)])
net.build((None, 1))
kernel = net.layers[0].kernel
kernel.assign([[1.0]])
optimizer = tf.keras.optimizers.SGD(
    lr, weight_decay=wd, use_ema=True, ema_momentum=momentum
)
for _ in range(steps):
    optimizer.apply_gradients([(tf.zeros_like(kernel), kernel)])

# The weight after each step, and its moving average as each Keras keeps it:
# momentum * average + (1 - momentum) * weight after every step, from the
# first updated weight (Keras 3) or from the initial weight, 1 (tf-keras).
live = [(1 - lr * wd) ** t for t in range(1, steps + 1)]
average = [live[0] if KERAS_3 else momentum + (1 - momentum) * live[0]]
for w in live[1:]:
    average.append(momentum * average[-1] + (1 - momentum) * w)
print(f"weight after each step: {np.round(live, 4)}")
print(f"its moving average:     {np.round(average, 4)}")
print(f"the model after the loop: {float(kernel[0, 0]):.4f}")

# Float32 products of 4 factors of order 1: rounding below 1e-6.
assert abs(float(kernel[0, 0]) - live[-1]) < 1e-6, (
    "custom-loop-keeps-last-weights: with use_ema, a custom loop leaves the"
    " last updated weights in the model, not their moving average"
)
