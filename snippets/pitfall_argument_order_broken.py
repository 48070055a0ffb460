"""Pitfall: Keras losses take (y_true, y_pred); swapping them silently changes
asymmetric losses. The book's own squared loss takes (y_hat, y); mean squared
error is symmetric, so the habit does no harm until the loss is not.

Run: python pitfall_argument_order_broken.py
"""

import tensorflow as tf

y = tf.constant([[0.0], [1.0], [1.0]])  # labels
y_hat = tf.constant([[0.2], [0.7], [0.9]])  # predicted probabilities
results = {}
for loss in (
    tf.keras.losses.MeanSquaredError(),
    tf.keras.losses.BinaryCrossentropy(),
):
    right, swapped = float(loss(y, y_hat)), float(loss(y_hat, y))  # broken
    results[loss.name] = right, swapped
    print(
        f"{loss.name:20} loss(y, y_hat) = {right:.4f}   swapped = {swapped:.4f}"
    )

mse_right, mse_swapped = results["mean_squared_error"]
bce_right, bce_swapped = results["binary_crossentropy"]
assert mse_right == mse_swapped, (
    "mse-symmetric: mean squared error gives the same value with the"
    " arguments swapped, so the mistake goes unnoticed there"
)
assert bce_swapped - bce_right > 1.0, (
    "bce-swapped-differs: binary cross-entropy with swapped arguments is"
    " wrong by more than 1.0 here"
)
