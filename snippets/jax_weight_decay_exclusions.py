"""Keras 3 on JAX: `exclude_from_weight_decay(var_names=...)` matches the
variable's short name (`kernel`, `bias`), not the layer's.

On JAX a Keras variable's `name` is `kernel` or `bias`; its `path`
(`head/kernel`) holds the layer's name. The optimizer searches `var_names`
in the `name`, so a layer name excludes nothing, with no error. (On
TensorFlow it searches the underlying `tf.Variable`'s name, which includes
the layer: weight_decay_exclusions.py.) `var_list` works on every backend.

Run: python jax_weight_decay_exclusions.py
"""

import os

os.environ["KERAS_BACKEND"] = "jax"  # before Keras is imported

import jax.numpy as jnp
import keras


def decayed(**exclude):
    """The variables of a layer named "head" that one SGD step with
    weight_decay=0.5 and zero gradients changes."""
    head = keras.layers.Dense(
        2, name="head", kernel_initializer="ones", bias_initializer="ones"
    )
    head.build((None, 2))
    optimizer = keras.optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    optimizer.exclude_from_weight_decay(**exclude)
    variables = [head.kernel, head.bias]
    optimizer.apply_gradients([(jnp.zeros(v.shape), v) for v in variables])
    return [v.path for v in variables if float(jnp.min(v.value)) < 1.0]


print("backend:", keras.backend.backend())
by_layer = decayed(var_names=["head"])
by_short_name = decayed(var_names=["kernel"])
head = keras.layers.Dense(2, name="head")
head.build((None, 2))
print("variable names:", [v.name for v in head.weights])
print("variable paths:", [v.path for v in head.weights])
print("decayed with var_names=['head']:  ", by_layer)
print("decayed with var_names=['kernel']:", by_short_name)

assert by_layer == ["head/kernel", "head/bias"], (
    "jax-layer-name-excludes-nothing: on JAX, var_names=['head'] excludes"
    " nothing: both variables of the layer named head decay"
)
assert by_short_name == ["head/bias"], (
    "jax-short-name-matches: on JAX, var_names=['kernel'] excludes the"
    " kernel: the names searched are the short ones"
)
