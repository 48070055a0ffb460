"""Fixed: add penalties to a built model by cloning it with regularizers.

`clone_model` rebuilds each layer from its configuration; a
`clone_function` can set `kernel_regularizer` on the way, and the clone
takes the original's weights. This works in Keras 3 and in tf-keras, on
any functional or Sequential model, a Keras Application included. (In
tf-keras, `add_loss(lambda layer=layer: l2(layer.kernel))` also works: the
default argument binds each layer when the lambda is made.)

Run: python pitfall_add_loss_closure_fixed.py
"""

import numpy as np
import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
tf.keras.utils.set_random_seed(0)
l2 = tf.keras.regularizers.l2(0.01)

inputs = tf.keras.Input((4,))
hidden = tf.keras.layers.Dense(8)(inputs)
outputs = tf.keras.layers.Dense(1)(hidden)
model = tf.keras.Model(inputs, outputs)


def with_l2(layer):
    """A new layer like `layer`, with an L2 penalty on its kernel."""
    config = layer.get_config()
    if isinstance(layer, tf.keras.layers.Dense):
        config["kernel_regularizer"] = l2
    return layer.__class__.from_config(config)


regularized = tf.keras.models.clone_model(model, clone_function=with_l2)
regularized.set_weights(model.get_weights())

penalty = float(tf.add_n(regularized.losses))
meant = sum(float(l2(layer.kernel)) for layer in model.layers[1:])
x = np.random.default_rng(0).normal(size=(2, 4)).astype("float32")
gap = np.abs(regularized(x).numpy() - model(x).numpy()).max()
untouched = not model.losses
print(
    f"{len(regularized.losses)} penalties, total {penalty:.4f};"
    f" meant {meant:.4f}"
)
print(f"outputs differ by {gap}; original without penalties: {untouched}")

if not KERAS_3:  # tf-keras only: Keras 3's model.add_loss raises
    for layer in model.layers[1:]:
        model.add_loss(lambda layer=layer: l2(layer.kernel))
    bound = float(tf.add_n(model.losses))
    print(f"tf-keras, add_loss(lambda layer=layer: ...): {bound:.4f}")
    assert abs(bound - meant) < 1e-6, (
        "default-argument-binds-each-layer: in tf-keras, add_loss(lambda"
        " layer=layer: l2(layer.kernel)) in a loop penalizes every layer"
    )

assert len(regularized.losses) == 2 and abs(penalty - meant) < 1e-6, (
    "clone-adds-one-penalty-per-kernel: clone_model with a clone_function"
    " that sets kernel_regularizer gives one penalty per Dense kernel, the"
    " sum meant"
)
assert gap == 0 and untouched, (
    "clone-keeps-the-model: the clone computes the original's outputs"
    " exactly, and the original is left without penalties"
)
