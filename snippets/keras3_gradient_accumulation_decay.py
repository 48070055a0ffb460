"""Decoupled weight decay with `gradient_accumulation_steps`: once per real
update, not once per micro-step (Keras 3 only: tf-keras has no such option).

A variable of ones, SGD with learning rate 0.1 and weight_decay 0.1, and
gradients of zero, so the decay is the only thing that moves the variable.
With gradient_accumulation_steps=4, four calls to `apply` are one real update:
the decay should shrink the variable once, by lr * wd = 1 %, to 0.99. In the
Keras 3.4.1 source the decay happens at every call; keras-team/keras pull
request 19998 (first released in 3.5.0) moved it into the real update.

Run: python snippets/keras3_gradient_accumulation_decay.py
"""

import keras
import numpy as np

weights = keras.Variable(np.ones(3, "float32"))
optimizer = keras.optimizers.SGD(
    learning_rate=0.1, weight_decay=0.1, gradient_accumulation_steps=4
)
zero = np.zeros(3, "float32")
values = []
for micro_step in range(1, 9):
    optimizer.apply([zero], [weights])
    values.append(float(weights.numpy()[0]))
    print(f"micro-step {micro_step}: weights {values[-1]:.4f}")

# 1 - 0.1 * 0.1 in float32: one rounding of a number near 1, < 1e-7.
assert all(abs(v - 1.0) < 1e-6 for v in values[:3]), (
    "accumulation-micro-steps-keep-weights: the three micro-steps before the"
    " first real update leave the weights unchanged"
)
once, twice = values[3], values[7]
assert abs(once - 0.99) < 1e-6 and abs(twice - 0.99**2) < 1e-6, (
    "accumulation-decays-once-per-update: with gradient_accumulation_steps=4"
    " the weights are decayed by lr * wd once per four micro-steps: 0.99"
    " after four, 0.99 ** 2 after eight"
)
