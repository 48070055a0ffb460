"""Check a training step: what does its weight decay really do?

`check_training_step(factory)` runs the reader's own training step, a callable that trains a
model on one batch, and reports for every trainable variable how much of the update came from
the regularizers' penalties and from the optimizer's decoupled weight decay, against what the
model's regularizers and the optimizer's `weight_decay` and exclusions configure. `factory()`
returns `(model, step, batch)`; the check calls `step(batch)`. A factory is called several times,
each time after `keras.utils.set_random_seed(0)`, so every run starts from the same weights and
the same random draws. `check_training_step(model, step, batch)` works too: the check then
saves every variable of the model and of each optimizer the step uses, and restores them, bit
for bit, after each run and when the step raises.

How it isolates the penalty without knowing the data loss
---------------------------------------------------------
The step runs with every weight regularizer's strength multiplied by 0, then by K (a power of
two) with one extra zero-valued penalty term on an unregularized variable, and, only when those
two runs do not fit a multiplier the check knows (below), by 0 with the extra term. While it
runs, every Keras optimizer's per-variable `update_step` is replaced by a probe that records
the gradient it receives and changes nothing: that gradient is what the optimizer would apply,
after the cross-replica sum and after a loss-scale optimizer's unscaling ("only the unscaled
gradient tells the truth"). `_apply_weight_decay` is replaced the same way (it records, for
each variable, the decay `learning_rate * weight_decay` the optimizer would apply, asking the
optimizer's own `_use_weight_decay`), and gradient clipping is off. No variable changes during
a run, so with several optimizers (a GAN) one group's update cannot leak into another group's
gradient, as it would if the first group's weights had moved before the second's gradient.

* The gradient at strength K minus the gradient at strength 0 (with the extra term in both,
  when the third run is made) is K times the penalty gradient that reaches the optimizer. Dividing by K and comparing with the gradient of the configured
  regularizers (computed by the check from the same weights) gives a multiplier c per variable:
  1 (right), 0 (missing), N (applied once per replica), 1/S (divided by the loss scale S)...
  A reported loss that includes the penalty is no evidence: the check never reads the loss.
* The extra zero term changes no correct step at all (it adds exactly 0): an unregularized
  variable's gradient is the same at 0 and at K, and the multipliers fit. A loss that adds the
  list `model.losses` to a scalar has shape (k,), and the tape sums it: the data gradient is
  multiplied by k; one more term makes it k + 1, which moves the unregularized variables'
  gradients (and, divided by K, the multipliers by more than the bound below). Then the third
  run: the ratio of its data gradient to the first run's gives k. With a zero data gradient
  there is nothing to multiply, and the report says it cannot see the list add.

The measuring runs are eager (`tf.config.run_functions_eagerly(True)`; on JAX, `jax.disable_jit()`):
a traced function keeps the strengths it was traced with, and the probes must run as Python.
So the check also runs the step once as it is, with passive observers (Python wrappers that
record when a regularizer, `_use_weight_decay` or an optimizer runs, and change nothing). If
none of them runs while the weights change, the step runs a function traced before the check
started; the factory's own call, observed the same way, tells what that trace holds (which
penalties, which decay decisions) against what is configured now. A second call with a batch
of one example shows whether a new input shape makes a new trace that holds more. A factory
that makes its step without running it (no optimizer, regularizer or decay decision ran while it
was called) has no trace to look into: that run is skipped, and a traced function made outside
the factory and called before it is not seen (the page lists it).

Tolerances (float32, unit roundoff u = 2**-24)
----------------------------------------------
Each gradient element the optimizer receives is the float32 sum of a data part and a penalty
part, summed again over N replicas: with K chosen so that the penalty part is at least 2**10
times the largest data gradient element, every rounding is relative to the penalty part. The
penalty's gradient takes at most 4 roundings (square, sum, strength, the tape's 2w), the
tape's accumulation 1, the cross-replica sum N - 1, the check's own reference 3, and the loss
scale none (a power of two). A multiplier c is accepted for a variable when, element by
element, |(g_K - g_0) / K - c * E| <= (2 N + 8) * u * (|g_K| + |g_0|) / K + (2 N + 8) * u * |c E|,
where E is the reference penalty gradient. The multipliers the check knows (0, 1, N, 1/S, N/S)
differ by far more than that bound. The extra-term ratio is compared with (k + 1) / k the
same way, and two data gradients that should be equal (the runs at strength 0 with and without
the extra term, in a correct step bit for bit the same) are "not reproducible" when they
differ by more than (2 N + 8) * u * |g|.

One decision is not a float32 bound: "decayed twice" asks whether a variable's configured penalty
gradient E is an L2-like pull toward zero, E parallel to the weights w (E equal to its projection
on w within a relative 1e-4; E is computed from w in float64, so an L2 penalty meets it to about
1e-7), before saying that the penalty and the optimizer's decay both act on it.

What it cannot see: activity regularizers (they depend on the data); a regularizer that is a
plain function seen only inside a trace; steps that update weights by hand or with tf-keras'
legacy optimizers; gradient accumulation. The page "Check your own training step" lists them.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import itertools
import random
import textwrap
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from weight_decay_checks.verdicts import EXIT_CODES, VERDICTS

SEED = 0
U = 2.0**-24  # float32 unit roundoff
TERMS_MARGIN = 2.0**10  # the penalty part is at least this many times the data part
WIDTH = 79  # a report's sentences are wrapped to this many columns


class CannotCheck(Exception):
    """The check cannot run here (an unsupported optimizer, backend or Keras): one line."""


class BadArguments(CannotCheck, TypeError):
    """Not (model, step, batch), or not a factory returning them: one line, exit 2."""


class StepFailed(Exception):
    """The reader's step or factory raised; the original exception is the cause."""


# ---------------------------------------------------------------- the two Kerases


