"""Hypothesis properties of every mechanism the site teaches, under Keras 3 and
tf-keras.

Both Kerases are imported side by side in one process: `keras` is Keras 3 (what
`tf.keras` is by default) and `tf_keras` is tf-keras 2 (what `tf.keras` is with
TF_USE_LEGACY_KERAS=1). Where tf-keras is not installed (or does not match
TensorFlow), its cases are skipped with the reason. Run them with `python -m
weight_decay_checks` or `pytest --pyargs weight_decay_checks`; the Hypothesis
settings come from `weight_decay_checks.settings`, no conftest needed.

Each property is a plain `check_*` function that raises AssertionError when the
mechanism is wrong, wrapped by a Hypothesis test. The checks take the piece
under test as an argument (the regularizer, the way penalties are collected, the
optimizers...), so that the site's suite can hand them the deliberately wrong
implementations of `weight_decay_checks.mutants` and prove that each property
fails on them.

Tolerances: float32 has unit roundoff u = 2**-24. Summing n terms in any order
has relative error <= (n - 1) u; each further operation adds u; gamma_k = k u /
(1 - k u) bounds k of them (Higham, "Accuracy and Stability of Numerical
Algorithms", 2nd ed., sections 3.1 and 4.2). TensorFlow's CPU kernels flush
subnormal results to zero, so each product may also be off by an absolute
2**-126. The references are computed in float64 from the float32 values Keras
holds.
"""

from __future__ import annotations

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from weight_decay_checks import mutants, versions
from weight_decay_checks.settings import configured, slow

VERSIONS = (
    versions.check()
)  # outside the supported range: one clear line, nothing runs
TF_KERAS_PROBLEM = versions.tf_keras_problem(VERSIONS)
tf_keras = None
if TF_KERAS_PROBLEM is None:
    try:
        import tf_keras
    except ImportError as e:
        TF_KERAS_PROBLEM = f"tf-keras {VERSIONS.tf_keras} does not import: {e}"
KERASES = {"keras3": keras, "tf-keras": tf_keras}


def keras_named(k):
    """The Keras a test case runs under; a tf-keras case is skipped, with the
    reason, where tf-keras cannot run."""
    if KERASES[k] is None:
        pytest.skip(TF_KERAS_PROBLEM)
    return KERASES[k]


U32 = np.finfo(np.float32).eps / 2  # unit roundoff of float32: 2**-24
TINY32 = float(np.finfo(np.float32).tiny)  # smallest normal float32: 2**-126


def gamma(k: int) -> float:
    return k * U32 / (1 - k * U32)


def f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def penalty_tolerance(wd: float, w: np.ndarray) -> float:
    """Worst-case error of Keras' float32 `wd * sum(w**2)` against the exact
    value.

    Each square (<= u, or an absolute 2**-126 where it is flushed to zero), a
    sum of n non-negative terms in any order (<= (n - 1) u), wd rounded to
    float32 (<= u) and the final product (<= u, or an absolute 2**-126 where
    *it* is flushed to zero: found by the `thorough` profile with w = 7e-19, wd
    = 1/64): together <= gamma_{n+2} * wd * sum(w**2) + wd * n * 2**-126 +
    2**-126.
    """
    n = w.size
    return (
        gamma(n + 2) * wd * float(np.sum(f64(w) ** 2))
        + wd * n * TINY32
        + TINY32
    )


def l1l2_tolerance(l1: float, l2: float, w: np.ndarray) -> float:
    """As `penalty_tolerance`, for l1 * sum|w| + l2 * sum(w**2): one more
    product and one add, each of which may also be flushed to zero (an absolute
    2**-126 each). A subnormal weight may also be read as zero (|w| < 2**-126),
    costing up to l1 * 2**-126 each in the L1 term: found by the `thorough`
    profile with w = 3.8e-40, l1 = 92 (exact 3.5e-38, TensorFlow 0)."""
    n = w.size
    exact = l1 * float(np.sum(np.abs(f64(w)))) + l2 * float(np.sum(f64(w) ** 2))
    return gamma(n + 3) * exact + (l1 + l2) * n * TINY32 + 3 * TINY32


# --- strategies ---------------------------------------------------------------

# Weights from tiny to large, plus exact zeros; |w| <= 1e4 keeps wd * sum(w**2)
# far from float32 overflow (at most 1e3 * 4096 * 1e8 = 4e14 < 3.4e38), so
# comparisons are about rounding only.
weight_values = st.one_of(
    st.just(0.0),
    st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, width=32),
    st.floats(
        min_value=-(2.0**-64), max_value=2.0**-64, width=32
    ),  # squares underflow
)
moderate_values = st.floats(
    min_value=-10, max_value=10, allow_nan=False, width=32
)
wd_values = st.one_of(
    st.just(0.0),
    st.floats(
        min_value=1e-8, max_value=1e3, allow_nan=False, allow_infinity=False
    ),
)
positive_wd = st.floats(min_value=1e-4, max_value=10.0)
learning_rates = st.floats(min_value=1e-4, max_value=1.0)


