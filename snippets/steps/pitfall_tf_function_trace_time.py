"""A regularizer attached after a `tf.function` step was traced.

The step of pitfall_tf_function_trace_time_broken.py and _fixed.py: traced
for batches of 8 before the penalty exists; a batch of another size makes a
new trace, which holds it.

Check it:
  python -m weight_decay_checks check pitfall_tf_function_trace_time.py:broken
"""

import tensorflow as tf

EXPECTED = {"broken": ["some_traces_only"], "fixed": ["penalty_once"]}


def make(attach_late):
    l2 = tf.keras.regularizers.l2(0.01)
    layer = tf.keras.layers.Dense(
        1, kernel_regularizer=None if attach_late else l2
    )
    net = tf.keras.Sequential([layer])
    net.build((None, 3))
    sgd = tf.keras.optimizers.SGD(0.1)

    @tf.function
    def step(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(net(x) - y)) + sum(net.losses)
        grads = tape.gradient(loss, net.trainable_variables)
        sgd.apply_gradients(zip(grads, net.trainable_variables))

    batch = tf.random.normal((8, 3)), tf.random.normal((8, 1))
    step(batch)  # traced for batches of 8
    if attach_late:
        if hasattr(layer.kernel, "regularizer"):  # Keras 3
            layer.kernel.regularizer = l2
        else:  # tf-keras
            layer.add_loss(lambda: l2(layer.kernel))
    return net, step, batch


def broken():
    return make(attach_late=True)


def fixed():
    return make(attach_late=False)