class Flavor:
    """What differs between Keras 3 and tf-keras for the check."""

    def __init__(self, model) -> None:
        modules = [c.__module__ for c in type(model).__mro__]
        module = next((m for m in modules if m.split(".")[0] in ("keras", "tf_keras")), "")
        if module.startswith("tf_keras"):
            import tf_keras

            self.name, self.keras, self.backend = "tf-keras", tf_keras, "tensorflow"
            from tf_keras.src.optimizers import optimizer as base

            self.optimizer_base = base._BaseOptimizer
            self.legacy_base = tf_keras.optimizers.legacy.Optimizer
        elif module.startswith("keras"):
            import keras

            self.name, self.keras = "keras3", keras
            self.backend = keras.backend.backend()
            if self.backend not in ("tensorflow", "jax"):
                raise CannotCheck(
                    f"the Keras 3 backend {self.backend!r} is not supported (TensorFlow and JAX are)"
                )
            from keras.src.optimizers.base_optimizer import BaseOptimizer

            self.optimizer_base = BaseOptimizer
            self.legacy_base = None
        else:
            raise CannotCheck(f"{type(model).__name__} is not a Keras 3 or tf-keras model")
        self.regularizer_base = self.keras.regularizers.Regularizer

    # Optimizers and regularizers, by class: the step may use optimizers the check cannot
    # reach (a custom loop's closure), so the probes patch classes, not objects.
    def optimizer_classes(self) -> list[type]:
        return _subclasses(self.optimizer_base)

    def regularizer_classes(self) -> list[type]:
        return _subclasses(self.regularizer_base)

    @property
    def update_arity(self) -> int:
        return 3 if self.name == "keras3" else 2  # update_step(grad, var[, learning_rate])

    @property
    def apply_method(self) -> str:
        return "apply" if self.name == "keras3" else "apply_gradients"

    # Eager runs and tracing.
    @contextlib.contextmanager
    def eagerly(self):
        if self.backend == "jax":
            import jax

            with jax.disable_jit():
                yield
            return
        import tensorflow as tf

        before = tf.config.functions_run_eagerly()
        tf.config.run_functions_eagerly(True)
        try:
            yield
        finally:
            tf.config.run_functions_eagerly(before)

    def inside_trace(self) -> bool:
        if self.backend == "jax":
            return False
        import tensorflow as tf

        return tf.inside_function()

    def replicas(self) -> int:
        if self.backend == "jax":
            return 1
        import tensorflow as tf

        return tf.distribute.get_strategy().num_replicas_in_sync

    # Weight penalties: Keras 3 keeps a regularizer on each variable; tf-keras keeps zero-argument
    # callables on the layers (the regularizers' own, and any `add_loss(lambda: ...)`).
    def reference(self, model) -> dict[int, np.ndarray]:
        """{index of a trainable variable: the gradient of the weight penalties with respect to
        it}, at the current weights, float64: what a right step passes to the optimizer once."""
        variables = model.trainable_variables
        if self.name == "keras3":
            found = {}
            for i, v in enumerate(variables):
                if getattr(v, "regularizer", None) is not None:
                    found[i] = self._gradient(v.regularizer, v)
            return found
        import tensorflow as tf

        losses = [loss for _, _, loss in self._callable_losses(model)]
        if not losses:
            return {}
        with tf.GradientTape() as tape:
            total = tf.add_n([tf.cast(loss(), tf.float32) for loss in losses])
        grads = tape.gradient(total, variables)
        return {i: to_numpy(g) for i, g in enumerate(grads) if g is not None}

    def _gradient(self, regularizer, variable) -> np.ndarray:
        if self.backend == "jax":
            import jax

            return np.asarray(jax.grad(lambda w: regularizer(w))(variable.value), np.float64)
        import tensorflow as tf

        value = tf.convert_to_tensor(variable)
        with tf.GradientTape() as tape:
            tape.watch(value)
            penalty = regularizer(value)
        return to_numpy(tape.gradient(penalty, value))

    def _callable_losses(self, model):
        for layer in [model, *model._flatten_layers(include_self=False)]:
            for position, loss in enumerate(layer._callable_losses):
                yield layer, position, loss

    @contextlib.contextmanager
    def penalties_scaled(self, model, factor: float, extra_on: int | None):
        """Every weight penalty multiplied by `factor`; with `extra_on`, one more term (worth 0) on
        that trainable variable. Undone on exit. Regularizer objects called on a model's variable
        anywhere (model.losses, or the step calling one itself) are scaled by the class-level
        patch of `patched`; this wraps what that cannot see: a plain function as a Keras 3
        regularizer, a regularizer called on values (Keras 3 on JAX), tf-keras' callable losses
        (an `add_loss(lambda: ...)` may hold anything)."""
        variables = model.trainable_variables
        undo = []
        if self.name == "keras3":
            for v in variables:
                original = getattr(v, "regularizer", None)
                if original is None:
                    continue
                if self.backend == "jax" or not isinstance(original, self.regularizer_base):
                    v.regularizer = _Scaled(original, factor)
                    undo.append(functools.partial(setattr, v, "regularizer", original))
            if extra_on is not None:
                v = variables[extra_on]
                v.regularizer = _Scaled(_square_sum, 0.0)
                undo.append(functools.partial(setattr, v, "regularizer", None))
        else:
            for layer, position, loss in list(self._callable_losses(model)):
                layer._callable_losses[position] = _ScaledLoss(loss, factor)
                undo.append(functools.partial(layer._callable_losses.__setitem__, position, loss))
            if extra_on is not None:
                v = variables[extra_on]
                zero = _ScaledLoss(functools.partial(_square_sum, v), 0.0)
                # On the layer that owns the variable, as a regularizer would be: a step
                # that reads that layer's `losses` sees it.
                owner = next(
                    (
                        layer
                        for layer in model._flatten_layers(include_self=True)
                        if any(w is v for w in getattr(layer, "_trainable_weights", []))
                    ),
                    model,
                )
                owner._callable_losses.append(zero)
                undo.append(functools.partial(owner._callable_losses.remove, zero))
        try:
            yield
        finally:
            for action in reversed(undo):
                action()

    def unattached(self, model, reference: dict) -> list[str]:
        """Variables whose layer names a regularizer that is not attached (set after build)."""
        variables = model.trainable_variables
        attached = {id(variables[i]) for i in reference}
        trained = {id(v) for v in variables}  # a frozen layer's tf.Variable says trainable=True
        missing = []
        for layer in model._flatten_layers(include_self=False):
            for attribute, name in (("kernel_regularizer", "kernel"), ("bias_regularizer", "bias")):
                variable = getattr(layer, name, None) if getattr(layer, attribute, None) else None
                if variable is not None and id(variable) in trained and id(variable) not in attached:
                    missing.append(variable_name(variable, model))
        return missing

    def set_seed(self) -> None:
        self.keras.utils.set_random_seed(SEED)


