"""Fix: always call a Keras loss as `loss(y_true, y_pred)`, labels first.

Run: python snippets/pitfall_argument_order_fixed.py
"""

import math

import tensorflow as tf

y = tf.constant([[0.0], [1.0], [1.0]])
y_hat = tf.constant([[0.2], [0.7], [0.9]])

# --8<-- [start:fixed]
loss_fn = tf.keras.losses.BinaryCrossentropy()
loss = loss_fn(y, y_hat)  # labels first, predictions second
print(f"binary cross-entropy: {float(loss):.4f}")
# --8<-- [end:fixed]
reference = -sum(t * math.log(p) + (1 - t) * math.log(1 - p) for t, p in [(0, 0.2), (1, 0.7), (1, 0.9)]) / 3
print(f"by hand:              {reference:.4f}")
assert abs(float(loss) - reference) < 1e-5
