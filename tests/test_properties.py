"""Hypothesis properties of the mechanisms the site teaches, checked under Keras 3 and tf-keras.

Both Kerases are imported side by side in one process: `keras` is Keras 3 (what `tf.keras`
is by default) and `tf_keras` is tf-keras 2 (what `tf.keras` is with TF_USE_LEGACY_KERAS=1).
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tf_keras
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

KERASES = {"keras3": keras, "tf-keras": tf_keras}

U32 = np.finfo(np.float32).eps / 2  # unit roundoff of float32: 2**-24
TINY32 = np.finfo(np.float32).tiny  # smallest normal float32: 2**-126


def penalty_tolerance(wd: float, w: np.ndarray) -> float:
    """Worst-case error of Keras' float32 `wd * sum(w**2)` against the exact value.

    The kernel values are exactly representable (they are float32), so the error comes from
    the float32 operations: each square (relative error <= u; a square below 2**-126 may become 0,
    because TensorFlow's CPU kernels flush subnormal numbers to zero, an absolute error < 2**-126),
    a sum of n non-negative terms in any order (relative error <= (n - 1) u), wd rounded to
    float32 (<= u) and the final product (<= u).
    Together: <= gamma_{n+2} * wd * sum(w**2) + wd * n * 2**-126, with gamma_k = k u / (1 - k u)
    (Higham, "Accuracy and Stability of Numerical Algorithms", sections 3.1 and 4.2).
    """
    n = w.size
    gamma = (n + 2) * U32 / (1 - (n + 2) * U32)
    exact = wd * float(np.sum(w.astype(np.float64) ** 2))
    return gamma * exact + wd * n * TINY32


# Weights from tiny to large, plus exact zeros; |w| <= 1e4 keeps wd * sum(w**2) far from float32
# overflow (at most 1e3 * 4096 * 1e8 = 4e14 < 3.4e38) so the comparison is about rounding only.
weight_values = st.one_of(
    st.just(0.0),
    st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, width=32),
    st.floats(min_value=-(2.0**-64), max_value=2.0**-64, width=32),  # squares underflow float32
)
wd_values = st.one_of(
    st.just(0.0),
    st.floats(min_value=1e-8, max_value=1e3, allow_nan=False, allow_infinity=False),
)


@st.composite
def kernels(draw):
    """A Dense kernel of drawn shape (1x1 included) filled with drawn float32 values."""
    n_in = draw(st.integers(1, 64))
    n_out = draw(st.integers(1, 64))
    return draw(arrays(np.float32, (n_in, n_out), elements=weight_values))


# --8<-- [start:dense-l2]
@pytest.mark.parametrize("k", KERASES)
@given(w=kernels(), wd=wd_values)
def test_dense_l2_penalty_is_wd_times_sum_of_squares(k, w, wd):
    """`sum(layer.losses)` of Dense(kernel_regularizer=l2(wd)) equals wd * sum(w**2)."""
    lib = KERASES[k]
    layer = lib.layers.Dense(w.shape[1], kernel_regularizer=lib.regularizers.l2(wd))
    layer.build((None, w.shape[0]))
    layer.kernel.assign(w)

    penalty = float(sum(float(p) for p in layer.losses))
    reference = wd * float(np.sum(w.astype(np.float64) ** 2))  # float64, independent of Keras

    assert len(layer.losses) == 1  # one regularized weight, one entry
    assert abs(penalty - reference) <= penalty_tolerance(wd, w)


# --8<-- [end:dense-l2]


def test_tolerance_is_not_vacuous():
    """The bound is tight enough to catch the classic mistake: a penalty with the book's 1/2."""
    w = np.full((64, 64), 3.0, np.float32)
    wd = 0.01
    exact = wd * float(np.sum(w.astype(np.float64) ** 2))
    assert penalty_tolerance(wd, w) < 1e-3 * exact  # a factor-of-2 error is 500 times larger
