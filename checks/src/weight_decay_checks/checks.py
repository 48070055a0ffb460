"""The checks behind the properties: each builds the piece of Keras under test
from drawn values, computes an independent float64 reference, and asserts
that Keras agrees within a derived float32 bound (`bounds`).

Each check takes the Keras to run under (`lib`: `keras` or `tf_keras`) and
the drawn values; `test_properties` draws them. The pieces a check relies on
(`lib.regularizers.l2`, and the module-level functions `model_losses`,
`list_add`, `read_outside`, `decoupled_adam_step`, `train_step_loss`) are
looked up when the check runs, so that `mutants.applied` can put a wrong
version in their place and show that the property fails.

Importing this module imports TensorFlow and nothing else happens.
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

from weight_decay_checks.bounds import (
    TINY32,
    U32,
    activity_tolerance,
    decay_tolerance,
    f64,
    gamma,
    gradient_tolerance,
    l1l2_tolerance,
    list_add_tolerance,
    penalty_tolerance,
    reported_loss_tolerance,
    update_tolerance,
)

# --- the pieces under test (mutants.applied replaces them) -------------------


def model_losses(model):
    """How a training loop collects the penalties: all of `model.losses`."""
    return model.losses


def list_add(data_loss, losses):
    """The pitfall the list-add property describes: a scalar plus a list."""
    return data_loss + losses


def read_outside(model, x):
    """The pitfall the outside-the-tape property describes."""
    penalty = tf.add_n(model.losses)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(x) ** 2) + penalty
    return tape, loss


def train_step_loss(model, x, y, y_pred):
    """The loss a custom train_step takes its gradient of."""
    return model.compute_loss(x=x, y=y, y_pred=y_pred)


# --- layers and models -------------------------------------------------------


def regularized_layer(lib, kind, weight_shape, regularizer):
    """A layer of `kind` with `regularizer` on the weight the property draws;
    returns the layer and that weight's attribute name."""
    out = weight_shape[-1]
    if kind == "dense-kernel":
        return lib.layers.Dense(out, kernel_regularizer=regularizer), "kernel"
    if kind == "dense-bias":
        return lib.layers.Dense(out, bias_regularizer=regularizer), "bias"
    if kind == "conv1d":
        conv = lib.layers.Conv1D(
            out, weight_shape[0], kernel_regularizer=regularizer
        )
        return conv, "kernel"
    if kind == "conv2d":
        conv = lib.layers.Conv2D(
            out, weight_shape[0], kernel_regularizer=regularizer
        )
        return conv, "kernel"
    embedding = lib.layers.Embedding(
        weight_shape[0], weight_shape[1], embeddings_regularizer=regularizer
    )
    return embedding, "embeddings"


