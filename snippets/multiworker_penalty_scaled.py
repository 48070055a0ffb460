"""Weight decay with MultiWorkerMirroredStrategy: two worker processes here.

Run as is, this program is the launcher: it imports TensorFlow, picks two free
ports on 127.0.0.1, forks itself into two workers (TF_CONFIG tells each one
the cluster and its index), waits, and prints what they report. On real
separate machines only TF_CONFIG changes: each host lists every worker's
address and its own index, and runs `python multiworker_penalty_scaled.py
--worker INDEX PORT PORT` (with the hosts' addresses in place of 127.0.0.1).

Each worker trains the same model for 3 steps with a custom loop:
`compute_average_loss(..., global_batch_size=...)` for the data and
`scale_regularization_loss(model.losses)` for the penalty, then checks it
against one process stepping on the whole global batch. Then it tries `fit`.

Run: python multiworker_penalty_scaled.py
"""

import json
import multiprocessing
import os
import socket
import sys
import tempfile

import numpy as np
import tensorflow as tf  # imported once; the workers are forked from here

WORKERS, STEPS, GLOBAL_BATCH, WD, LR = 2, 3, 8, 0.1, 0.1


def worker(index, ports):
    """Train as worker `index` of the cluster; returns the lines it reports."""
    cluster = {"worker": [f"127.0.0.1:{port}" for port in ports]}
    task = {"type": "worker", "index": index}
    os.environ["TF_CONFIG"] = json.dumps({"cluster": cluster, "task": task})
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    tf.keras.utils.set_random_seed(0)  # every worker makes the same data
    X = tf.random.normal((GLOBAL_BATCH, 3))
    y = tf.random.normal((GLOBAL_BATCH, 1))
    W0 = np.random.default_rng(0).normal(size=(3, 1)).astype(np.float32)

    def make_model():
        l2 = tf.keras.regularizers.l2(WD)
        model = tf.keras.Sequential(
            [tf.keras.layers.Dense(1, kernel_regularizer=l2)]
        )
        model.build((None, 3))
        model.set_weights([W0, np.zeros(1, np.float32)])
        return model

    with strategy.scope():
        model = make_model()
        optimizer = tf.keras.optimizers.SGD(learning_rate=LR)

    def replica_step(xb, yb):
        with tf.GradientTape() as tape:
            per_example = tf.reduce_mean(tf.square(model(xb) - yb), axis=-1)
            loss = tf.nn.compute_average_loss(
                per_example, global_batch_size=GLOBAL_BATCH
            )
            loss += tf.nn.scale_regularization_loss(model.losses)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

    step = tf.function(lambda xb, yb: strategy.run(replica_step, args=(xb, yb)))
    batches = tf.data.Dataset.from_tensor_slices((X, y)).batch(GLOBAL_BATCH)
    for _ in range(STEPS):  # each worker takes its half of every global batch
        for xb, yb in strategy.experimental_distribute_dataset(batches):
            step(xb, yb)

    single = make_model()  # one process, the whole global batch
    single_optimizer = tf.keras.optimizers.SGD(learning_rate=LR)
    for _ in range(STEPS):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(single(X) - y))
            loss += tf.add_n(single.losses)
        grads = tape.gradient(loss, single.trainable_variables)
        single_optimizer.apply_gradients(zip(grads, single.trainable_variables))
    gap = float(
        np.max(np.abs(model.get_weights()[0] - single.get_weights()[0]))
    )

    with strategy.scope():
        fitted = make_model()
        fitted.compile(optimizer=tf.keras.optimizers.SGD(LR), loss="mse")
    try:
        fitted.fit(
            batches.repeat(STEPS), epochs=1, steps_per_epoch=STEPS, verbose=0
        )
        fit_gap = np.max(
            np.abs(fitted.get_weights()[0] - model.get_weights()[0])
        )
        fit = f"same as the custom loop: {fit_gap < 1e-6}"
    except ValueError as error:  # Keras 3.15 (see the page)
        fit = f"ValueError: {str(error).splitlines()[0][:40]}..."
    kernel = " ".join(f"{w:.4f}" for w in model.get_weights()[0].ravel())
    report = [
        f"worker {index}: replicas {strategy.num_replicas_in_sync},"
        f" kernel {kernel}",
        f"worker {index}: same as one process on the global batch:"
        f" {gap < 1e-6}",
        f"worker {index}: fit: {fit}",
    ]
    # Order-1 float32 values, 3 steps: a few roundings stay below 1e-6.
    assert gap < 1e-6, (
        "multiworker-scaled-equals-single-process: after 3 steps each worker"
        " holds the weights of one process stepping on the global batch"
    )
    keras_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
    assert fit.startswith(
        "ValueError" if keras_3 else "same as the custom loop: True"
    ), (
        "multiworker-fit: under MultiWorkerMirroredStrategy, tf-keras' fit"
        " takes the custom loop's steps; Keras 3.15's fit raises ValueError"
    )
    return report


def report_to(pipe, index, ports):
    pipe.send(worker(index, ports))


def launch():
    socks = [socket.socket() for _ in range(WORKERS)]
    for s in socks:
        s.bind(("127.0.0.1", 0))  # free ports, chosen now
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    # Forked before TensorFlow runs anything: each worker starts its runtime
    # and sends back its report; one that fails prints its traceback and
    # exits with a non-zero code, one that hangs is stopped after 120 s.
    # Forked workers skip Python's exit handlers, which delete the code
    # TensorFlow generates for traced functions: it goes to a folder
    # removed here.
    fork = multiprocessing.get_context("fork")
    pipes = [fork.Pipe(duplex=False) for _ in range(WORKERS)]
    with tempfile.TemporaryDirectory() as scratch:
        tempfile.tempdir = scratch
        workers = [
            fork.Process(target=report_to, args=(send, i, ports))
            for i, (_, send) in enumerate(pipes)
        ]
        for process in workers:
            process.start()
        for process in workers:
            process.join(timeout=120)
            process.kill()  # no-op once it has exited
        tempfile.tempdir = None
    codes = [process.exitcode for process in workers]
    assert codes == [0] * WORKERS, f"workers exited with codes {codes}"
    reports = [receive.recv() for receive, _ in pipes]
    for report in reports:
        print("\n".join(report))
    kernels = {
        line.split("kernel ")[1]
        for r in reports
        for line in r
        if "kernel " in line
    }
    assert len(kernels) == 1, (
        "workers-agree: every worker ends with the same kernel"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:  # one worker, on a machine of its own
        print(
            "\n".join(worker(int(sys.argv[2]), [int(p) for p in sys.argv[3:]]))
        )
    else:
        launch()