@st.composite
def kernels(draw, max_side=64, elements=weight_values):
    """A 2-D kernel of drawn shape (1x1 included) filled with drawn float32
    values."""
    n_in = draw(st.integers(1, max_side))
    n_out = draw(st.integers(1, max_side))
    return draw(arrays(np.float32, (n_in, n_out), elements=elements))


@st.composite
def regularized_weights(draw):
    """(layer kind, layer factory, the weight's shape, input shape, drawn
    values)."""
    kind = draw(
        st.sampled_from(
            ["dense-kernel", "dense-bias", "conv1d", "conv2d", "embedding"]
        )
    )
    a, b, k = (
        draw(st.integers(1, 8)),
        draw(st.integers(1, 8)),
        draw(st.integers(1, 3)),
    )
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


def make_regularized_layer(lib, kind, weight_shape, regularizer):
    """The layer of `kind`, `regularizer` on the weight the property draws."""
    if kind == "dense-kernel":
        return lib.layers.Dense(
            weight_shape[1], kernel_regularizer=regularizer
        ), "kernel"
    if kind == "dense-bias":
        return lib.layers.Dense(
            weight_shape[0], bias_regularizer=regularizer
        ), "bias"
    if kind == "conv1d":
        return lib.layers.Conv1D(
            weight_shape[-1], weight_shape[0], kernel_regularizer=regularizer
        ), "kernel"
    if kind == "conv2d":
        return lib.layers.Conv2D(
            weight_shape[-1], weight_shape[0], kernel_regularizer=regularizer
        ), "kernel"
    layer = lib.layers.Embedding(
        weight_shape[0], weight_shape[1], embeddings_regularizer=regularizer
    )
    return layer, "embeddings"


def keras_l2(lib, wd):
    return lib.regularizers.l2(wd)


def model_losses(model):
    return model.losses


# --- 1. penalty value ---------------------------------------------------------

# --8<-- [start:value]


# --8<-- [start:dense-l2]
@pytest.mark.parametrize("k", KERASES)
@configured
@given(w=kernels(), wd=wd_values)
def test_dense_l2_penalty_is_wd_times_sum_of_squares(k, w, wd):
    """`sum(layer.losses)` of Dense(kernel_regularizer=l2(wd)) equals wd *
    sum(w**2)."""
    lib = keras_named(k)
    layer = lib.layers.Dense(
        w.shape[1], kernel_regularizer=lib.regularizers.l2(wd)
    )
    layer.build((None, w.shape[0]))
    layer.kernel.assign(w)

    penalty = float(sum(float(p) for p in layer.losses))
    reference = wd * float(
        np.sum(w.astype(np.float64) ** 2)
    )  # float64, independent of Keras

    assert len(layer.losses) == 1  # one regularized weight, one entry
    assert abs(penalty - reference) <= penalty_tolerance(wd, w)


# --8<-- [end:dense-l2]


def check_penalty_value(lib, case, wd, regularizer=keras_l2):
    kind, weight_shape, input_shape, values = case
    layer, attr = make_regularized_layer(
        lib, kind, weight_shape, regularizer(lib, wd)
    )
    layer.build(input_shape)
    getattr(layer, attr).assign(values)
    penalty = sum(float(p) for p in layer.losses)
    reference = wd * float(np.sum(f64(values) ** 2))
    assert len(layer.losses) == 1
    assert abs(penalty - reference) <= penalty_tolerance(wd, values)


@pytest.mark.parametrize("k", KERASES)
@configured
@given(case=regularized_weights(), wd=wd_values)
def test_penalty_of_every_regularized_weight_kind(k, case, wd):
    """Dense kernel and bias, Conv1D, Conv2D, Embedding: the penalty is wd *
    sum(w**2)."""
    check_penalty_value(keras_named(k), case, wd)


@pytest.mark.parametrize("k", KERASES)
@configured
@given(w=kernels(max_side=16), l1=wd_values, l2=wd_values)
def test_l1l2_penalty(k, w, l1, l2):
    """L1L2(l1, l2) gives l1 * sum|w| + l2 * sum(w**2)."""
    lib = keras_named(k)
    layer = lib.layers.Dense(
        w.shape[1], kernel_regularizer=lib.regularizers.L1L2(l1=l1, l2=l2)
    )
    layer.build((None, w.shape[0]))
    layer.kernel.assign(w)
    reference = l1 * float(np.sum(np.abs(f64(w)))) + l2 * float(
        np.sum(f64(w) ** 2)
    )
    assert abs(float(sum(layer.losses)) - reference) <= l1l2_tolerance(
        l1, l2, w
    )