def build_model(lib, style, wds):
    """A model with one Dense per wd (None: unregularized) in the given style,
    and its layers. "nested" puts the layers in a Sequential inside a
    functional model; "shared" calls the first layer twice (it is square so
    that it can), which must still count once."""
    layers = [
        lib.layers.Dense(
            3,
            kernel_regularizer=None if wd is None else lib.regularizers.l2(wd),
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


# --8<-- [start:value]
# --8<-- [start:dense-l2]
def check_dense_penalty(lib, w, wd):
    """`sum(layer.losses)` of Dense(kernel_regularizer=l2(wd)) is wd *
    sum(w**2), in one entry."""
    layer = lib.layers.Dense(
        w.shape[1], kernel_regularizer=lib.regularizers.l2(wd)
    )
    layer.build((None, w.shape[0]))
    layer.kernel.assign(w)
    penalty = sum(float(p) for p in layer.losses)
    reference = wd * float(np.sum(f64(w) ** 2))  # float64, not Keras
    assert len(layer.losses) == 1  # one regularized weight, one entry
    assert abs(penalty - reference) <= penalty_tolerance(wd, w)


# --8<-- [end:dense-l2]
def check_penalty_value(lib, case, wd):
    """The same for every kind of regularized weight."""
    kind, weight_shape, input_shape, values = case
    layer, attr = regularized_layer(
        lib, kind, weight_shape, lib.regularizers.l2(wd)
    )
    layer.build(input_shape)
    getattr(layer, attr).assign(values)
    penalty = sum(float(p) for p in layer.losses)
    reference = wd * float(np.sum(f64(values) ** 2))
    assert len(layer.losses) == 1
    assert abs(penalty - reference) <= penalty_tolerance(wd, values)


def check_l1l2(lib, w, l1, l2):
    """L1L2(l1, l2) gives l1 * sum|w| + l2 * sum(w**2)."""
    reg = lib.regularizers.L1L2(l1=l1, l2=l2)
    layer = lib.layers.Dense(w.shape[1], kernel_regularizer=reg)
    layer.build((None, w.shape[0]))
    layer.kernel.assign(w)
    l1_part = l1 * float(np.sum(np.abs(f64(w))))
    reference = l1_part + l2 * float(np.sum(f64(w) ** 2))
    error = abs(float(sum(layer.losses)) - reference)
    assert error <= l1l2_tolerance(l1, l2, w)


# --8<-- [end:value]


# --8<-- [start:model]
def check_model_penalties(lib, style, wds, seed):
    """k regularized layers give k entries summing to sum_i wd_i ||W_i||^2."""
    model, layers = build_model(lib, style, wds)
    rng = np.random.default_rng(seed)
    expected, tolerance = 0.0, 0.0
    for layer, wd in zip(layers, wds, strict=True):
        w = rng.normal(size=(3, 3)).astype(np.float32)
        layer.kernel.assign(w)
        if wd is not None:
            expected += wd * float(np.sum(f64(w) ** 2))
            tolerance += penalty_tolerance(wd, w)
    entries = model_losses(model)
    k = sum(wd is not None for wd in wds)
    assert len(entries) == k  # one per regularized layer, a shared one once
    total = sum(float(p) for p in entries)
    assert abs(total - expected) <= tolerance + gamma(k) * expected


# --8<-- [end:model]


# --8<-- [start:lazy]
def check_lazy(lib, w_old, w_new, wd):
    """After kernel.assign(new), and no call, `.losses` is computed from new."""
    reg = lib.regularizers.l2(wd)
    layer = lib.layers.Dense(w_old.shape[1], kernel_regularizer=reg)
    layer.build((None, w_old.shape[0]))
    layer.kernel.assign(w_old)
    _ = [float(p) for p in layer.losses]  # read once with the old weights
    layer.kernel.assign(w_new)  # no forward pass
    penalty = sum(float(p) for p in layer.losses)
    reference = wd * float(np.sum(f64(w_new) ** 2))
    assert abs(penalty - reference) <= penalty_tolerance(wd, w_new)


# --8<-- [end:lazy]


# --8<-- [start:gradient]
def check_penalty_gradient(lib, w, wd):
    """The tape's gradient of the penalty is 2 * wd * W for the kernel, and
    nothing for the unregularized bias."""
    reg = lib.regularizers.l2(wd)
    layer = lib.layers.Dense(w.shape[1], kernel_regularizer=reg)
    layer.build((None, w.shape[0]))
    layer.kernel.assign(w)
    with tf.GradientTape() as tape:
        penalty = tf.add_n(layer.losses)
    grad_kernel, grad_bias = tape.gradient(penalty, [layer.kernel, layer.bias])
    expected = 2 * wd * f64(w)
    error = np.abs(f64(grad_kernel) - expected)
    assert np.all(error <= gradient_tolerance(wd, expected))
    assert grad_bias is None  # the penalty does not depend on the bias


# --8<-- [end:gradient]


# --8<-- [start:sgd]
def sgd_step(lib, w, x, y, lr, wd, penalty):
    """One SGD step on mean squared error, with l2(wd) (penalty) or with
    SGD(weight_decay=2 wd) and the bias excluded; returns (new kernel, W before,
    data gradient)."""
    reg = lib.regularizers.l2(wd) if penalty else None
    layer = lib.layers.Dense(w.shape[1], kernel_regularizer=reg)
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
    variables = layer.trainable_variables
    grads = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(grads, variables, strict=True))
    return f64(layer.kernel), f64(w), f64(grad_data)


def check_sgd_update(lib, batch, lr, wd):
    """One SGD step with l2(wd) is (1 - 2 lr wd) W - lr dL/dW, and so is one
    with SGD(weight_decay=2 wd), biases excluded."""
    w_l2, w, grad = sgd_step(lib, *batch, lr, wd, penalty=True)
    decayed = (1 - 2 * lr * wd) * w - lr * grad
    tolerance = update_tolerance(w, grad, lr, wd)
    assert np.all(np.abs(w_l2 - decayed) <= tolerance)
    w_decay, _, _ = sgd_step(lib, *batch, lr, wd, penalty=False)
    assert np.all(np.abs(w_decay - decayed) <= tolerance)


# --8<-- [end:sgd]


# --8<-- [start:adam]
def adam_step(lib, w, lr, lam, decoupled):
    """One Adam step with zero data gradient: only the decay mechanism moves
    the weights, l2(lam / 2) or weight_decay=lam."""
    reg = None if decoupled else lib.regularizers.l2(lam / 2)
    layer = lib.layers.Dense(w.shape[1], use_bias=False, kernel_regularizer=reg)
    layer.build((None, w.shape[0]))
    layer.kernel.assign(w)
    optimizer = lib.optimizers.Adam(
        learning_rate=lr, weight_decay=lam if decoupled else None
    )
    with tf.GradientTape() as tape:
        data = 0.0 * tf.reduce_sum(layer(tf.ones((1, w.shape[0]))))
        loss = data + sum(layer.losses)
    grad = tape.gradient(loss, layer.kernel)
    optimizer.apply_gradients([(grad, layer.kernel)])
    return f64(layer.kernel)


def decoupled_adam_step(lib, w, lr, lam):
    """Adam with weight_decay=lam (the piece the Adam property checks)."""
    return adam_step(lib, w, lr, lam, decoupled=True)


def check_adam_differs(lib, w, lr, lam):
    """The class of cases where the two must differ, and by how much.

    With zero data gradient, Adam's first step divides the penalty gradient
    lam * w by its own magnitude: the L2 run moves each weight by
    lr * lam*w / (lam*|w| + eps'), about lr, whatever w is (eps' is Adam's
    epsilon rescaled by the bias correction, about 3e-6). Decoupled decay
    moves it by lr * lam * w. Where 1e-3 <= lam*|w| <= 0.5 the L2 move is at
    least 0.996 lr and the decoupled one at most 0.5 lr, so the two new
    weights differ by at least 0.49 lr, far above the float32 error of either
    (a few u of |w| + lr <= 1e-4 for the drawn ranges).
    """
    w_l2 = adam_step(lib, w, lr, lam, decoupled=False)
    w_decoupled = decoupled_adam_step(lib, w, lr, lam)
    scaled = np.abs(lam * f64(w))
    in_class = (scaled >= 1e-3) & (scaled <= 0.5)
    assert in_class.any()
    assert np.all(np.abs(w_l2 - w_decoupled)[in_class] >= 0.49 * lr)


# --8<-- [end:adam]


# --8<-- [start:list-add]
def check_list_add(lib, wds, seed):
    """The gradient of `loss + net.losses` is k times the data gradient plus
    the penalty gradients, for k regularized layers (k a power of two)."""
    model, layers = build_model(lib, "sequential", wds)
    rng = np.random.default_rng(seed)
    x = tf.constant(rng.normal(size=(4, 3)), tf.float32)
    with tf.GradientTape(persistent=True) as tape:
        data_loss = tf.reduce_mean(model(x) ** 2)
        loss = list_add(data_loss, model.losses)
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
        assert np.all(np.abs(gt - k * gd) <= TINY32)  # no penalty: exactly k
        gt, gd = grads[id(layer.kernel)]
        penalty_grad = 2 * wd * f64(layer.kernel)
        tolerance = list_add_tolerance(k, gd, penalty_grad)
        assert np.all(np.abs(gt - (k * gd + penalty_grad)) <= tolerance)


# --8<-- [end:list-add]


# --8<-- [start:outside-tape]
def check_outside_tape(lib, wd, seed):
    """A penalty read before the tape opens adds exactly nothing to the
    gradient."""
    model, _ = build_model(lib, "sequential", [wd])
    rng = np.random.default_rng(seed)
    x = tf.constant(rng.normal(size=(4, 3)), tf.float32)
    tape, loss = read_outside(model, x)
    g_total = tape.gradient(loss, model.trainable_variables)
    with tf.GradientTape() as tape:
        data_loss = tf.reduce_mean(model(x) ** 2)
    g_data = tape.gradient(data_loss, model.trainable_variables)
    for gt, gd in zip(g_total, g_data, strict=True):
        assert np.array_equal(gt.numpy(), gd.numpy())  # exactly: bit for bit


# --8<-- [end:outside-tape]


# --8<-- [start:activity]
def check_activity(lib, batches, c, divided=True):
    """activity_regularizer=l2(c): after each call, one term c * sum(out**2)
    / batch size, for that call's batch (`divided=False`: Keras 3 before 3.14,
    c * sum(out**2), differences.py)."""
    layer = lib.layers.Dense(3, activity_regularizer=lib.regularizers.l2(c))
    layer.build((None, batches[0].shape[1]))
    for x in batches:  # each call replaces the previous penalty
        out = f64(layer(x))
        assert len(layer.losses) == 1
        reference = c * float(np.sum(out**2)) / (x.shape[0] if divided else 1)
        error = abs(float(layer.losses[0]) - reference)
        assert error <= activity_tolerance(reference, out, c)


# --8<-- [end:activity]


# --8<-- [start:fit]
def check_reported_loss(lib, batch, wd):
    """fit (learning rate 0, one batch) and evaluate report the data loss
    plus sum(model.losses)."""
    w, x, y = batch
    reg = lib.regularizers.l2(wd)
    model = lib.Sequential(
        [lib.layers.Dense(w.shape[1], kernel_regularizer=reg)]
    )
    model.build((None, w.shape[0]))
    model.layers[0].kernel.assign(w)
    model.compile(optimizer=lib.optimizers.SGD(learning_rate=0.0), loss="mse")
    history = model.fit(x, y, batch_size=len(x), epochs=1, verbose=0)
    eval_loss = model.evaluate(x, y, batch_size=len(x), verbose=0)
    out = f64(model(x))
    mse = float(np.mean((out - f64(y)) ** 2))
    penalty = wd * float(np.sum(f64(w) ** 2))
    n_operations = x.size + y.size + w.size + 8
    scale = float(np.mean((np.abs(out) + np.abs(f64(y))) ** 2)) + penalty
    for reported in (history.history["loss"][0], eval_loss):
        error = abs(reported - (mse + penalty))
        assert error <= reported_loss_tolerance(n_operations, scale)


# --8<-- [end:fit]


# --8<-- [start:kerases-agree]
def check_kerases_agree(libs, case, wd):
    """Keras 3 and tf-keras give the same penalty for the same weights."""
    kind, weight_shape, input_shape, values = case
    penalties = []
    for lib in libs:
        reg = lib.regularizers.l2(wd)
        layer, attr = regularized_layer(lib, kind, weight_shape, reg)
        layer.build(input_shape)
        getattr(layer, attr).assign(values)
        penalties.append(float(sum(layer.losses)))
    gap = abs(penalties[0] - penalties[1])
    assert gap <= 2 * penalty_tolerance(wd, values)


# --8<-- [end:kerases-agree]


# --8<-- [start:invalid]
def check_invalid_strength(lib, value, accepted):
    """An invalid strength raises ValueError, unless `accepted` (tf-keras and
    a finite negative): then the regularizer computes value * sum(w**2)."""
    if accepted:
        # 4 * value: a float32 rounding of value and one product (2u).
        penalty = float(lib.regularizers.l2(value)(tf.ones((2, 2))))
        assert math.isclose(penalty, 4 * value, rel_tol=float(4 * U32))
        return
    try:
        lib.regularizers.l2(value)
    except ValueError:
        return
    raise AssertionError(f"l2({value}) was accepted")


# --8<-- [end:invalid]


# --8<-- [start:custom]
def custom_step_model(lib):
    """A Sequential whose own train_step takes its gradient of
    `train_step_loss` (by default `self.compute_loss`)."""

    class CustomStep(lib.Sequential):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = train_step_loss(self, x, y, y_pred)
            variables = self.trainable_variables
            grads = tape.gradient(loss, variables)
            self.optimizer.apply_gradients(zip(grads, variables, strict=True))
            return {"loss": loss}

    return CustomStep


def check_custom_train_step(lib, batch, wd, lr):
    """A train_step using self.compute_loss trains as Keras' own train_step:
    the same float32 operations in the same order, so the same kernel."""
    w, x, y = batch
    kernels = []
    for cls in (lib.Sequential, custom_step_model(lib)):
        reg = lib.regularizers.l2(wd)
        model = cls([lib.layers.Dense(w.shape[1], kernel_regularizer=reg)])
        model.build((None, w.shape[0]))
        model.layers[0].kernel.assign(w)
        model.layers[0].bias.assign(np.zeros(w.shape[1], np.float32))
        sgd = lib.optimizers.SGD(learning_rate=lr)
        model.compile(optimizer=sgd, loss="mse")
        model.fit(x, y, batch_size=len(x), epochs=1, verbose=0, shuffle=False)
        kernels.append(f64(model.layers[0].kernel))
    assert np.array_equal(kernels[0], kernels[1])


def check_traced_penalty(lib, w_old, w_new, wd):
    """A tf.function traced once returns the eager penalty for new weights."""
    reg = lib.regularizers.l2(wd)
    layer = lib.layers.Dense(w_old.shape[1], kernel_regularizer=reg)
    layer.build((None, w_old.shape[0]))
    layer.kernel.assign(w_old)
    traced = tf.function(lambda: tf.add_n(layer.losses))
    traced()  # traced with the old weights
    layer.kernel.assign(w_new)
    reference = wd * float(np.sum(f64(w_new) ** 2))
    assert abs(float(traced()) - reference) <= penalty_tolerance(wd, w_new)
    assert float(traced()) == float(tf.add_n(layer.losses))  # the same ops


def check_mixed_precision_penalty(lib, w, wd):
    """Under mixed_float16 a weight penalty is float32, wd * sum(w**2)."""
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


# --8<-- [start:decoupled]
def check_decayed_variables(lib, lr, wd, excluded, seed):
    """With zero gradients, SGD(weight_decay=wd) multiplies each variable not
    excluded by 1 - lr * wd and leaves each excluded one unchanged."""
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
            expected = w * (1 - lr * wd)
            assert np.all(np.abs(f64(v) - expected) <= decay_tolerance(w))


# --8<-- [end:decoupled]


# --8<-- [start:accumulation]
def check_accumulated_decay(lib, lr, wd, steps, seed, once=True):
    """SGD(lr, weight_decay=wd, gradient_accumulation_steps=steps) and zero
    gradients, for two real updates: each micro-step before an update leaves
    the variable unchanged, bit for bit, and each update multiplies it by
    1 - lr * wd (`once=False`: Keras 3 before 3.5 multiplies at every call)."""
    rng = np.random.default_rng(seed)
    w = lib.Variable(rng.normal(size=(4, 3)).astype(np.float32))
    optimizer = lib.optimizers.SGD(
        learning_rate=lr, weight_decay=wd, gradient_accumulation_steps=steps
    )
    zeros = np.zeros((4, 3), np.float32)
    for call in range(1, 2 * steps + 1):
        before = f64(w)
        optimizer.apply([zeros], [w])
        if once and call % steps:
            assert np.array_equal(f64(w), before), f"micro-step {call} moved"
        else:
            expected = before * (1 - lr * wd)
            error = np.abs(f64(w) - expected)
            assert np.all(error <= decay_tolerance(before)), f"call {call}"


# --8<-- [end:accumulation]


# --8<-- [start:schedule]
def check_decay_follows_schedule(lib, schedule, wd, steps, seed):
    """AdamW(learning_rate=schedule, weight_decay=wd) and zero gradients: step
    t (counted from 0) multiplies the weights by 1 - lr_t * wd, where lr_t is
    the schedule's rate at step t."""
    kind, arguments = schedule
    rates = getattr(lib.optimizers.schedules, kind)(**arguments)
    layer = lib.layers.Dense(3, use_bias=False)
    layer.build((None, 4))
    w = layer.kernel
    w.assign(np.random.default_rng(seed).normal(size=(4, 3)).astype(np.float32))
    optimizer = lib.optimizers.AdamW(learning_rate=rates, weight_decay=wd)
    zeros = tf.zeros((4, 3))  # Adam's own update is then exactly zero
    for t in range(steps):
        before = f64(w)
        lr_t = float(rates(t))
        assert 0 <= lr_t * wd <= 0.9, "outside decay_tolerance's premise"
        optimizer.apply_gradients([(zeros, w)])
        expected = before * (1 - lr_t * wd)
        error = np.abs(f64(w) - expected)
        assert np.all(error <= decay_tolerance(before)), (
            f"step {t}, lr_t {lr_t}"
        )


# --8<-- [end:schedule]
