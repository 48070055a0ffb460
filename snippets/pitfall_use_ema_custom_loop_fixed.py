"""Fixed: after a custom loop with `use_ema=True`, call
`optimizer.finalize_variable_values(model.trainable_variables)`, as `fit`
does when training ends. Both put the moving average of the (decayed)
weights into the model.

Run: python pitfall_use_ema_custom_loop_fixed.py
"""

import numpy as np
import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`

lr, wd, momentum, steps = 0.1, 1.0, 0.6, 4


def model_and_optimizer():
    net = tf.keras.Sequential([tf.keras.layers.Dense(1, use_bias=False)])
    net.build((None, 1))
    net.layers[0].kernel.assign([[1.0]])
    optimizer = tf.keras.optimizers.SGD(
        lr, weight_decay=wd, use_ema=True, ema_momentum=momentum
    )
    return net, optimizer


# The weight after each step, and its moving average as each Keras keeps it:
# momentum * average + (1 - momentum) * weight after every step, from the
# first updated weight (Keras 3) or from the initial weight, 1 (tf-keras).
live = [(1 - lr * wd) ** t for t in range(1, steps + 1)]
average = [live[0] if KERAS_3 else momentum + (1 - momentum) * live[0]]
for w in live[1:]:
    average.append(momentum * average[-1] + (1 - momentum) * w)

net, optimizer = model_and_optimizer()
kernel = net.layers[0].kernel
for _ in range(steps):
    optimizer.apply_gradients([(tf.zeros_like(kernel), kernel)])
optimizer.finalize_variable_values(net.trainable_variables)
loop = float(kernel[0, 0])

# fit: a zero input gives a zero gradient; batch_size 1, so `steps` updates.
net, optimizer = model_and_optimizer()
net.compile(optimizer=optimizer, loss="mse")
net.fit(np.zeros((steps, 1)), np.zeros((steps, 1)), batch_size=1, verbose=0)
fit = float(net.layers[0].kernel[0, 0])
print(f"the moving average: {average[-1]:.4f}; the last weight: {live[-1]:.4f}")
print(f"custom loop, then finalize_variable_values: {loop:.4f}")
print(f"fit: {fit:.4f}")

# Float32 products of 4 factors of order 1: rounding below 1e-6.
assert abs(loop - average[-1]) < 1e-6, (
    "finalize-puts-the-average: finalize_variable_values puts the moving"
    " average of the decayed weights into the model (Keras 3 starts it at"
    " the first updated weights, tf-keras at the initial ones)"
)
assert abs(fit - average[-1]) < 1e-6, (
    "fit-ends-on-the-average: at the end of fit, the model holds the moving"
    " average of the decayed weights"
)
