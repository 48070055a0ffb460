"""Activity penalties are cleared only when the *outermost* layer is called.

A layer called twice inside one forward pass keeps both terms; calling a
sublayer directly afterwards replaces only that sublayer's term; a term made
inside `tf.function` and read outside it is a symbolic tensor.

Run: python activity_losses_cleared_by_outermost_call.py
"""

import tensorflow as tf

x = tf.ones((2, 3))


class Twice(tf.keras.Model):
    """Calls one activity-regularized layer twice in its forward pass."""

    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(
            3, activity_regularizer=tf.keras.regularizers.l2(0.1)
        )

    def call(self, inputs):
        return self.dense(self.dense(inputs))


twice = Twice()
twice(x)
twice(x)  # a second top-level call clears the first call's terms
print("shared layer, called twice per pass:", len(twice.losses), "terms")

activity = tf.keras.regularizers.l2(0.1)
seq = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(
            3, kernel_initializer="ones", activity_regularizer=activity
        ),
        tf.keras.layers.Dense(
            1, kernel_initializer="ones", activity_regularizer=activity
        ),
    ]
)
seq(x)
fresh = [float(t) for t in seq.losses]
seq.layers[0](2 * x)  # a direct call of the first layer, on other data
mixed = [float(t) for t in seq.losses]
print("after seq(x):          ", [round(v, 4) for v in fresh])
print("after seq.layers[0](2x):", [round(v, 4) for v in mixed])

traced = tf.keras.Sequential(
    [tf.keras.layers.Dense(3, activity_regularizer=activity)]
)
tf.function(traced)(x)
term = traced.losses[0]
print("made inside tf.function, read outside:", type(term).__name__)
try:
    float(term)
    symbolic = False
except TypeError:
    symbolic = True

assert len(twice.losses) == 2, (
    "two-terms-for-two-calls: a layer called twice in one forward pass"
    " contributes two activity terms, and the next top-level call replaces"
    " both"
)
assert len(mixed) == 2 and mixed[0] != fresh[0] and mixed[1] == fresh[1], (
    "sublayer-call-mixes-terms: after calling `seq.layers[0]` directly,"
    " `seq.losses` holds that call's new term next to the stale term of the"
    " last `seq(x)`"
)
assert symbolic, (
    "symbolic-outside-tf-function: an activity term created inside"
    " `tf.function` and read outside it is symbolic: `float()` raises"
    " TypeError; read it inside the traced step"
)