# --8<-- [end:value]


# --- 2. model level -----------------------------------------------------------

# --8<-- [start:model]


def build_model(lib, style, wds, regularizer=keras_l2):
    """A model with one Dense per wd (None: unregularized) in the given style,
    plus its layers.

    "nested" puts the layers inside a Sequential inside a functional model;
    "shared" calls the first layer twice (it is square so that it can), which
    must still count once.
    """
    layers = [
        lib.layers.Dense(
            3, kernel_regularizer=None if wd is None else regularizer(lib, wd)
        )
        for wd in wds
    ]
    if style == "sequential":
        model = lib.Sequential(layers)
        model.build((None, 3))
        return model, layers
    inputs = lib.Input((3,))
    if style == "functional":
        x = inputs
        for layer in layers:
            x = layer(x)
    elif style == "nested":
        x = lib.Sequential(layers)(inputs)
    else:  # shared
        x = layers[0](layers[0](inputs))
        for layer in layers[1:]:
            x = layer(x)
    return lib.Model(inputs, x), layers


def check_model_penalties(
    lib, style, wds, seed, penalties=model_losses, regularizer=keras_l2
):
    model, layers = build_model(lib, style, wds, regularizer)
    rng = np.random.default_rng(seed)
    expected, tolerance = 0.0, 0.0
    for layer, wd in zip(layers, wds, strict=True):
        w = rng.normal(size=(3, 3)).astype(np.float32)
        layer.kernel.assign(w)
        if wd is not None:
            expected += wd * float(np.sum(f64(w) ** 2))
            tolerance += penalty_tolerance(wd, w)
    entries = penalties(model)
    k = sum(wd is not None for wd in wds)
    assert (
        len(entries) == k
    )  # one entry per regularized layer, a shared layer once
    total = sum(float(p) for p in entries)
    assert abs(total - expected) <= tolerance + gamma(k) * expected


@pytest.mark.parametrize("k", KERASES)
@configured
@given(
    style=st.sampled_from(["sequential", "functional", "nested", "shared"]),
    wds=st.lists(st.one_of(st.none(), positive_wd), min_size=1, max_size=4),
    seed=st.integers(0, 2**16),
)
def test_model_penalties_sum_over_regularized_layers(k, style, wds, seed):
    """k regularized layers give k entries summing to sum_i wd_i * ||W_i||^2."""
    check_model_penalties(keras_named(k), style, wds, seed)


# --8<-- [end:model]


# --- 3. laziness --------------------------------------------------------------

# --8<-- [start:lazy]


def check_lazy(lib, w_old, w_new, wd, regularizer=keras_l2):
    layer = lib.layers.Dense(
        w_old.shape[1], kernel_regularizer=regularizer(lib, wd)
    )
    layer.build((None, w_old.shape[0]))
    layer.kernel.assign(w_old)
    _ = [float(p) for p in layer.losses]  # read once with the old weights
    layer.kernel.assign(w_new)  # no forward pass
    penalty = sum(float(p) for p in layer.losses)
    reference = wd * float(np.sum(f64(w_new) ** 2))
    assert abs(penalty - reference) <= penalty_tolerance(wd, w_new)


@st.composite
def kernel_pairs(draw):
    w_old = draw(kernels(max_side=8, elements=moderate_values))
    w_new = draw(arrays(np.float32, w_old.shape, elements=moderate_values))
    return w_old, w_new


@pytest.mark.parametrize("k", KERASES)
@configured
@given(pair=kernel_pairs(), wd=positive_wd)
def test_penalty_reflects_assigned_weights_without_forward_pass(k, pair, wd):
    """After kernel.assign(new), and no call, `.losses` is computed from new."""
    check_lazy(keras_named(k), *pair, wd)


# --8<-- [end:lazy]


# --- 4. gradient --------------------------------------------------------------

# --8<-- [start:gradient]


