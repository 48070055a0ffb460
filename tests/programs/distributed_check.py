"""Hypothesis properties of weight decay under a synchronous tf.distribute strategy.

Two ways to run it, each in a fresh interpreter per case and per Keras:

* `python -m tests.programs.distributed_check N`: MirroredStrategy on N logical CPU devices
  (they must be configured before TensorFlow starts), run by test_distributed.py;
* `python -m tests.programs.distributed_check --worker I --ports P0,P1,...`: worker I of a
  MultiWorkerMirroredStrategy cluster on 127.0.0.1 (TF_CONFIG built from the ports), one
  process per worker, started by site_machinery/cluster.py for test_multiworker.py.

With N replicas in all, for drawn weights, data, wd and learning rate, one step on the global
batch:
  1. with the penalty scaled (`scale_regularization_loss`) equals one single-device step;
  2. with it unscaled, the penalty's gradient is applied N times (W moves lr*(N-1)*2wd*W more);
  3. `model.fit` under the strategy equals the scaled custom step (observed exception: Keras 3's
     `fit` under MultiWorkerMirroredStrategy raises ValueError, "Attempt to convert a value
     (PerReplica...)", with NumPy or tf.data input; asserted, so a fixed Keras fails here);
  4. an optimizer's `weight_decay` (no regularizer, no scaling) equals the single-device step.
The workers of a cluster draw the same examples (derandomized, or one seed the launcher picks)
and never shrink, so they stay in step; each prints a digest of its final weights, which the
launcher compares across workers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os

import numpy as np
import tensorflow as tf
from hypothesis import Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from weight_decay_checks import settings as profiles
from weight_decay_checks.bounds import TINY32, gamma

PER_REPLICA, FEATURES = 4, 3


def mirrored(n: int) -> tf.distribute.Strategy:
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * n)
    return tf.distribute.MirroredStrategy([f"/cpu:{i}" for i in range(n)])


def multi_worker(index: int, ports: list[int]) -> tf.distribute.Strategy:
    cluster = {"worker": [f"127.0.0.1:{port}" for port in ports]}
    os.environ["TF_CONFIG"] = json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    if os.environ.get("WD_DIE_WORKER") == str(index):  # the launcher's self-test: a worker dies
        raise SystemExit(f"worker {index} dies on purpose")
    return strategy


def main(strategy: tf.distribute.Strategy, lockstep: bool = False) -> None:
    """Check the properties with `strategy` (once per process)."""
    N = strategy.num_replicas_in_sync
    GLOBAL = N * PER_REPLICA
    keras_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
    fit_raises = keras_3 and isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)

    # The regularizer strength is a variable, so one traced step serves every drawn wd.
    wd_var = tf.Variable(0.0, trainable=False)

    def penalty(w):
        return wd_var * tf.reduce_sum(tf.square(w))

    def make_model():
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_regularizer=penalty)])
        model.build((None, FEATURES))
        return model

    single = make_model()
    single_opt = tf.keras.optimizers.SGD(learning_rate=1.0)
    with strategy.scope():
        models = {"scaled": make_model(), "unscaled": make_model(), "fit": make_model()}
        optimizers = {k: tf.keras.optimizers.SGD(learning_rate=1.0) for k in ("scaled", "unscaled")}
        models["fit"].compile(optimizer=tf.keras.optimizers.SGD(learning_rate=1.0), loss="mse")
        # Decoupled decay: no regularizer; the optimizer's weight_decay is a variable too.
        decay_model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        decay_model.build((None, FEATURES))
        decay_opt = tf.keras.optimizers.SGD(learning_rate=1.0, weight_decay=0.0)
    decay_single = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    decay_single.build((None, FEATURES))
    decay_single_opt = tf.keras.optimizers.SGD(learning_rate=1.0, weight_decay=0.0)

    @tf.function
    def single_step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(single(x) - y)) + tf.add_n(single.losses)
        grads = tape.gradient(loss, single.trainable_variables)
        single_opt.apply_gradients(zip(grads, single.trainable_variables, strict=True))

    def make_replica_step(kind):
        model, optimizer = models[kind], optimizers[kind]

        def replica_step(xb, yb):
            with tf.GradientTape() as tape:
                per_example = tf.reduce_mean(tf.square(model(xb) - yb), axis=-1)
                loss = tf.nn.compute_average_loss(per_example, global_batch_size=GLOBAL)
                pen = tf.add_n(model.losses)
                loss += tf.nn.scale_regularization_loss(pen) if kind == "scaled" else pen
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))

        return tf.function(lambda xb, yb: strategy.run(replica_step, args=(xb, yb)))

    steps = {kind: make_replica_step(kind) for kind in ("scaled", "unscaled")}

    def data_step(model, optimizer, xb, yb, global_batch):
        with tf.GradientTape() as tape:
            per_example = tf.reduce_mean(tf.square(model(xb) - yb), axis=-1)
            loss = tf.nn.compute_average_loss(per_example, global_batch_size=global_batch)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))

    # Eager, not traced: Keras reads `weight_decay` (a Python number) when a step is traced.
    def decay_step(xb, yb):
        strategy.run(data_step, args=(decay_model, decay_opt, xb, yb, GLOBAL))

    def decay_single_step(x, y):
        data_step(decay_single, decay_single_opt, x, y, GLOBAL)

    def set_all(w, lr, wd):
        wd_var.assign(wd)
        for model in (single, *models.values(), decay_model, decay_single):
            model.set_weights([w, np.zeros(1, np.float32)])
        for optimizer in (
            single_opt,
            *optimizers.values(),
            models["fit"].optimizer,
            decay_opt,
            decay_single_opt,
        ):
            optimizer.learning_rate.assign(lr)
        # Keras' decoupled decay, lr * weight_decay * w, with weight_decay = 2 wd: the same
        # shrinkage as the l2(wd) penalty's gradient, so `bound` covers it too.
        for optimizer in (decay_opt, decay_single_opt):
            optimizer.weight_decay = 2 * wd

    def bound(w, x, y, lr, wd):
        """Worst-case float32 difference between two orders of the same step, per weight.

        The data gradient is a sum over the global batch of per-example terms 2 r_i x_i, with
        r_i = x_i.w - y_i (bias 0); splitting it across replicas changes the order of that sum and
        of the residual's dot product. With magnitudes taken absolutely (so cancellation cannot hide
        an error), gamma_k of them bounds both orders, k = batch + features + a few more operations;
        the penalty gradient 2 wd w and the update w - lr g add a few roundings of their own.
        """
        k = GLOBAL + FEATURES + 8
        r_abs = np.abs(x) @ np.abs(w) + np.abs(y)
        g_abs = 2 * (np.abs(x).T @ r_abs) / GLOBAL + 2 * wd * np.abs(w)
        return 2 * gamma(k) * (np.abs(w) + lr * g_abs) + 4 * TINY32

    values = st.floats(-3, 3, width=32)

    cluster = {"database": None, "phases": (Phase.explicit, Phase.generate)} if lockstep else {}

    # Each example trains: as many examples as the checks package's properties that train a
    # model draw (`ci`: 5, `thorough`: 100).
    examples = profiles.training_examples(settings.default.max_examples)

    @settings(max_examples=examples, **cluster)
    @given(
        w=arrays(np.float32, (FEATURES, 1), elements=values),
        x=arrays(np.float32, (GLOBAL, FEATURES), elements=values),
        y=arrays(np.float32, (GLOBAL, 1), elements=values),
        lr=st.floats(1e-3, 0.1),
        wd=st.floats(1e-3, 1.0),
    )
    def check(w, x, y, lr, wd):
        set_all(w, lr, wd)
        single_step(tf.constant(x), tf.constant(y))
        dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL)
        for xb, yb in strategy.experimental_distribute_dataset(dataset):
            steps["scaled"](xb, yb)
            steps["unscaled"](xb, yb)
        if not fit_raises:
            models["fit"].fit(x, y, batch_size=GLOBAL, epochs=1, shuffle=False, verbose=0)
        for xb, yb in strategy.experimental_distribute_dataset(dataset):
            decay_step(xb, yb)
        decay_single_step(tf.constant(x), tf.constant(y))

        w64, tol = w.astype(np.float64), bound(w.astype(np.float64), x, y, lr, wd)
        w_single = single.get_weights()[0].astype(np.float64)
        w_scaled = models["scaled"].get_weights()[0].astype(np.float64)
        w_unscaled = models["unscaled"].get_weights()[0].astype(np.float64)
        w_fit = models["fit"].get_weights()[0].astype(np.float64)
        assert np.all(np.abs(w_scaled - w_single) <= tol), "scaled step != single-device step"
        extra = lr * (N - 1) * 2 * wd * w64  # the N - 1 extra copies of the penalty gradient
        assert np.all(np.abs((w_scaled - w_unscaled) - extra) <= 2 * tol), "unscaled != N x penalty"
        assert fit_raises or np.all(np.abs(w_fit - w_scaled) <= tol), "fit != scaled custom step"
        w_decay = decay_model.get_weights()[0].astype(np.float64)
        w_decay_single = decay_single.get_weights()[0].astype(np.float64)
        assert np.all(np.abs(w_decay - w_decay_single) <= tol), "weight_decay under the strategy != single"

    if fit_raises:
        x0 = np.zeros((GLOBAL, FEATURES), np.float32)
        try:
            models["fit"].fit(x0, x0[:, :1], batch_size=GLOBAL, epochs=1, verbose=0)
        except ValueError as error:
            assert "PerReplica" in str(error), error
            print("fit: ValueError (Keras 3 under MultiWorkerMirroredStrategy)")
        else:
            raise AssertionError("Keras 3's fit under MultiWorkerMirroredStrategy works now: update the page")
    if lockstep and not settings.default.derandomize:
        check = seed(int(os.environ["WD_HYPOTHESIS_SEED"]))(check)  # every worker draws the same
    check()
    digest = hashlib.sha256(b"".join(m.get_weights()[0].tobytes() for m in (*models.values(), decay_model)))
    print(f"weights {digest.hexdigest()}")
    print(f"ok: {N} replica(s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Weight decay properties under tf.distribute.")
    parser.add_argument("replicas", nargs="?", type=int, help="MirroredStrategy on N logical CPUs")
    parser.add_argument("--worker", type=int, help="this process's index in a multi-worker cluster")
    parser.add_argument("--ports", help="the cluster's ports on 127.0.0.1, comma-separated")
    args = parser.parse_args()
    profiles.register()
    if args.worker is not None:
        main(multi_worker(args.worker, [int(p) for p in args.ports.split(",")]), lockstep=True)
    else:
        main(mirrored(args.replicas))