def _subclasses(base: type) -> list[type]:
    seen, todo = [], [base]
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.append(cls)
            todo.extend(cls.__subclasses__())
    return seen


_scaling = threading.local()  # inside a wrapper that scales: regularizers it calls do not


@contextlib.contextmanager
def _scaled_here():
    _scaling.depth = getattr(_scaling, "depth", 0) + 1
    try:
        yield
    finally:
        _scaling.depth -= 1


def _Scaled(regularizer, factor: float):
    """A regularizer times a factor (Keras 3: set as the variable's regularizer). A
    subclass of Keras' Regularizer: Keras 3.3 accepts nothing else there."""
    return _scaled_class()(regularizer, factor)


@functools.cache
def _scaled_class():
    import keras

    class Scaled(keras.regularizers.Regularizer):
        def __init__(self, regularizer, factor: float) -> None:
            self.regularizer, self.factor = regularizer, factor

        def __call__(self, x):
            with _scaled_here():
                return self.regularizer(x) * self.factor

        def get_config(self):
            return {"factor": self.factor}

    return Scaled


class _ScaledLoss:
    """A zero-argument callable loss times a factor (tf-keras' weight penalties)."""

    def __init__(self, loss, factor: float) -> None:
        self.loss, self.factor = loss, factor

    def __call__(self):
        with _scaled_here():
            return self.loss() * self.factor


def _square_sum(x):
    import keras

    try:
        return keras.ops.sum(keras.ops.square(x))
    except Exception:  # tf-keras variables under Keras 3 ops
        import tensorflow as tf

        return tf.reduce_sum(tf.square(x))


def identities(variable) -> set[int]:
    """Every identity a variable goes by: itself, its backend value, its distributed container
    (an optimizer's update sees one device's component)."""
    found = set()
    todo = [variable]
    while todo:
        v = todo.pop()
        if v is None or id(v) in found:
            continue
        found.add(id(v))
        if hasattr(v, "_unique_id"):
            found.add(("unique", v._unique_id))
        for attribute in ("value", "handle", "_distributed_container"):
            if attribute == "value" and not _is_keras3_variable(v):
                continue
            try:  # a distributed variable's handle exists only inside a replica or an update
                inner = getattr(v, attribute, None)
                inner = inner() if attribute == "_distributed_container" and callable(inner) else inner
            except (ValueError, RuntimeError):
                continue
            if inner is not None and not callable(inner):
                todo.append(inner)
    return found


def _is_keras3_variable(v) -> bool:
    return type(v).__module__.startswith("keras.")


def trainable(model) -> list:
    """The model's trainable variables; none while it is not built (tf-keras raises then)."""
    try:
        return list(model.trainable_variables)
    except ValueError:
        return []


def variable_index(model) -> dict:
    index = {}
    for i, v in enumerate(trainable(model)):
        for ident in identities(v):
            index.setdefault(ident, i)
    return index


def _lookup(index: dict, variable) -> int | None:
    for ident in identities(variable):
        if ident in index:
            return index[ident]
    return None


def variable_name(variable, model=None) -> str:
    """`layer/kernel` in both Kerases: Keras 3's path without the model's own name in front,
    tf-keras' name without its `:0`."""
    name = (getattr(variable, "path", None) or getattr(variable, "name", "?")).split(":")[0]
    prefix = f"{getattr(model, 'name', '')}/"
    return name.removeprefix(prefix) if model is not None and name.count("/") > 1 else name


def to_numpy(x) -> np.ndarray:
    if type(x).__name__ == "IndexedSlices":
        import tensorflow as tf

        x = tf.convert_to_tensor(x)
    return np.asarray(x, dtype=np.float64)


# ---------------------------------------------------------------- probes and observers


@dataclass
class Record:
    """What one run saw."""

    grads: dict[int, np.ndarray] = field(default_factory=dict)  # variable index -> gradient
    decay: dict[int, float] = field(default_factory=dict)  # variable index -> lr * wd (0: none)
    updated_by: dict[int, int] = field(default_factory=dict)  # variable index -> id(optimizer)
    outside: set = field(default_factory=set)  # identities updated that are not trainable vars
    outside_names: list[str] = field(default_factory=list)
    replicas: int = 1
    loss_scales: list[float] = field(default_factory=list)
    optimizers: dict[int, object] = field(default_factory=dict)
    clipping: bool = False
    # Observation (passive): what ran in Python, and whether inside a trace.
    regularizer_calls: list[tuple[int, bool]] = field(default_factory=list)  # (id(x), in trace)
    decisions: list[tuple[int, frozenset, bool, bool]] = field(default_factory=list)
    applies: int = 0