def check_penalty_gradient(lib, w, wd, regularizer=keras_l2):
    layer = lib.layers.Dense(
        w.shape[1], kernel_regularizer=regularizer(lib, wd)
    )
    layer.build((None, w.shape[0]))
    layer.kernel.assign(w)
    with tf.GradientTape() as tape:
        penalty = tf.add_n(layer.losses)
    grad_kernel, grad_bias = tape.gradient(penalty, [layer.kernel, layer.bias])
    expected = 2 * wd * f64(w)
    # d(wd * sum(w**2))/dw: the upstream wd (<= u when rounded to float32),
    # times 2w (exact), one product (<= u), plus an absolute 2**-126 where a
    # result is flushed to zero. A weight that is itself subnormal (|w| <
    # 2**-126) is read as zero by the CPU kernels, losing up to 2 * wd * 2**-126
    # (found by the `thorough` profile with w = 2.35e-39, wd = 3).
    tolerance = gamma(3) * np.abs(expected) + TINY32 + 2 * wd * TINY32
    assert np.all(np.abs(f64(grad_kernel) - expected) <= tolerance)
    assert (
        grad_bias is None
    )  # no bias_regularizer: the penalty does not depend on the bias


@pytest.mark.parametrize("k", KERASES)
@configured
@given(w=kernels(max_side=16), wd=wd_values)
def test_penalty_gradient_is_2_wd_w(k, w, wd):
    """The tape's gradient of the penalty is 2 * wd * W for the kernel, nothing
    for the bias."""
    check_penalty_gradient(keras_named(k), w, wd)


# --8<-- [end:gradient]


# --- 5. update equivalence ----------------------------------------------------

# --8<-- [start:sgd]


def sgd_step(lib, w, x, y, lr, wd, penalty, regularizer=keras_l2):
    """One SGD step on mean squared error; returns (new kernel, W before, data
    gradient)."""
    kernel_reg = regularizer(lib, wd) if penalty else None
    layer = lib.layers.Dense(w.shape[1], kernel_regularizer=kernel_reg)
    layer.build((None, w.shape[0]))
    layer.kernel.assign(w)
    if penalty:
        optimizer = lib.optimizers.SGD(learning_rate=lr)
    else:
        optimizer = lib.optimizers.SGD(learning_rate=lr, weight_decay=2 * wd)
        optimizer.exclude_from_weight_decay(var_names=["bias"])
    with tf.GradientTape(persistent=True) as tape:
        data_loss = tf.reduce_mean((layer(x) - y) ** 2)
        loss = data_loss + sum(layer.losses)
    grad_data = tape.gradient(data_loss, layer.kernel)
    grads = tape.gradient(loss, layer.trainable_variables)
    optimizer.apply_gradients(
        zip(grads, layer.trainable_variables, strict=True)
    )
    return f64(layer.kernel), f64(w), f64(grad_data)


def update_tolerance(w, grad, lr, wd):
    # W - lr * (g + 2 wd W): the product 2 wd W and the sum (<= 2u of |g| + 2 wd
    # |W|), the product with lr (<= u) and the subtraction (<= u of the result):
    # gamma_4 of all the magnitudes involved, plus flushed subnormals.
    return (
        gamma(4) * (np.abs(w) + lr * (np.abs(grad) + 2 * wd * np.abs(w)))
        + 4 * TINY32
    )


@st.composite
def regression_batches(draw):
    w = draw(kernels(max_side=6, elements=moderate_values))
    batch = draw(st.integers(1, 8))
    x = draw(arrays(np.float32, (batch, w.shape[0]), elements=moderate_values))
    y = draw(arrays(np.float32, (batch, w.shape[1]), elements=moderate_values))
    return w, x, y


def check_sgd_update(lib, batch, lr, wd, regularizer=keras_l2):
    w_l2, w, grad = sgd_step(
        lib, *batch, lr, wd, penalty=True, regularizer=regularizer
    )
    decayed = (1 - 2 * lr * wd) * w - lr * grad
    tolerance = update_tolerance(w, grad, lr, wd)
    assert np.all(np.abs(w_l2 - decayed) <= tolerance)
    w_decay, _, _ = sgd_step(lib, *batch, lr, wd, penalty=False)
    assert np.all(np.abs(w_decay - decayed) <= tolerance)


@pytest.mark.parametrize("k", KERASES)
@configured
@given(batch=regression_batches(), lr=learning_rates, wd=st.floats(0, 1.0))
def test_sgd_step_with_l2_decays_the_weights(k, batch, lr, wd):
    """One SGD step with l2(wd) is (1 - 2 lr wd) W - lr dL/dW, and equals
    SGD(weight_decay=2 wd)."""
    check_sgd_update(keras_named(k), batch, lr, wd)


# --8<-- [end:sgd]


# --- 6. non-equivalence for Adam ----------------------------------------------

# --8<-- [start:adam]


