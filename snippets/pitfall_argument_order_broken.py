"""Pitfall: Keras losses take (y_true, y_pred); swapping them silently changes asymmetric losses.

The book's own squared loss takes (y_hat, y). Mean squared error is symmetric, so swapping does
no harm there, which makes the habit easy to carry over to a loss where it does.

Run: python snippets/pitfall_argument_order_broken.py
"""

import tensorflow as tf

# --8<-- [start:broken]
y = tf.constant([[0.0], [1.0], [1.0]])  # labels
y_hat = tf.constant([[0.2], [0.7], [0.9]])  # predicted probabilities

for loss in (tf.keras.losses.MeanSquaredError(), tf.keras.losses.BinaryCrossentropy()):
    right, swapped = float(loss(y, y_hat)), float(loss(y_hat, y))  # swapped: broken
    print(f"{loss.name:20} loss(y, y_hat) = {right:.4f}   loss(y_hat, y) = {swapped:.4f}")
# --8<-- [end:broken]
bce = tf.keras.losses.BinaryCrossentropy()
assert abs(float(bce(y, y_hat)) - float(bce(y_hat, y))) > 1.0