@contextlib.contextmanager
def patched(flavor: Flavor, record: Record, index: dict, measure: bool, saver=None, factor: float = 1.0):
    """Class-level wrappers on every optimizer and regularizer class. `measure`: the probes
    (record, change nothing); otherwise passive observers (record, then call through)."""
    undo = []

    def wrap(cls, name, make):
        original = cls.__dict__[name]
        setattr(cls, name, make(original))
        undo.append((cls, name, original))

    arity = flavor.update_arity

    def make_update(original):
        def update_step(self, gradient, variable, *rest):
            i = _lookup(index, variable)
            if i is None:
                if measure:
                    ident = frozenset(identities(variable))
                    if not ident & record.outside:
                        record.outside |= ident
                        record.outside_names.append(variable_name(variable))
                    return None
            else:
                record.updated_by.setdefault(i, id(self))
                if measure and i not in record.grads and gradient is not None:
                    record.grads[i] = to_numpy(gradient)
                    record.replicas = max(record.replicas, flavor.replicas())
            if measure:
                return None
            return original(self, gradient, variable, *rest)

        update_step.__wrapped__ = original
        return update_step

    def make_decay(original):
        def _apply_weight_decay(self, variables):
            if not measure:
                return original(self, variables)
            wd = getattr(self, "weight_decay", None)
            wd = float(to_numpy(wd)) if wd is not None else 0.0
            lr = float(to_numpy(self.learning_rate)) if wd else 0.0
            for v in variables:
                i = _lookup(index, v)
                if i is not None and i not in record.decay:
                    record.decay[i] = lr * wd if wd and self._use_weight_decay(v) else 0.0
            return None

        return _apply_weight_decay

    def make_use(original):
        def _use_weight_decay(self, variable):
            decided = original(self, variable)
            record.decisions.append(
                (id(self), frozenset(identities(variable)), bool(decided), flavor.inside_trace())
            )
            return decided

        return _use_weight_decay

    def make_clip(original):
        def _clip_gradients(self, grads):
            if any(getattr(self, a, None) for a in ("clipnorm", "clipvalue", "global_clipnorm")):
                record.clipping = True
            return list(grads)

        return _clip_gradients

    def make_apply(original):
        def apply(self, *args, **kwargs):
            record.applies += 1
            record.optimizers.setdefault(id(self), self)
            if saver is not None and not saver.knows(self):
                if args and flavor.apply_method == "apply_gradients":
                    args = (list(args[0]), *args[1:])  # a zip is read once: by the original
                if not _built(self):  # built now, as its apply would: saved new
                    variables = _applied_variables(flavor, args, kwargs)
                    if variables:
                        with _eager():
                            self.build(variables)
                saver.optimizer(self)
            return original(self, *args, **kwargs)

        return apply

    def make_regularizer(original):
        def __call__(self, x):
            record.regularizer_calls.append((id(x), flavor.inside_trace()))
            value = original(self, x)
            outermost = getattr(_scaling, "depth", 0) == 0
            # A weight penalty (its argument is a model variable), not an activity one.
            if measure and factor != 1.0 and outermost and _lookup(index, x) is not None:
                value = value * factor
            return value

        return __call__

    try:
        for cls in flavor.optimizer_classes():
            if "update_step" in cls.__dict__ and _takes(cls.__dict__["update_step"], arity):
                wrap(cls, "update_step", make_update)
            if "_apply_weight_decay" in cls.__dict__:
                wrap(cls, "_apply_weight_decay", make_decay)
            if "_use_weight_decay" in cls.__dict__:
                wrap(cls, "_use_weight_decay", make_use)
            if measure and "_clip_gradients" in cls.__dict__:
                wrap(cls, "_clip_gradients", make_clip)
            if flavor.apply_method in cls.__dict__:
                wrap(cls, flavor.apply_method, make_apply)
        for cls in flavor.regularizer_classes():
            if "__call__" in cls.__dict__:
                wrap(cls, "__call__", make_regularizer)
        yield record
    finally:
        for cls, name, original in reversed(undo):
            setattr(cls, name, original)


def _built(optimizer) -> bool:
    """Keras 3 says `built`, tf-keras `_built` (False until its first apply or build)."""
    return bool(getattr(optimizer, "built", getattr(optimizer, "_built", False)))


def _applied_variables(flavor: Flavor, args, kwargs) -> list:
    """The variables an optimizer's apply / apply_gradients call updates."""
    if flavor.apply_method == "apply":  # Keras 3: apply(grads, trainable_variables=None)
        variables = args[1] if len(args) > 1 else kwargs.get("trainable_variables")
        return list(variables) if variables is not None else []
    pairs = args[0] if args else kwargs.get("grads_and_vars", [])
    return [v for _, v in pairs]


def _takes(function, arity: int) -> bool:
    try:
        parameters = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return True
    return len(parameters) - 1 >= arity or any(p.startswith("*") for p in parameters)


def _loss_scale(optimizer) -> float | None:
    for attribute in ("dynamic_scale", "loss_scale"):
        if type(optimizer).__name__.startswith("LossScaleOptimizer") and hasattr(optimizer, attribute):
            with _eager():
                return float(to_numpy(getattr(optimizer, attribute)))
    return None


def _eager():
    """Read a value even while a function is being traced (TensorFlow's init scope)."""
    try:
        import tensorflow as tf
    except ImportError:
        return contextlib.nullcontext()
    return tf.init_scope()


# ---------------------------------------------------------------- state: save and restore


class Saver:
    """Every variable of the model, and of each optimizer when the step first calls it."""

    def __init__(self, model=None) -> None:
        self.values: list[tuple[object, np.ndarray]] = []
        self.seen: set[int] = set()
        self.optimizer_built: dict[int, bool] = {}
        if model is None:
            return
        for v in model.variables:
            self._save(v)
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None:
            self.optimizer(optimizer)

    def _save(self, v) -> None:
        if id(v) not in self.seen:
            self.seen.add(id(v))
            with _eager():
                self.values.append((v, np.array(v.numpy() if hasattr(v, "numpy") else v.value)))

    def knows(self, optimizer) -> bool:
        return id(optimizer) in self.optimizer_built

    def optimizer(self, optimizer) -> None:
        if id(optimizer) in self.optimizer_built:
            return
        if not _built(optimizer):  # saved when the step builds it (patched)
            return
        self.optimizer_built[id(optimizer)] = True
        for v in optimizer.variables:
            self._save(v)
        inner = getattr(optimizer, "inner_optimizer", None)
        if inner is not None and inner is not optimizer:
            self.optimizer(inner)

    def restore(self) -> None:
        for v, value in self.values:
            v.assign(value)

    def unchanged(self) -> bool:
        return all(np.array_equal(np.asarray(v.numpy()), value) for v, value in self.values)


# ---------------------------------------------------------------- the runs


@dataclass
class Instance:
    model: object
    step: Callable
    batch: object