def adam_step(lib, w, lr, lam, decoupled):
    """One Adam step with zero data gradient: only the decay mechanism moves the
    weights."""
    reg = None if decoupled else lib.regularizers.l2(lam / 2)
    layer = lib.layers.Dense(w.shape[1], use_bias=False, kernel_regularizer=reg)
    layer.build((None, w.shape[0]))
    layer.kernel.assign(w)
    optimizer = lib.optimizers.Adam(
        learning_rate=lr, weight_decay=lam if decoupled else None
    )
    with tf.GradientTape() as tape:
        loss = 0.0 * tf.reduce_sum(layer(tf.ones((1, w.shape[0])))) + sum(
            layer.losses
        )
    grad = tape.gradient(loss, layer.kernel)
    optimizer.apply_gradients([(grad, layer.kernel)])
    return f64(layer.kernel)


def check_adam_differs(
    lib, w, lr, lam, l2_step=adam_step, decoupled_step=adam_step
):
    """The class of cases where the two must differ, and by how much.

    With zero data gradient, Adam's first step divides the penalty gradient lam
    * w by its own magnitude: the L2 run moves each weight by lr * lam*w /
    (lam*|w| + eps'), about lr, whatever w is (eps' is Adam's epsilon rescaled
    by the bias correction, about 3e-6). Decoupled decay moves it by lr * lam *
    w. Where 1e-3 <= lam*|w| <= 0.5 the L2 move is at least 0.996 lr and the
    decoupled one at most 0.5 lr, so the two new weights differ by at least 0.49
    lr, far above the float32 error of either (a few u of |w| + lr <= 1e-4 for
    the drawn ranges).
    """
    w_l2 = l2_step(lib, w, lr, lam, decoupled=False)
    w_decoupled = decoupled_step(lib, w, lr, lam, decoupled=True)
    in_class = (np.abs(lam * f64(w)) >= 1e-3) & (np.abs(lam * f64(w)) <= 0.5)
    assert in_class.any()
    assert np.all(np.abs(w_l2 - w_decoupled)[in_class] >= 0.49 * lr)


@st.composite
def adam_cases(draw):
    """(w, lr, lam) with at least one weight in the class 1e-3 <= lam*|w| <=
    0.5."""
    lam = draw(st.floats(0.01, 1.0))
    w = draw(kernels(max_side=4, elements=st.floats(-5, 5, width=32)))
    sign = draw(st.sampled_from([-1.0, 1.0]))
    # 2e-3 and 0.49 keep a margin inside [1e-3, 0.5] for float32 rounding.
    in_class = sign * draw(st.floats(2e-3, 0.49)) / lam
    w[
        draw(st.integers(0, w.shape[0] - 1)),
        draw(st.integers(0, w.shape[1] - 1)),
    ] = in_class
    return w, draw(st.floats(1e-3, 0.1)), lam


@pytest.mark.parametrize("k", KERASES)
@configured
@given(case=adam_cases())
def test_adam_l2_penalty_is_not_decoupled_weight_decay(k, case):
    """With Adam, l2(lam / 2) and weight_decay=lam give different updates (see
    the check)."""
    check_adam_differs(keras_named(k), *case)


# --8<-- [end:adam]


# --- 7. the list-add pitfall --------------------------------------------------

# --8<-- [start:list-add]


def list_add(data_loss, losses):
    return data_loss + losses  # the pitfall: a scalar plus a Python list


def check_list_add(lib, wds, seed, combine=list_add):
    """k must be a power of two: then multiplying by k is exact in binary
    floating point, the backward pass (linear in its upstream gradient) scales
    exactly, and the data part of the gradient is exactly k times the data
    gradient. The kernel gradient adds the penalty's 2 wd W with one rounding
    (<= u), the penalty gradient itself carries gamma_3 (see property 4)."""
    model, layers = build_model(lib, "sequential", wds)
    x = tf.constant(np.random.default_rng(seed).normal(size=(4, 3)), tf.float32)
    with tf.GradientTape(persistent=True) as tape:
        data_loss = tf.reduce_mean(model(x) ** 2)
        loss = combine(data_loss, model.losses)
    variables = model.trainable_variables
    g_total = tape.gradient(loss, variables)
    g_data = tape.gradient(data_loss, variables)
    k = len(wds)
    grads = {
        id(v): (f64(gt), f64(gd))
        for v, gt, gd in zip(variables, g_total, g_data, strict=True)
    }
    for layer, wd in zip(layers, wds, strict=True):
        gt, gd = grads[id(layer.bias)]
        assert np.all(
            np.abs(gt - k * gd) <= TINY32
        )  # no penalty on the bias: exactly k times
        gt, gd = grads[id(layer.kernel)]
        penalty_grad = 2 * wd * f64(layer.kernel)
        tolerance = gamma(4) * (k * np.abs(gd) + np.abs(penalty_grad)) + TINY32
        assert np.all(np.abs(gt - (k * gd + penalty_grad)) <= tolerance)


