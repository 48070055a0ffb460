"""Gradient clipping under a `tf.distribute` strategy: Keras 3 and tf-keras
clip different gradients.

Keras 3 (on TensorFlow) clips each replica's gradient, then sums the
replicas' gradients (`BaseOptimizer.apply`: `_clip_gradients`, then the
all-reduce in `_backend_update_step`); tf-keras sums first, then clips
(`Optimizer.apply_gradients`: `aggregate_gradients`, then
`_clip_gradients`). With the penalty scaled correctly, one SGD step with
`clipnorm=1` from a weight of 10 under `l2(0.5)` (gradient 10): one device
clips 10 to 1; Keras 3 clips each replica's 5 to 1 and sums 2; tf-keras
sums 10 and clips to 1. Decoupled decay is not a gradient: one decay step
in both.

Run: python clipping_under_strategy.py
"""

import tensorflow as tf

replicas = 2
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration()] * replicas
)  # must run before TensorFlow initializes its devices
strategy = tf.distribute.MirroredStrategy(
    [f"/cpu:{i}" for i in range(replicas)]
)
KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
lr, w0 = 0.1, 10.0


def layer_and_optimizer(regularizer, weight_decay):
    layer = tf.keras.layers.Dense(
        1,
        use_bias=False,
        kernel_initializer=tf.keras.initializers.Constant(w0),
        kernel_regularizer=regularizer,
    )
    layer.build((None, 1))
    optimizer = tf.keras.optimizers.SGD(
        learning_rate=lr, clipnorm=1.0, weight_decay=weight_decay
    )
    return layer, optimizer


def step(layer, optimizer, scale_penalty):
    """One step with no data loss: only the penalty (or decay) acts."""
    with tf.GradientTape() as tape:
        penalty = sum(layer.losses)
        if scale_penalty:  # the distributed rule: divide by the replicas
            penalty = tf.nn.scale_regularization_loss(layer.losses)
        loss = 0.0 * tf.reduce_sum(layer.kernel) + penalty
    grad = tape.gradient(loss, layer.kernel)
    optimizer.apply_gradients([(grad, layer.kernel)])


def on_replicas(regularizer, weight_decay):
    with strategy.scope():
        layer, optimizer = layer_and_optimizer(regularizer, weight_decay)
    run = tf.function(lambda: strategy.run(step, (layer, optimizer, True)))
    run()
    return float(layer.kernel[0, 0])


layer, optimizer = layer_and_optimizer(tf.keras.regularizers.l2(0.5), None)
step(layer, optimizer, scale_penalty=False)
one_device = float(layer.kernel[0, 0])
penalty = on_replicas(tf.keras.regularizers.l2(0.5), None)
decay = on_replicas(None, 1.0)
print(f"l2(0.5), clipnorm=1, one device: {one_device:.4f}")
print(f"l2(0.5), clipnorm=1, 2 replicas: {penalty:.4f}")
print(f"weight_decay=1, clipnorm=1, 2 replicas: {decay:.4f}")

# Order-10 float32 values: a few roundings stay below 1e-5.
assert abs(one_device - 9.9) < 1e-5, (
    "one-device-clipped: on one device the penalty's gradient 10 is clipped"
    " to 1: 10 -> 9.9"
)
if KERAS_3:
    assert abs(penalty - 9.8) < 1e-5, (
        "keras3-clips-per-replica: Keras 3 clips each replica's gradient 5"
        " to 1 before summing: the step is 2, 10 -> 9.8"
    )
else:
    assert abs(penalty - 9.9) < 1e-5, (
        "tf-keras-clips-the-sum: tf-keras sums the replicas' gradients (10)"
        " and then clips to 1, as on one device: 10 -> 9.9"
    )
assert abs(decay - 9.0) < 1e-5, (
    "decay-once-unclipped: decoupled decay is applied once per step, in"
    " full, under both Kerases: 10 * (1 - 0.1 * 1) = 9.0"
)
