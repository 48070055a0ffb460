"""What the properties draw: layer shapes, penalty strengths, weights, batches and learning
rates, edge values included (wd = 0, zero, tiny and large weights, 1x1 kernels, a batch of one).

Weights run from tiny to large, with exact zeros; |w| <= 1e4 keeps wd * sum(w**2) far from
float32 overflow (at most 1e3 * 4096 * 1e8 = 4e14 < 3.4e38), so the comparisons are about
rounding only.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

weight_values = st.one_of(
    st.just(0.0),
    st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, width=32),
    st.floats(min_value=-(2.0**-64), max_value=2.0**-64, width=32),  # squares underflow
)
moderate_values = st.floats(min_value=-10, max_value=10, allow_nan=False, width=32)
wd_values = st.one_of(
    st.just(0.0), st.floats(min_value=1e-8, max_value=1e3, allow_nan=False, allow_infinity=False)
)
positive_wd = st.floats(min_value=1e-4, max_value=10.0)
learning_rates = st.floats(min_value=1e-4, max_value=1.0)
seeds = st.integers(0, 2**16)
model_styles = st.sampled_from(["sequential", "functional", "nested", "shared"])
# Strengths of 1 to 4 layers; None: a layer without a regularizer.
layer_strengths = st.lists(st.one_of(st.none(), positive_wd), min_size=1, max_size=4)
# k regularized layers, k a power of two (the list-add property needs k exact in floating point).
power_of_two_strengths = st.sampled_from([1, 2, 4]).flatmap(
    lambda k: st.lists(positive_wd, min_size=k, max_size=k)
)
# Invalid l2 strengths: negative (4 * value stays a finite float32), infinite, NaN.
bad_strengths = st.one_of(
    st.floats(min_value=-1e30, max_value=-1e-12),
    st.just(-math.inf),
    st.just(math.nan),
    st.just(math.inf),
)


@st.composite
def kernels(draw, max_side=64, elements=weight_values):
    """A 2-D kernel of drawn shape (1x1 included) filled with drawn float32 values."""
    n_in = draw(st.integers(1, max_side))
    n_out = draw(st.integers(1, max_side))
    return draw(arrays(np.float32, (n_in, n_out), elements=elements))


@st.composite
def regularized_weights(draw):
    """(layer kind, the weight's shape, the input shape, drawn values)."""
    kind = draw(st.sampled_from(["dense-kernel", "dense-bias", "conv1d", "conv2d", "embedding"]))
    a, b, k = draw(st.integers(1, 8)), draw(st.integers(1, 8)), draw(st.integers(1, 3))
    shapes = {
        "dense-kernel": ((a, b), (None, a)),
        "dense-bias": ((b,), (None, a)),
        "conv1d": ((k, a, b), (None, k + 2, a)),
        "conv2d": ((k, k, a, b), (None, k + 2, k + 2, a)),
        "embedding": ((a, b), (None,)),
    }
    weight_shape, input_shape = shapes[kind]
    values = draw(arrays(np.float32, weight_shape, elements=weight_values))
    return kind, weight_shape, input_shape, values


@st.composite
def kernel_pairs(draw):
    """Two kernels of one shape: the weights before and after an assignment."""
    w_old = draw(kernels(max_side=8, elements=moderate_values))
    w_new = draw(arrays(np.float32, w_old.shape, elements=moderate_values))
    return w_old, w_new


@st.composite
def regression_batches(draw, shapes=None):
    """(kernel, inputs, targets) of one regression batch. `shapes`: draw the (inputs, outputs,
    batch) sizes from these instead of from any up to (6, 6, 8)."""
    if shapes is None:
        n_in, n_out, batch = draw(st.integers(1, 6)), draw(st.integers(1, 6)), draw(st.integers(1, 8))
    else:
        n_in, n_out, batch = draw(st.sampled_from(shapes))
    w = draw(arrays(np.float32, (n_in, n_out), elements=moderate_values))
    x = draw(arrays(np.float32, (batch, n_in), elements=moderate_values))
    y = draw(arrays(np.float32, (batch, n_out), elements=moderate_values))
    return w, x, y


@st.composite
def adam_cases(draw):
    """(w, lr, lam) with at least one weight in the class 1e-3 <= lam*|w| <= 0.5 (where the
    Adam property derives that L2 and decoupled decay must differ)."""
    lam = draw(st.floats(0.01, 1.0))
    w = draw(kernels(max_side=4, elements=st.floats(-5, 5, width=32)))
    sign = draw(st.sampled_from([-1.0, 1.0]))
    # 2e-3 and 0.49 keep a margin inside [1e-3, 0.5] for float32 rounding.
    in_class = sign * draw(st.floats(2e-3, 0.49)) / lam
    w[draw(st.integers(0, w.shape[0] - 1)), draw(st.integers(0, w.shape[1] - 1))] = in_class
    return w, draw(st.floats(1e-3, 0.1)), lam


@st.composite
def activity_batches(draw):
    """Two or three batches of different sizes, for one layer."""
    n_in = draw(st.integers(1, 6))
    sizes = draw(st.lists(st.integers(1, 8), min_size=2, max_size=3))
    return [draw(arrays(np.float32, (b, n_in), elements=moderate_values)) for b in sizes]


# Which of a two-layer model's four variables (2 kernels, 2 biases) are excluded from decay.
exclusions = st.lists(st.booleans(), min_size=4, max_size=4)

# A rate a schedule starts from or passes through; with wd <= 0.9, lr * wd <= 0.9.
schedule_rates = st.floats(min_value=1e-4, max_value=1.0)


@st.composite
def schedules(draw):
    """A learning-rate schedule of Keras, as (class name, arguments), every rate in [0, 1]:
    cosine decay after a linear warm-up (from 0 or from a drawn rate), piecewise constant, or
    exponential decay (staircase or not)."""
    kind = draw(st.sampled_from(["CosineDecay", "PiecewiseConstantDecay", "ExponentialDecay"]))
    if kind == "CosineDecay":
        return kind, {
            "initial_learning_rate": draw(st.one_of(st.just(0.0), schedule_rates)),
            "decay_steps": draw(st.integers(1, 8)),
            "alpha": draw(st.floats(0.0, 1.0)),
            "warmup_target": draw(schedule_rates),
            "warmup_steps": draw(st.integers(1, 4)),
        }
    if kind == "PiecewiseConstantDecay":
        boundaries = sorted(draw(st.sets(st.integers(1, 10), min_size=1, max_size=3)))
        values = draw(st.lists(schedule_rates, min_size=len(boundaries) + 1, max_size=len(boundaries) + 1))
        return kind, {"boundaries": boundaries, "values": values}
    return kind, {
        "initial_learning_rate": draw(schedule_rates),
        "decay_steps": draw(st.integers(1, 5)),
        "decay_rate": draw(st.floats(0.1, 1.0)),
        "staircase": draw(st.booleans()),
    }