@pytest.mark.parametrize("k", KERASES)
@configured
@given(
    wds=st.sampled_from([1, 2, 4]).flatmap(
        lambda k: st.lists(positive_wd, min_size=k, max_size=k)
    ),
    seed=st.integers(0, 2**16),
)
def test_list_add_multiplies_the_data_gradient_by_k(k, wds, seed):
    """Gradient of `loss + net.losses`: k * data gradient + penalty gradients"""
    check_list_add(keras_named(k), wds, seed)


# --8<-- [end:list-add]


# --- 8. outside the tape ------------------------------------------------------

# --8<-- [start:outside-tape]


def read_outside(model, x):
    penalty = tf.add_n(model.losses)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(x) ** 2) + penalty
    return tape, loss


def check_outside_tape(lib, wd, seed, step=read_outside):
    model, _ = build_model(lib, "sequential", [wd])
    x = tf.constant(np.random.default_rng(seed).normal(size=(4, 3)), tf.float32)
    tape, loss = step(model, x)
    g_total = tape.gradient(loss, model.trainable_variables)
    with tf.GradientTape() as tape:
        data_loss = tf.reduce_mean(model(x) ** 2)
    g_data = tape.gradient(data_loss, model.trainable_variables)
    for gt, gd in zip(g_total, g_data, strict=True):
        assert np.array_equal(
            gt.numpy(), gd.numpy()
        )  # exactly: the penalty adds nothing


@pytest.mark.parametrize("k", KERASES)
@configured
@given(wd=positive_wd, seed=st.integers(0, 2**16))
def test_penalty_read_outside_the_tape_adds_no_gradient(k, wd, seed):
    """A penalty read before the tape opens adds exactly nothing to the
    gradient."""
    check_outside_tape(keras_named(k), wd, seed)


# --8<-- [end:outside-tape]


# --- 9. activity regularizer --------------------------------------------------

# --8<-- [start:activity]


def check_activity(lib, batches, l2, regularizer=keras_l2):
    layer = lib.layers.Dense(3, activity_regularizer=regularizer(lib, l2))
    layer.build((None, batches[0].shape[1]))
    for x in batches:  # each call replaces the previous penalty
        out = f64(layer(x))
        assert len(layer.losses) == 1
        reference = l2 * float(np.sum(out**2)) / x.shape[0]
        # Relative: the sum of squares and the product and quotient
        # (gamma_{n+4}, plus gamma_8 for the outputs themselves, which Keras
        # recomputes). Absolute: each square may be flushed to zero (l2 * n *
        # 2**-126), and so may the final product and the quotient (2 * 2**-126:
        # found by the `thorough` profile with batches [[0.]], [[2.36e-18]] and
        # l2 = 1/512, where the exact value 9.9e-39 is subnormal and TensorFlow
        # returns 0).
        tolerance = (
            gamma(out.size + 4) * reference
            + l2 * out.size * TINY32
            + 2 * TINY32
        )
        assert (
            abs(float(layer.losses[0]) - reference)
            <= tolerance + gamma(8) * reference
        )


@st.composite
def activity_batches(draw):
    n_in = draw(st.integers(1, 6))
    sizes = draw(st.lists(st.integers(1, 8), min_size=2, max_size=3))
    return [
        draw(arrays(np.float32, (b, n_in), elements=moderate_values))
        for b in sizes
    ]


@pytest.mark.parametrize("k", KERASES)
@configured
@given(batches=activity_batches(), l2=positive_wd)
def test_activity_penalty_is_recomputed_per_call_and_divided_by_batch(
    k, batches, l2
):
    """activity_regularizer=l2(c): after each call, one term c * sum(out**2) /
    batch_size."""
    check_activity(keras_named(k), batches, l2)


# --8<-- [end:activity]


# --- 10. fit / evaluate -------------------------------------------------------

# --8<-- [start:fit]


