"""The float32 error bounds every property compares within.

float32 has unit roundoff u = 2**-24. Summing n terms in any order has relative error
<= (n - 1) u; each further operation adds u; gamma_k = k u / (1 - k u) bounds k of them
(Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., sections 3.1 and 4.2).
TensorFlow's CPU kernels flush subnormal results to zero, so each product may also be off by an
absolute 2**-126, and a subnormal input may be read as zero. The references are computed in
float64 from the float32 values Keras holds, so the bounds are about Keras' arithmetic only.

No tolerance here was tuned until a test passed: each is derived below, and each absolute term
names the case (found by the `thorough` profile) that showed it is needed.
"""

from __future__ import annotations

import numpy as np

U32 = float(np.finfo(np.float32).eps / 2)  # unit roundoff of float32: 2**-24
TINY32 = float(np.finfo(np.float32).tiny)  # smallest normal float32: 2**-126


def gamma(k: int) -> float:
    """The relative error bound of k float32 operations."""
    return k * U32 / (1 - k * U32)


def f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def penalty_tolerance(wd: float, w: np.ndarray) -> float:
    """Worst-case error of Keras' float32 `wd * sum(w**2)` against the exact value.

    Each square (<= u, or an absolute 2**-126 where it is flushed to zero), a sum of n
    non-negative terms in any order (<= (n - 1) u), wd rounded to float32 (<= u) and the final
    product (<= u, or an absolute 2**-126 where *it* is flushed to zero: found with w = 7e-19,
    wd = 1/64): together <= gamma_{n+2} * wd * sum(w**2) + wd * n * 2**-126 + 2**-126.
    """
    n = w.size
    return gamma(n + 2) * wd * float(np.sum(f64(w) ** 2)) + wd * n * TINY32 + TINY32


def l1l2_tolerance(l1: float, l2: float, w: np.ndarray) -> float:
    """As `penalty_tolerance`, for l1 * sum|w| + l2 * sum(w**2): one more product and one add,
    each of which may also be flushed to zero (an absolute 2**-126 each). A subnormal weight may
    be read as zero (|w| < 2**-126), costing up to l1 * 2**-126 each in the L1 term: found with
    w = 3.8e-40, l1 = 92 (exact 3.5e-38, TensorFlow 0)."""
    n = w.size
    exact = l1 * float(np.sum(np.abs(f64(w)))) + l2 * float(np.sum(f64(w) ** 2))
    return gamma(n + 3) * exact + (l1 + l2) * n * TINY32 + 3 * TINY32


def gradient_tolerance(wd: float, expected: np.ndarray) -> np.ndarray:
    """d(wd * sum(w**2))/dw = 2 wd w: the upstream wd (<= u when rounded to float32), times 2w
    (exact), one product (<= u), plus an absolute 2**-126 where a result is flushed to zero. A
    weight that is itself subnormal (|w| < 2**-126) is read as zero, losing up to
    2 * wd * 2**-126 (found with w = 2.35e-39, wd = 3)."""
    return gamma(3) * np.abs(expected) + TINY32 + 2 * wd * TINY32


def update_tolerance(w, grad, lr, wd):
    """W - lr * (g + 2 wd W): the product 2 wd W and the sum (<= 2u of |g| + 2 wd |W|), the
    product with lr (<= u) and the subtraction (<= u of the result): gamma_4 of all the
    magnitudes involved, plus flushed subnormals."""
    return gamma(4) * (np.abs(w) + lr * (np.abs(grad) + 2 * wd * np.abs(w))) + 4 * TINY32


def list_add_tolerance(k: int, data_grad: np.ndarray, penalty_grad: np.ndarray) -> np.ndarray:
    """k * data gradient + the penalty's gradient, k a power of two: multiplying by k is exact
    in binary floating point and the backward pass is linear in its upstream gradient, so the
    data part is exactly k times the data gradient; adding the penalty's 2 wd W costs one
    rounding (<= u), the penalty gradient itself gamma_3 (`gradient_tolerance`)."""
    return gamma(4) * (k * np.abs(data_grad) + np.abs(penalty_grad)) + TINY32


def activity_tolerance(reference: float, out: np.ndarray, l2: float) -> float:
    """l2 * sum(out**2) / batch. Relative: the sum of squares and the product and quotient
    (gamma_{n+4}), plus gamma_8 for the outputs themselves, which Keras recomputes. Absolute:
    each square may be flushed to zero (l2 * n * 2**-126), and so may the final product and the
    quotient (2 * 2**-126: found with batches [[0.]], [[2.36e-18]] and l2 = 1/512, where the
    exact value 9.9e-39 is subnormal and TensorFlow returns 0)."""
    n = out.size
    return (gamma(n + 4) + gamma(8)) * reference + l2 * n * TINY32 + 2 * TINY32


def reported_loss_tolerance(n_operations: int, scale: float) -> float:
    """A loss `fit` reports: the forward pass (a matmul, an add), the squared errors and their
    mean, the penalty, the final add: gamma of all those operations relative to the magnitudes
    summed (|out| and |y| can cancel in out - y), plus a flushed subnormal."""
    return gamma(n_operations) * 4 * scale + TINY32


def decay_tolerance(w: np.ndarray) -> np.ndarray:
    """Keras' decoupled decay w - (w * wd') * lr' with wd', lr' rounded to float32: the
    subtrahend carries gamma_4 (two roundings of the factors, two products), the subtraction u;
    with lr * wd <= 0.9 that is <= (0.9 * 4 + 1.9) u |w| < gamma_6 |w|, plus a flushed
    subnormal."""
    return gamma(6) * np.abs(w) + TINY32
