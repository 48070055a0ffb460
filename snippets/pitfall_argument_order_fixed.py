"""Fix: always call a Keras loss as `loss(y_true, y_pred)`, labels first.

Run: python pitfall_argument_order_fixed.py
"""

import math

import tensorflow as tf

y = tf.constant([[0.0], [1.0], [1.0]])
y_hat = tf.constant([[0.2], [0.7], [0.9]])

loss_fn = tf.keras.losses.BinaryCrossentropy()
loss = float(loss_fn(y, y_hat))  # labels first, predictions second
print(f"binary cross-entropy: {loss:.4f}")

pairs = [(0, 0.2), (1, 0.7), (1, 0.9)]
by_hand = (
    -sum(t * math.log(p) + (1 - t) * math.log(1 - p) for t, p in pairs) / 3
)
print(f"by hand:              {by_hand:.4f}")

# Three float32 logs of values of order 1: error far below 1e-5.
assert abs(loss - by_hand) < 1e-5, (
    "labels-first-is-right: `loss(y, y_hat)` equals the cross-entropy"
    " computed by hand"
)
