"""Hypothesis properties of weight decay under MirroredStrategy, for one number of replicas.

Run by tests/test_distributed.py as `python -m tests.support.distributed_check N`, in a fresh
interpreter per N (logical devices must be configured before TensorFlow starts) and per Keras.
For drawn weights, data, wd and learning rate, one step on the global batch:
  1. with the penalty scaled (`scale_regularization_loss`) equals one single-device step;
  2. with it unscaled, the penalty's gradient is applied N times (W moves lr*(N-1)*2wd*W more);
  3. `model.fit` under the strategy equals the scaled custom step.
"""

from __future__ import annotations

import sys

import numpy as np
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tests.support import profiles

PER_REPLICA, FEATURES = 4, 3
U32 = np.finfo(np.float32).eps / 2
TINY32 = float(np.finfo(np.float32).tiny)


def main(N: int) -> None:
    """Configure N logical devices, then check the properties (once per process)."""
    GLOBAL = N * PER_REPLICA

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * N)
    strategy = tf.distribute.MirroredStrategy([f"/cpu:{i}" for i in range(N)])
    assert strategy.num_replicas_in_sync == N

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

    def set_all(w, lr, wd):
        wd_var.assign(wd)
        for model in (single, *models.values()):
            model.set_weights([w, np.zeros(1, np.float32)])
        for optimizer in (single_opt, *optimizers.values(), models["fit"].optimizer):
            optimizer.learning_rate.assign(lr)

    def bound(w, x, y, lr, wd):
        """Worst-case float32 difference between two orders of the same step, per weight.

        The data gradient is a sum over the global batch of per-example terms 2 r_i x_i, with
        r_i = x_i.w - y_i (bias 0); splitting it across replicas changes the order of that sum and
        of the residual's dot product. With magnitudes taken absolutely (so cancellation cannot hide
        an error), gamma_k of them bounds both orders, k = batch + features + a few more operations;
        the penalty gradient 2 wd w and the update w - lr g add a few roundings of their own.
        """
        k = GLOBAL + FEATURES + 8
        gamma = k * U32 / (1 - k * U32)
        r_abs = np.abs(x) @ np.abs(w) + np.abs(y)
        g_abs = 2 * (np.abs(x).T @ r_abs) / GLOBAL + 2 * wd * np.abs(w)
        return 2 * gamma * (np.abs(w) + lr * g_abs) + 4 * TINY32

    values = st.floats(-3, 3, width=32)

    @settings(max_examples=max(5, settings.default.max_examples // 3))
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
        models["fit"].fit(x, y, batch_size=GLOBAL, epochs=1, shuffle=False, verbose=0)

        w64, tol = w.astype(np.float64), bound(w.astype(np.float64), x, y, lr, wd)
        w_single = single.get_weights()[0].astype(np.float64)
        w_scaled = models["scaled"].get_weights()[0].astype(np.float64)
        w_unscaled = models["unscaled"].get_weights()[0].astype(np.float64)
        w_fit = models["fit"].get_weights()[0].astype(np.float64)
        assert np.all(np.abs(w_scaled - w_single) <= tol), "scaled step != single-device step"
        extra = lr * (N - 1) * 2 * wd * w64  # the N - 1 extra copies of the penalty gradient
        assert np.all(np.abs((w_scaled - w_unscaled) - extra) <= 2 * tol), "unscaled != N x penalty"
        assert np.all(np.abs(w_fit - w_scaled) <= tol), "fit != scaled custom step"

    check()
    print(f"ok: {N} replica(s)")


if __name__ == "__main__":
    profiles.load()
    main(int(sys.argv[1]))