class Runner:
    """Makes the objects of each run: from the factory (a fresh call, same seed), or the same
    objects restored."""

    def __init__(self, target, step, batch, name: str) -> None:
        self.name = name
        self.factory = None
        if step is None and batch is None and callable(target) and not _is_model(target):
            self.factory = target
            self.first = self.build(observe=True)
        else:
            if step is None or batch is None:
                raise BadArguments("check_training_step takes a factory, or a model, a step and a batch")
            self.first = Instance(target, step, batch)
            self.first_record = Record()
        self.flavor = Flavor(self.first.model)
        if self.flavor.legacy_base is not None:
            optimizer = getattr(self.first.model, "optimizer", None)
            if isinstance(optimizer, self.flavor.legacy_base):
                raise CannotCheck(
                    f"tf-keras' legacy optimizer {type(optimizer).__name__} is not supported "
                    "(tf.keras.optimizers.legacy): use tf.keras.optimizers"
                )
        self._used_first = False
        self.saver = None
        if not self.factory:
            self.ready(self.first)
            self.saver = Saver(self.first.model)

    def ready(self, instance: Instance) -> None:
        """A model that is not built yet (its step creates the weights) is built by calling it
        on the batch's inputs (in the scope of the strategy it was made under), or, when that
        does not build it, by one run of the step with the probes in place: no weight moves, and
        the optimizers' variables (iterations, a loss scale) are put back."""
        if trainable(instance.model) or _built_by_a_call(instance):
            return
        saver, record = Saver(), Record()
        with self.flavor.eagerly(), patched(self.flavor, record, {}, measure=True, saver=saver):
            self.call(instance)
        saver.restore()

    def build(self, observe: bool = False) -> Instance:
        _seed_everything()
        try:
            with _own_collective_keys():
                made = self._observed_factory() if observe else self.factory()
        except Exception as error:
            raise StepFailed(f"the factory {self.name} raised {type(error).__name__}: {error}") from error
        if not (isinstance(made, tuple | list) and len(made) == 3):
            raise BadArguments(
                f"the factory {self.name} must return (model, step, batch), not {type(made).__name__}"
            )
        model, step, batch = made
        if not _is_model(model):
            raise BadArguments(f"the factory {self.name} returned {type(model).__name__} as its model")
        if not callable(step):
            raise BadArguments(f"the factory {self.name} returned a step that is not callable")
        return Instance(model, step, batch)

    def _observed_factory(self):
        # The factory's own traces (a `fit` in it, a tf.function called in it) are observed:
        # they are what a stale trace holds. The flavor is not known before the model exists,
        # so both Kerases' classes are watched.
        self.first_record = Record()
        with contextlib.ExitStack() as stack:
            for flavor in _all_flavors():
                stack.enter_context(patched(flavor, self.first_record, {}, measure=False))
            made = self.factory()
        record = self.first_record
        # Did the factory train (or trace) anything? If not, its step holds no trace yet.
        self.factory_stepped = bool(record.applies or record.regularizer_calls or record.decisions)
        record.decisions = [(o, ids, d, t) for o, ids, d, t in record.decisions if t]
        return made

    def instance(self) -> Instance:
        if not self._used_first:
            self._used_first = True
            return self.first
        if self.factory:
            return self.build()
        self.saver.restore()
        return self.first

    def finish(self) -> None:
        if self.saver is not None:
            self.saver.restore()

    def call(self, instance: Instance, batch=None):
        try:
            return instance.step(instance.batch if batch is None else batch)
        except Exception as error:
            step = getattr(instance.step, "__name__", type(instance.step).__name__)
            made = f" (from {self.name})" if self.factory and step != self.name else ""
            raise StepFailed(f"the step {step}{made} raised {type(error).__name__}: {error}") from error


def _built_by_a_call(instance: Instance) -> bool:
    batch = instance.batch
    if not isinstance(batch, tuple | list) or not batch or not hasattr(batch[0], "shape"):
        return False
    model = instance.model
    strategy = getattr(model, "_distribute_strategy", None) or getattr(model, "_distribution_strategy", None)
    try:
        with strategy.scope() if strategy is not None else contextlib.nullcontext():
            model(batch[0])
    except Exception:  # a model that takes something else: the step builds it
        return False
    return bool(trainable(model))


def _is_model(x) -> bool:
    # Asked of the class: tf-keras' properties raise on a model not built yet.
    kind = type(x)
    return all(hasattr(kind, name) for name in ("trainable_variables", "variables", "losses"))


def _all_flavors():
    flavors = []
    for module in ("keras", "tf_keras"):
        with contextlib.suppress(ImportError, CannotCheck):
            flavors.append(_flavor_of_module(module))
    return flavors


@functools.cache
def _flavor_of_module(module: str) -> Flavor:
    class Probe:
        pass

    Probe.__module__ = module + ".probe"
    return Flavor(Probe())


_builds = itertools.count(1)


@contextlib.contextmanager
def _own_collective_keys():
    """Each factory call's strategies get collective keys of their own. Every MirroredStrategy
    starts its group and instance keys at the same numbers, and a process that runs one
    strategy's step traced and another's eagerly (as the check does) has two all-reduces of
    different shapes under one key: TensorFlow aborts every collective after that. Workers of
    one cluster call the factory equally often, so they agree on the keys."""
    try:
        import tensorflow as tf
    except ImportError:
        yield
        return
    classes = [tf.distribute.MirroredStrategy, tf.distribute.MultiWorkerMirroredStrategy]
    before = [c.__dict__.get("_collective_key_base") for c in classes]
    base = next(_builds) * 100_000
    for c in classes:
        c._collective_key_base = base
    try:
        yield
    finally:
        for c, value in zip(classes, before, strict=True):
            c._collective_key_base = value or 0


def _seed_everything() -> None:
    random.seed(SEED)
    np.random.seed(SEED)
    for module in ("keras", "tf_keras"):
        with contextlib.suppress(ImportError):
            __import__(module).utils.set_random_seed(SEED)


def _weights(model) -> list[np.ndarray]:
    return [np.array(v.numpy() if hasattr(v, "numpy") else v.value) for v in trainable(model)]


def measure(runner: Runner, factor: float, extra_on: int | None, instance=None) -> tuple[Record, Instance]:
    instance = instance or runner.instance()
    flavor = runner.flavor
    runner.ready(instance)
    record = Record()
    index = variable_index(instance.model)
    before = _weights(instance.model)
    with (
        flavor.penalties_scaled(instance.model, factor, extra_on),
        flavor.eagerly(),
        patched(flavor, record, index, measure=True, saver=runner.saver, factor=factor),
    ):
        try:
            runner.call(instance)
        finally:
            after = _weights(instance.model)
    for optimizer in record.optimizers.values():  # built by its first apply, if not before
        scale = _loss_scale(optimizer)
        if scale is not None and scale not in record.loss_scales:
            record.loss_scales.append(scale)
    record.changed = [
        variable_name(v, instance.model)
        for v, b, a in zip(trainable(instance.model), before, after, strict=True)
        if not np.array_equal(a, b)
    ]
    return record, instance


