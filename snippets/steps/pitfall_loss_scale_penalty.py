"""The penalty added after loss scaling: divided by the scale.

The step of pitfall_loss_scale_penalty_broken.py and _fixed.py: a custom
loop with a LossScaleOptimizer.

Check it:
  python -m weight_decay_checks check pitfall_loss_scale_penalty.py:broken
"""

import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
EXPECTED = {
    "broken": ["penalty_divided_by_loss_scale"],
    "fixed": ["penalty_once"],
}


def scaled(optimizer, loss):  # Keras 3: scale_loss; tf-keras: get_scaled_loss
    if KERAS_3:
        return optimizer.scale_loss(loss)
    return optimizer.get_scaled_loss(loss)


def unscaled(optimizer, grads):  # Keras 3's apply_gradients unscales itself
    return grads if KERAS_3 else optimizer.get_unscaled_gradients(grads)


def make(penalty_first):
    layer = tf.keras.layers.Dense(
        1,
        kernel_regularizer=tf.keras.regularizers.l2(0.1),
        dtype="mixed_float16",
    )
    net = tf.keras.Sequential([layer])
    net.build((None, 3))
    sgd = tf.keras.optimizers.SGD(learning_rate=0.1)
    optimizer = tf.keras.mixed_precision.LossScaleOptimizer(sgd)

    def step(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            data = tf.reduce_mean((tf.cast(net(x), tf.float32) - y) ** 2)
            penalty = tf.add_n(net.losses)
            if penalty_first:
                loss = scaled(optimizer, data + penalty)
            else:
                loss = scaled(optimizer, data) + penalty
        grads = tape.gradient(loss, net.trainable_variables)
        grads = unscaled(optimizer, grads)
        optimizer.apply_gradients(zip(grads, net.trainable_variables))

    return net, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def broken():
    return make(penalty_first=False)


def fixed():
    return make(penalty_first=True)