@pytest.mark.parametrize("k", KERASES)
@slow
@given(batch=regression_batches(), wd=positive_wd)
def test_reported_loss_is_data_loss_plus_penalties(k, batch, wd):
    """fit (lr = 0, one batch) and evaluate report mse + sum(model.losses)."""
    lib = keras_named(k)
    w, x, y = batch
    model = lib.Sequential(
        [
            lib.layers.Dense(
                w.shape[1], kernel_regularizer=lib.regularizers.l2(wd)
            )
        ]
    )
    model.build((None, w.shape[0]))
    model.layers[0].kernel.assign(w)
    model.compile(optimizer=lib.optimizers.SGD(learning_rate=0.0), loss="mse")
    fit_loss = model.fit(x, y, batch_size=len(x), epochs=1, verbose=0).history[
        "loss"
    ][0]
    eval_loss = model.evaluate(x, y, batch_size=len(x), verbose=0)
    out = f64(model(x))
    mse = float(np.mean((out - f64(y)) ** 2))
    penalty = wd * float(np.sum(f64(w) ** 2))
    # The forward pass (a matmul of length n_in, an add), the squared errors and
    # their mean (a sum over the batch), the penalty, the final add: gamma of
    # all those operations, relative to the magnitudes summed (|out| and |y| can
    # cancel in out - y).
    n = x.size + y.size + w.size + 8
    scale = float(np.mean((np.abs(out) + np.abs(f64(y))) ** 2)) + penalty
    for reported in (fit_loss, eval_loss):
        assert abs(reported - (mse + penalty)) <= gamma(n) * 4 * scale + TINY32


# --8<-- [end:fit]


# --- 11. the two Kerases agree ------------------------------------------------

# --8<-- [start:kerases-agree]


@configured
@given(case=regularized_weights(), wd=wd_values)
def test_keras3_and_tf_keras_give_the_same_penalty(case, wd):
    """Keras 3 and tf-keras give the same penalty for the same weights."""
    keras_named("tf-keras")
    kind, weight_shape, input_shape, values = case
    penalties = []
    for lib in (keras, tf_keras):
        layer, attr = make_regularized_layer(
            lib, kind, weight_shape, lib.regularizers.l2(wd)
        )
        layer.build(input_shape)
        getattr(layer, attr).assign(values)
        penalties.append(float(sum(layer.losses)))
    assert abs(penalties[0] - penalties[1]) <= 2 * penalty_tolerance(wd, values)


# --8<-- [end:kerases-agree]


# --- 12. invalid strengths ----------------------------------------------------

# --8<-- [start:invalid]

bad_values = st.one_of(
    st.floats(
        min_value=-1e30, max_value=-1e-12
    ),  # negative; 4 * value stays a finite float32
    st.just(-math.inf),
    st.just(math.nan),
    st.just(math.inf),
)


@pytest.mark.parametrize("k", KERASES)
@configured
@given(value=bad_values)
def test_invalid_strength(k, value):
    """Keras 3 rejects negative, NaN and inf; tf-keras rejects NaN and inf,
    accepts a finite negative."""
    lib = keras_named(k)
    accepted_by_tf_keras = k == "tf-keras" and math.isfinite(value)
    if accepted_by_tf_keras:
        regularizer = lib.regularizers.l2(value)
        # value * sum(ones((2, 2))**2) = 4 * value: a float32 rounding of value
        # and one product (2u)
        assert float(regularizer(tf.ones((2, 2)))) == pytest.approx(
            4 * value, rel=float(4 * U32)
        )
    else:
        with pytest.raises(ValueError):
            lib.regularizers.l2(value)


# --8<-- [end:invalid]


# --- 13. custom training code -------------------------------------------------

# --8<-- [start:custom]


def compute_loss_model(lib):
    """A Sequential whose own train_step gets its loss from compute_loss."""

    class ComputeLossStep(lib.Sequential):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(
                zip(grads, self.trainable_variables, strict=True)
            )
            return {"loss": loss}

    return ComputeLossStep


@pytest.mark.parametrize("k", KERASES)
@slow
@given(batch=regression_batches(), wd=positive_wd, lr=learning_rates)
def test_custom_train_step_with_compute_loss_matches_fit(k, batch, wd, lr):
    """A train_step using self.compute_loss trains as Keras' own train_step."""
    lib = keras_named(k)
    w, x, y = batch
    kernels = []
    for cls in (lib.Sequential, compute_loss_model(lib)):
        reg = lib.regularizers.l2(wd)
        model = cls([lib.layers.Dense(w.shape[1], kernel_regularizer=reg)])
        model.build((None, w.shape[0]))
        model.layers[0].kernel.assign(w)
        model.layers[0].bias.assign(np.zeros(w.shape[1], np.float32))
        model.compile(
            optimizer=lib.optimizers.SGD(learning_rate=lr), loss="mse"
        )
        model.fit(x, y, batch_size=len(x), epochs=1, verbose=0, shuffle=False)
        kernels.append(f64(model.layers[0].kernel))
    # The same operations on the same float32 values in the same order: equal.
    assert np.array_equal(kernels[0], kernels[1])