def _optimizers_held_by(step, base) -> list:
    """The Keras optimizers a step can reach through its closure, its globals or its bound
    object (a tf.function's Python function included), one level deep."""
    function = getattr(step, "python_function", step)
    function = getattr(function, "__func__", function)
    found, places = [], []
    for cell in getattr(function, "__closure__", None) or ():
        with contextlib.suppress(ValueError):
            places.append(cell.cell_contents)
    code = getattr(function, "__code__", None)
    if code is not None:
        names = getattr(function, "__globals__", {})
        places.extend(names[n] for n in code.co_names if n in names)
    places.append(getattr(step, "__self__", None))
    for place in places:
        if isinstance(place, base):
            found.append(place)
        for value in getattr(place, "__dict__", {}).values() if not isinstance(place, type) else ():
            if isinstance(value, base):
                found.append(value)
    return found


def as_is(runner: Runner, batch=None) -> tuple[Record, bool]:
    """The step as the reader runs it (traced if they traced it), observed; whether its
    weights changed."""
    instance = runner.instance()
    record = Record()
    before = _weights(instance.model)
    if runner.saver is not None:  # a traced step updates without a Python apply: save first
        for optimizer in _optimizers_held_by(instance.step, runner.flavor.optimizer_base):
            runner.saver.optimizer(optimizer)
    with patched(runner.flavor, record, variable_index(instance.model), measure=False, saver=runner.saver):
        runner.call(instance, batch)
    # A model built by this call had no weights before: strict=False.
    changed = any(not np.array_equal(a, b) for a, b in zip(before, _weights(instance.model), strict=False))
    return record, changed


# ---------------------------------------------------------------- analysis


@dataclass
class Finding:
    code: str
    fields: dict = field(default_factory=dict)

    @property
    def verdict(self):
        return VERDICTS[self.code]

    @property
    def kind(self) -> str:
        return self.verdict.kind

    def sentence(self) -> str:
        return self.verdict.sentence.format(**self.fields)


@dataclass
class Row:
    variable: str
    penalty_expected: str
    penalty_seen: str
    decay_expected: str
    decay_seen: str


