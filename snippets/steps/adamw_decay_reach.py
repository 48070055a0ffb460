"""AdamW's decay: on the weights the step hands it, from the optimizer that
has it.

`frozen`: a fine-tuning step that hands the optimizer every weight
(`net.weights`) instead of the trainable ones: the frozen base is updated,
and decayed, anyway. `other_optimizer`: the model is compiled with AdamW,
but the custom loop steps with a plain Adam made beside it: no weight is
decayed. `as_configured`: the trainable weights, the compiled AdamW.

Check it:
  python -m weight_decay_checks check adamw_decay_reach.py:frozen
"""

import tensorflow as tf

EXPECTED = {
    "frozen": ["decay_on_frozen"],
    "other_optimizer": ["decay_missing"],
    "as_configured": ["decay_once"],
}


def make(variables, optimizer):
    base, head = tf.keras.layers.Dense(4), tf.keras.layers.Dense(1)
    net = tf.keras.Sequential([base, head])
    net.build((None, 3))
    base.trainable = False  # fine-tune only the head
    net.compile(optimizer=tf.keras.optimizers.AdamW(weight_decay=0.01))
    opt = (
        net.optimizer if optimizer == "compiled" else tf.keras.optimizers.Adam()
    )

    def step(batch):
        x, y = batch
        chosen = net.weights if variables == "all" else net.trainable_weights
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(net(x) - y))
        grads = tape.gradient(loss, chosen)
        opt.apply_gradients(zip(grads, chosen))

    return net, step, (tf.random.normal((8, 3)), tf.random.normal((8, 1)))


def frozen():
    return make("all", "compiled")


def other_optimizer():
    return make("trainable", "separate")


def as_configured():
    return make("trainable", "compiled")
