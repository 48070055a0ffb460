"""`make bench-check`: what the training-step check costs, as a multiple of one training step.

For a small MLP and a small CNN, each trained by a custom step run eagerly and as a
`tf.function`, it times one training step of the model (the median of 20, after 3 warm-up
steps, so a traced step's tracing is not counted), the first step of a new model (the optimizer
built, the function traced: what `fit` pays at its start), and one whole `check_training_step(make)`
(the median of 3 runs: every factory call, model build, trace and measuring run included), and
prints a Markdown table with the ratio. A benchmark, not a test: numbers depend on the machine.

Usage: python -m tools.bench_step_check
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf

from weight_decay_checks import __version__, check_training_step

L2 = tf.keras.regularizers.l2(1e-4)


def mlp():
    return tf.keras.Sequential(
        [
            tf.keras.Input((784,)),
            tf.keras.layers.Dense(128, "relu", kernel_regularizer=L2),
            tf.keras.layers.Dense(64, "relu", kernel_regularizer=L2),
            tf.keras.layers.Dense(10, kernel_regularizer=L2),
        ]
    ), tf.random.normal((64, 784))


def cnn():
    return tf.keras.Sequential(
        [
            tf.keras.Input((28, 28, 1)),
            tf.keras.layers.Conv2D(16, 3, activation="relu", kernel_regularizer=L2),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu", kernel_regularizer=L2),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(10, kernel_regularizer=L2),
        ]
    ), tf.random.normal((64, 28, 28, 1))


def factory(build, traced):
    def make():
        model, x = build()
        y = tf.random.uniform((x.shape[0],), maxval=10, dtype=tf.int32)
        optimizer = tf.keras.optimizers.Adam(1e-3)
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        def step(batch):
            x, y = batch
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True)) + tf.add_n(model.losses)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))

        return model, tf.function(step) if traced else step, (x, y)

    return make


def median_seconds(function, repeats, warmup=0):
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    rows = []
    for name, build in (("MLP 784-128-64-10", mlp), ("CNN 2 conv + dense", cnn)):
        for traced in (False, True):
            make = factory(build, traced)
            _, step, batch = make()
            start = time.perf_counter()
            step(batch)  # the first step: builds the optimizer, traces a tf.function
            first = time.perf_counter() - start
            one_step = median_seconds(lambda step=step, batch=batch: step(batch), 20, warmup=2)
            report = check_training_step(make)
            assert report.ok, report
            check = median_seconds(lambda make=make: check_training_step(make), 3)
            kind = "tf.function" if traced else "eager"
            rows.append(
                f"| {name} | {kind} | {one_step * 1e3:.1f} ms | {first * 1e3:.0f} ms | {check:.2f} s "
                f"| {check / one_step:.0f}x | {check / first:.1f}x |"
            )
    cores = os.cpu_count()
    print(
        f"weight-decay-checks {__version__}, TensorFlow {tf.__version__}, Keras "
        f"{'3' if hasattr(tf.keras, 'ops') else 'tf-keras'}; {platform.machine()}, {cores} cores, "
        f"Python {platform.python_version()}"
    )
    print(
        "\n| model | step | one step | first step | one check | check / step | check / first step |"
        "\n|---|---|---|---|---|---|---|"
    )
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