@dataclass
class Report:
    step: str
    keras: str
    findings: list[Finding]
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    @property
    def exit_code(self) -> int:
        return max((EXIT_CODES[f.kind] for f in self.findings), default=2)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def __str__(self) -> str:
        lines = [f"Training step {self.step}:"]  # under self.keras: the command says which
        marks = {"pass": "ok  ", "warn": "WARN", "fail": "FAIL", "cannot": "??  "}
        for f in self.findings:
            text = f"{marks[f.kind]} {f.sentence()}"
            lines.append(textwrap.fill(text, WIDTH, initial_indent="  ", subsequent_indent=" " * 7))
            lines.append(f"       explained on the site: {f.verdict.page}")
        if self.rows:
            header = ("variable", "penalty", "reaches optimizer", "decay", "decay applied")
            table = [
                header,
                *[
                    (r.variable, r.penalty_expected, r.penalty_seen, r.decay_expected, r.decay_seen)
                    for r in self.rows
                ],
            ]
            widths = [max(len(row[c]) for row in table) for c in range(len(header))]
            lines.append("")
            for row in table:
                lines.append(
                    "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                )
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


def _candidates(replicas: int, scales: list[float]) -> list[tuple[float, str]]:
    found = [(1.0, "once"), (0.0, "missing")]
    if replicas > 1:
        found.append((float(replicas), "times_n"))
    for s in scales:
        found.append((1.0 / s, "divided"))
        if replicas > 1:
            found.append((replicas / s, "divided"))
    return found


def multiplier(g_k, g_0, reference, factor, replicas, scales) -> tuple[str, float]:
    """Which known multiplier the penalty's share of the gradient matches; or ("other", c)."""
    seen = (g_k - g_0) / factor
    gamma = 2 * replicas + 8
    noise = gamma * U * (np.abs(g_k) + np.abs(g_0)) / factor
    for value, name in _candidates(replicas, scales):
        if np.all(np.abs(seen - value * reference) <= noise + gamma * U * np.abs(value * reference)):
            return name, value
    denominator = float(np.sum(reference * reference))
    return "other", float(np.sum(seen * reference) / denominator) if denominator else float("nan")


def _multipliers(reference, full: Record, base: Record, factor, replicas, scales) -> dict:
    """Per regularized variable: (kind, multiplier) of the penalty gradient the optimizer got."""
    kinds = {}
    for i, r in reference.items():
        if i not in full.grads or i not in base.grads:
            kinds[i] = ("missing", 0.0)
        else:
            kinds[i] = multiplier(full.grads[i], base.grads[i], r, factor, replicas, scales)
    return kinds


def _same(a: Record, b: Record, replicas: int) -> bool:
    gamma = 2 * replicas + 8
    common = [i for i in a.grads if i in b.grads]
    return len(common) == len(a.grads) == len(b.grads) and all(
        np.all(np.abs(a.grads[i] - b.grads[i]) <= gamma * U * np.abs(a.grads[i])) for i in common
    )


def _names(model, indices) -> str:
    variables = model.trainable_variables
    names = [variable_name(variables[i], model) for i in sorted(indices)]
    return ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")


def check_training_step(model_or_factory, step=None, batch=None, *, name: str | None = None) -> Report:
    """Run a training step and report what its weight decay does (see the module docstring).

    `check_training_step(factory)`: `factory()` returns (model, step, batch) and may be called
    several times. `check_training_step(model, step, batch)`: the objects themselves, restored
    after the check. Raises StepFailed when the step (or the factory) raises, CannotCheck for an
    unsupported backend, Keras or optimizer."""
    name = name or getattr(model_or_factory if step is None else step, "__name__", "step")
    runner = Runner(model_or_factory, step, batch, name)
    flavor = runner.flavor
    try:
        return _check(runner, flavor, name)
    finally:
        runner.finish()


def _check(runner: Runner, flavor: Flavor, name: str) -> Report:
    findings: list[Finding] = []
    notes: list[str] = []
    keras = f"Keras 3, {flavor.backend} backend" if flavor.name == "keras3" else "tf-keras"

    # 1. The step as it is: does it run a trace made before the check?
    stale: list[str] = []
    # (Skipped when a factory made its step without running it: no trace of it exists yet.)
    if flavor.backend == "tensorflow" and (runner.factory is None or runner.factory_stepped):
        observed, changed = as_is(runner)
        if observed.applies == 0 and not observed.regularizer_calls and changed:
            stale = _stale(runner, observed)
            if stale is None:
                return Report(name, keras, [Finding("traced_before_check")])

    # 2. The measuring runs, eager, each from the same start (a new build, or restored).
    first = runner.instance()
    runner.ready(first)
    model = first.model
    reference = flavor.reference(model)
    unregularized = [i for i in range(len(model.trainable_variables)) if i not in reference]
    extra_on = unregularized[-1] if unregularized else None
    unattached = flavor.unattached(model, reference)

    zero, inst0 = measure(runner, 0.0, None, first)
    if zero.outside_names or zero.changed:
        names = ", ".join(dict.fromkeys(zero.outside_names + zero.changed))
        frozen = [n for n in zero.outside_names if n not in zero.changed]
        if frozen and not zero.changed:
            findings.append(Finding("decay_on_frozen", {"variables": names}))
        else:
            return Report(name, keras, [Finding("update_outside_optimizer", {"variables": names})])
    if not zero.grads and not zero.updated_by:
        return Report(name, keras, [*findings, Finding("no_update")])
    data_max = max((float(np.max(np.abs(g))) for g in zero.grads.values() if g.size), default=0.0)
    ref_min = min((float(np.max(np.abs(r))) for r in reference.values() if np.any(r)), default=0.0)
    factor = 1.0
    if ref_min > 0:
        factor = float(
            2.0 ** np.clip(np.ceil(np.log2(max(data_max, ref_min) * TERMS_MARGIN / ref_min)), 0, 60)
        )
    # The run at K carries the extra zero term: in a right step it adds nothing, so two runs
    # settle it. Only when some multiplier is not one the check knows (and there is a data
    # gradient the term could have multiplied) is a third run made, at 0 with the term: the
    # baseline of the run at K, and against the first run the list-add ratio (k + 1) / k.
    extra = None
    full, _ = measure(runner, factor, extra_on) if reference else (zero, inst0)
    replicas = max(zero.replicas, full.replicas)
    scales = full.loss_scales or zero.loss_scales
    kinds = _multipliers(reference, full, zero, factor, replicas, scales)
    unknown = any(k == "other" for k, _ in kinds.values())
    # An unregularized variable's gradient must not move at all (the term adds exactly 0 to it);
    # a list add gives it one more data gradient.
    moved = any(
        not np.all(np.abs(full.grads[i] - zero.grads[i]) <= (2 * replicas + 8) * U * np.abs(zero.grads[i]))
        for i in unregularized
        if i in full.grads and i in zero.grads
    )
    if reference and extra_on is not None and data_max > 0 and (unknown or moved):
        extra, _ = measure(runner, 0.0, extra_on)
        kinds = _multipliers(reference, full, extra, factor, replicas, scales)
    elif reference and unknown:  # no third run possible: is the step even reproducible?
        again, _ = measure(runner, 0.0, None)
        if not _same(zero, again, replicas):
            return Report(name, keras, [Finding("not_reproducible")])

    # Penalties.
    by_kind: dict[str, list[int]] = {}
    seen_values: dict[int, float] = {}
    rows = []
    for i, (kind, value) in kinds.items():
        by_kind.setdefault(kind, []).append(i)
        seen_values[i] = value
    for kind, indices in by_kind.items():
        names = _names(model, indices)
        if kind == "once":
            findings.append(Finding("penalty_once", {"variables": names}))
        elif kind == "missing":
            findings.append(Finding("penalty_missing", {"variables": names}))
        elif kind == "times_n":
            findings.append(
                Finding("penalty_times_n", {"variables": names, "times": replicas, "replicas": replicas})
            )
        elif kind == "divided":
            findings.append(
                Finding("penalty_divided_by_loss_scale", {"variables": names, "scale": scales[0]})
            )
        else:
            factors = ", ".join(f"{seen_values[i]:.6g}" for i in indices[:3])
            findings.append(
                Finding("penalty_scaled", {"variables": names, "factor": seen_values[indices[0]]})
            )
            notes.append(f"multipliers seen: {factors}")
    if unattached:
        findings.append(Finding("regularizer_not_attached", {"variables": ", ".join(unattached)}))

    # The list-add line: unseen without a data gradient, or without a variable free of
    # regularizers to carry the extra term.
    if reference and extra is None and (data_max == 0 or extra_on is None):
        findings.append(Finding("list_add_unseen"))
    if extra is not None:
        findings.extend(
            _list_add(zero, extra, len(model.losses) if flavor.backend == "tensorflow" else None, replicas)
        )

    # Decoupled decay.
    findings.extend(_decay(model, zero, reference, seen_values))
    findings.extend(stale)

    if not reference and not unattached and not any(zero.decay.values()) and not _configured_decay(model):
        return Report(name, keras, [Finding("nothing_to_check")])
    if full.clipping or zero.clipping:
        notes.append(
            "gradient clipping is configured; the check measured without it (clipping clips the penalty too)"
        )

    for i, v in enumerate(model.trainable_variables):
        rows.append(
            Row(
                variable_name(v, model),
                "yes" if i in reference else "-",
                _seen(i, reference, seen_values, zero),
                _decay_configured(model, v),
                f"{zero.decay[i]:.3g}"
                if zero.decay.get(i)
                else ("-" if i in zero.updated_by else "not updated"),
            )
        )
    order = {"fail": 0, "cannot": 1, "warn": 2, "pass": 3}
    findings.sort(key=lambda f: order[f.kind])
    return Report(name, keras, findings, rows, notes)


def _seen(i, reference, seen_values, zero) -> str:
    if i not in zero.updated_by:
        return "not updated"
    if i not in reference:
        return "-"
    value = seen_values[i]
    return "0 (missing)" if value == 0 else f"x {value:.6g}"


def _configured_decay(model) -> bool:
    optimizer = getattr(model, "optimizer", None)
    inner = getattr(optimizer, "inner_optimizer", optimizer)
    return bool(getattr(inner, "weight_decay", None))


def _decay_configured(model, variable) -> str:
    optimizer = getattr(model, "optimizer", None)
    inner = getattr(optimizer, "inner_optimizer", optimizer)
    wd = getattr(inner, "weight_decay", None) if inner is not None else None
    if not wd:
        return "-"
    try:
        return "yes" if inner._use_weight_decay(variable) else "excluded"
    except Exception:
        return "yes"


def _list_add(zero: Record, extra: Record, k: int | None, replicas: int) -> list[Finding]:
    gamma = 2 * replicas + 8
    common = [i for i in zero.grads if i in extra.grads]
    g0 = np.concatenate([zero.grads[i].ravel() for i in common]) if common else np.zeros(0)
    g1 = np.concatenate([extra.grads[i].ravel() for i in common]) if common else np.zeros(0)
    if g0.size == 0 or not np.any(g0):
        return (
            [Finding("list_add_unseen")] if not np.any(g1) else [Finding("data_gradient_times_k", {"k": 0})]
        )
    if np.all(np.abs(g1 - g0) <= gamma * U * np.abs(g0)):
        return []
    for terms in range(1, 1025):
        if np.all(np.abs(g1 - g0 * (terms + 1) / terms) <= gamma * U * (np.abs(g1) + np.abs(g0))):
            return (
                [Finding("list_add_latent")]
                if terms == 1
                else [Finding("data_gradient_times_k", {"k": terms})]
            )
    return [Finding("not_reproducible")]


def _decay(model, zero: Record, reference: dict, seen_values: dict) -> list[Finding]:
    findings = []
    decayed = [i for i, d in zero.decay.items() if d]
    twice = []
    for i in decayed:
        if i in reference and seen_values.get(i, 0) != 0:
            w = np.asarray(model.trainable_variables[i].numpy(), np.float64).ravel()
            r = reference[i].ravel()
            if np.any(w) and np.allclose(r, w * (np.dot(r, w) / np.dot(w, w)), rtol=1e-4, atol=0):
                twice.append(i)  # an L2-like penalty (its gradient along w) and decay
    if twice:
        findings.append(Finding("decayed_twice", {"variables": _names(model, twice)}))
    missing = []
    optimizer = getattr(model, "optimizer", None)
    inner = getattr(optimizer, "inner_optimizer", optimizer)
    if inner is not None and getattr(inner, "weight_decay", None):
        for i, v in enumerate(model.trainable_variables):
            with contextlib.suppress(Exception):
                if inner._use_weight_decay(v) and not zero.decay.get(i):
                    missing.append(i)
    if missing:
        findings.append(Finding("decay_missing", {"variables": _names(model, missing)}))
    elif decayed and not twice:
        findings.append(Finding("decay_once", {"variables": _names(model, decayed)}))
    return findings


def _stale(runner: Runner, observed: Record):
    """The step ran a trace made before the check. What did the factory's traces hold, against
    what is configured now? None: nothing is known of that trace (no factory)."""
    if runner.factory is None:
        return None
    factory = runner.first_record
    model = runner.first.model
    flavor = runner.flavor
    traced_penalties = {x for x, in_trace in factory.regularizer_calls if in_trace}
    regularized = flavor.reference(model)
    variables = model.trainable_variables
    missing = [i for i in regularized if not identities(variables[i]) & traced_penalties]
    what = []
    if missing:
        what.append(f"the penalty on {_names(model, missing)} is not in it (attached after it was traced)")
    decided = {}
    index = variable_index(model)
    for _, ids, decision, _ in factory.decisions:
        found = [index[ident] for ident in ids if ident in index]
        if found:
            decided[found[0]] = decision
    optimizer_now = getattr(model, "optimizer", None)
    changed_decay = []
    for i, decision in decided.items():
        with contextlib.suppress(Exception):
            if optimizer_now is not None and optimizer_now._use_weight_decay(variables[i]) != decision:
                changed_decay.append((i, decision))
    for i, decision in changed_decay:
        state = "decays" if decision else "does not decay"
        now = "excluded since" if decision else "included since"
        what.append(f"it {state} {variable_name(variables[i], model)}, {now}")
    if not what:
        return []
    # Does a new input shape make a new trace that holds more? Not asked of Keras' own cached
    # training function (fit, train_on_batch): it is stale until the model is compiled again.
    batch = _first_example(runner.first.batch)
    keras_cached = getattr(model, "train_function", None) is not None
    if batch is not None and missing and not keras_cached:
        again, _ = as_is(runner, batch)
        if again.regularizer_calls and any(t for _, t in again.regularizer_calls):
            return [
                Finding(
                    "some_traces_only",
                    {"what": "; ".join(what) + "; a batch of another shape made a new trace, which holds it"},
                )
            ]
    return [Finding("stale_trace", {"what": "; ".join(what)})]


def _first_example(batch):
    try:
        import tensorflow as tf

        return tf.nest.map_structure(lambda x: x[:1], batch)
    except Exception:
        return None


def assert_training_step(model_or_factory, step=None, batch=None, *, name: str | None = None) -> Report:
    """For the reader's own tests: fails with the report's table unless the step is right."""
    report = check_training_step(model_or_factory, step, batch, name=name)
    if not report.ok:
        raise AssertionError("\n" + str(report))
    return report


def at_fit_start(batch, *, on_failure: str = "raise", keras=None):
    """A Keras callback that checks `model.train_on_batch` on `batch` once, when `fit` starts,
    and raises (on_failure="raise") or warns ("warn") unless the step is right. `keras`: the
    Keras the model uses (default: tf.keras)."""
    if on_failure not in ("raise", "warn"):
        raise ValueError(f"on_failure must be 'raise' or 'warn', not {on_failure!r}")
    if keras is None:
        import tensorflow as tf

        keras = tf.keras

    class CheckWeightDecay(keras.callbacks.Callback):
        checked = False

        def on_train_begin(self, logs=None):
            if self.checked:  # once per callback, not at every fit
                return
            self.checked = True
            model = self.model
            x, y = batch[0], batch[1]

            def train_on_batch(data):
                return model.train_on_batch(data[0], data[1])

            train_on_batch.__name__ = "train_on_batch"
            # train_on_batch traces a new training function while the check watches; the
            # one fit made (and may have traced before) is put back after.
            kept = getattr(model, "train_function", None)
            model.train_function = None
            try:
                report = check_training_step(model, train_on_batch, (x, y))
            finally:
                model.train_function = kept
            if not report.ok:
                if on_failure == "raise":
                    raise AssertionError("\n" + str(report))
                import warnings

                warnings.warn(str(report), stacklevel=2)

    return CheckWeightDecay()
