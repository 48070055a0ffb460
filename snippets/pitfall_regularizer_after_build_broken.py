"""Pitfall: setting `kernel_regularizer` on a layer that is already built.

The live model gets no penalty: it was registered (or not) when the kernel
was created. But the attribute *is* read again, by `get_config`: a clone, or
a model saved and loaded again, comes back with the penalty, so it trains
differently from the model you have.

Run: python pitfall_regularizer_after_build_broken.py
"""

import tensorflow as tf

net = tf.keras.Sequential([tf.keras.layers.Dense(1)])
net.build((None, 3))  # the kernel exists now, with no regularizer
net.layers[0].kernel_regularizer = tf.keras.regularizers.l2(0.01)  # too late
print("live model, penalty terms:", len(net.losses))

clone = tf.keras.models.clone_model(net)
clone.build((None, 3))
reloaded = tf.keras.models.model_from_json(net.to_json())
reloaded.build((None, 3))
print("clone_model, penalty terms:", len(clone.losses))
print("to_json and back, penalty terms:", len(reloaded.losses))

assert net.losses == [], (
    "live-model-no-penalty: the live model has no penalty term: it would"
    " train with no weight decay at all"
)
assert len(clone.losses) == len(reloaded.losses) == 1, (
    "config-copies-have-penalty: `clone_model` and `model_from_json` read"
    " the attribute from `get_config` and come back with the penalty"
)
