"""Pitfall: adding penalties to a built model with `add_loss(lambda: ...)`
in a loop.

A model built without regularizers (a pretrained one, say) gets penalties
one layer at a time. In tf-keras, `model.add_loss` takes a function of no
arguments; a lambda written in a loop reads `layer` when it is called, after
the loop, so every penalty is the last layer's (reported as
tensorflow/tensorflow issue 38891). Keras 3's `add_loss` on a functional
model raises NotImplementedError when given one.

Run: python pitfall_add_loss_closure_broken.py
"""

import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
tf.keras.utils.set_random_seed(0)
l2 = tf.keras.regularizers.l2(0.01)

inputs = tf.keras.Input((4,))
hidden = tf.keras.layers.Dense(8)(inputs)
outputs = tf.keras.layers.Dense(1)(hidden)
model = tf.keras.Model(inputs, outputs)
dense_layers = model.layers[1:]

try:
    for layer in dense_layers:
        model.add_loss(lambda: l2(layer.kernel))  # noqa: B023 (the bug)
except NotImplementedError:
    print("add_loss(function) -> NotImplementedError")
    refused = True
else:
    refused = False
    penalty = float(tf.add_n(model.losses))
    meant = sum(float(l2(layer.kernel)) for layer in dense_layers)
    last = float(l2(dense_layers[-1].kernel))
    print(f"{len(model.losses)} penalties, total {penalty:.4f}")
    print(f"meant: {meant:.4f}; twice the last layer's: {2 * last:.4f}")

if KERAS_3:
    assert refused, (
        "keras3-add-loss-refuses-function: Keras 3's model.add_loss raises"
        " NotImplementedError for a function"
    )
else:
    assert abs(penalty - 2 * last) < 1e-6 and abs(penalty - meant) > 1e-3, (
        "closure-penalizes-last-layer: in tf-keras, every add_loss(lambda:"
        " l2(layer.kernel)) from the loop penalizes the last layer"
    )
