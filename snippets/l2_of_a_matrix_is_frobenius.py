"""The chapter's exercise 4: ||w||^2 = w^T w for a vector; for a matrix W,
the L2 penalty is the squared Frobenius norm, ||W||_F^2 = sum of W_ij^2 =
trace(W^T W). Keras' l2(wd) on a Dense kernel (a matrix) is wd times it.

Run: python l2_of_a_matrix_is_frobenius.py
"""

import tensorflow as tf

W = tf.constant([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]])
wd = 0.01
keras_penalty = float(tf.keras.regularizers.l2(wd)(W))
frobenius = float(tf.norm(W, ord="fro", axis=(0, 1)))
trace = float(tf.linalg.trace(tf.transpose(W) @ W))
print(f"l2({wd})(W)              = {keras_penalty:.4f}")
print(f"{wd} * ||W||_F^2          = {wd * frobenius**2:.4f}")
print(f"{wd} * trace(W^T W)       = {wd * trace:.4f}")
print(f"{wd} * sum of W_ij^2      = {wd * float(tf.reduce_sum(W**2)):.4f}")

# float32 sums of six terms of order 1: rounding far below 1e-6 of 0.15 and
# 1e-4 of 15.
assert abs(keras_penalty - wd * frobenius**2) < 1e-6, (
    "l2-of-matrix-is-frobenius: l2(wd) of a matrix is wd times its squared"
    " Frobenius norm"
)
assert abs(trace - frobenius**2) < 1e-4, (
    "frobenius-is-trace: the squared Frobenius norm is trace(W^T W)"
)