@pytest.mark.parametrize("k", KERASES)
@configured
@given(pair=kernel_pairs(), wd=positive_wd)
def test_traced_penalty_equals_eager_penalty_for_any_weights(k, pair, wd):
    """A tf.function traced once returns the eager penalty for new weights."""
    lib = keras_named(k)
    w_old, w_new = pair
    reg = lib.regularizers.l2(wd)
    layer = lib.layers.Dense(w_old.shape[1], kernel_regularizer=reg)
    layer.build((None, w_old.shape[0]))
    layer.kernel.assign(w_old)
    traced = tf.function(lambda: tf.add_n(layer.losses))
    traced()  # traced with the old weights
    layer.kernel.assign(w_new)
    reference = wd * float(np.sum(f64(w_new) ** 2))
    assert abs(float(traced()) - reference) <= penalty_tolerance(wd, w_new)
    assert float(traced()) == float(tf.add_n(layer.losses))  # same ops


@pytest.mark.parametrize("k", KERASES)
@configured
@given(w=kernels(max_side=16, elements=moderate_values), wd=positive_wd)
def test_weight_penalty_stays_float32_under_mixed_precision(k, w, wd):
    """Under mixed_float16 a weight penalty is float32, wd * sum(w**2)."""
    lib = keras_named(k)
    reg = lib.regularizers.l2(wd)
    layer = lib.layers.Dense(
        w.shape[1], kernel_regularizer=reg, dtype="mixed_float16"
    )
    layer.build((None, w.shape[0]))
    layer.kernel.assign(w)
    (penalty,) = layer.losses
    assert penalty.dtype == tf.float32
    reference = wd * float(np.sum(f64(w) ** 2))
    assert abs(float(penalty) - reference) <= penalty_tolerance(wd, w)


# --8<-- [end:custom]


# --- 14. decoupled decay: which variables ------------------------------------

# --8<-- [start:decoupled]


@pytest.mark.parametrize("k", KERASES)
@configured
@given(
    lr=learning_rates,
    wd=st.floats(1e-3, 0.9),
    excluded=st.lists(st.booleans(), min_size=4, max_size=4),
    seed=st.integers(0, 2**16),
)
def test_weight_decay_scales_exactly_the_variables_not_excluded(
    k, lr, wd, excluded, seed
):
    """With zero gradients, SGD(weight_decay=wd) multiplies each variable not
    excluded by 1 - lr * wd and leaves each excluded one unchanged."""
    lib = keras_named(k)
    model = lib.Sequential([lib.layers.Dense(3), lib.layers.Dense(2)])
    model.build((None, 3))
    variables = model.trainable_variables  # 2 kernels, 2 biases
    rng = np.random.default_rng(seed)
    for v in variables:
        v.assign(rng.normal(size=v.shape).astype(np.float32))
    before = [f64(v) for v in variables]
    optimizer = lib.optimizers.SGD(learning_rate=lr, weight_decay=wd)
    skip = [v for v, out in zip(variables, excluded, strict=True) if out]
    optimizer.exclude_from_weight_decay(var_list=skip)
    zeros = [tf.zeros_like(v) for v in variables]
    optimizer.apply_gradients(zip(zeros, variables, strict=True))
    for v, w, out in zip(variables, before, excluded, strict=True):
        if out:
            assert np.array_equal(f64(v), w)
        else:
            # Keras computes w - (w * wd') * lr' with wd', lr' rounded to
            # float32: the subtrahend carries gamma_4 (two roundings of the
            # factors, two products), the subtraction u; with lr * wd <= 0.9
            # that is <= (0.9 * 4 + 1.9) u |w| < gamma_6 |w|, plus a flushed
            # subnormal.
            expected = w * (1 - lr * wd)
            tolerance = gamma(6) * np.abs(w) + TINY32
            assert np.all(np.abs(f64(v) - expected) <= tolerance)


# --8<-- [end:decoupled]


def test_tolerance_is_not_vacuous():
    """The bound is tight enough to catch the classic mistake: a penalty with
    the book's 1/2."""
    w = np.full((64, 64), 3.0, np.float32)
    wd = 0.01
    exact = wd * float(np.sum(w.astype(np.float64) ** 2))
    assert (
        penalty_tolerance(wd, w) < 1e-3 * exact
    )  # a factor-of-2 error is 500 times larger


# `--mutant NAME` / WEIGHT_DECAY_CHECKS_MUTANT: a deliberately wrong
# `regularizers.l2` in place of Keras' own for this run
# (weight_decay_checks.mutants), to see the properties fail.
MUTANT = mutants.patch_from_environment(
    [lib for lib in KERASES.values() if lib is not None]
)
