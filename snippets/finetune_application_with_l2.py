"""Fine-tuning a Keras Application with an L2 penalty, or with AdamW.

`weights=None` stands in for `weights="imagenet"` here (nothing is
downloaded); the model is the same. Applications are built without
regularizers, and setting `layer.kernel_regularizer` on a built layer adds
no penalty (pitfall_regularizer_after_build_broken.py). The route that
works in both Kerases: clone the model with regularizers, copy the weights.
Freezing the base then changes the penalties in Keras 3, not in tf-keras
(pitfall_frozen_layer_broken.py). AdamW needs no clone: exclude the
normalization parameters and biases by type and rank.

Run: python finetune_application_with_l2.py
"""

import numpy as np
import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
layers = tf.keras.layers
l2 = tf.keras.regularizers.l2(1e-4)
base = tf.keras.applications.MobileNetV2(
    weights=None, include_top=False, input_shape=(32, 32, 3), alpha=0.35
)
CONVOLUTIONS = (layers.Conv2D, layers.DepthwiseConv2D)
convs = [layer for layer in base.layers if isinstance(layer, CONVOLUTIONS)]
kernels = [v for c in convs for v in c.trainable_variables if len(v.shape) == 4]
print(
    f"{type(base).__name__}: {len(base.layers)} layers,"
    f" {len(convs)} convolutions, {len(base.losses)} penalties"
)

for layer in convs:  # too late: the kernels exist already
    layer.kernel_regularizer = l2
after_setting = len(base.losses)
print("after setting kernel_regularizer:", after_setting, "penalties")
for layer in convs:  # undone, so the clone below starts from the original
    layer.kernel_regularizer = None


def with_l2(layer):
    config = layer.get_config()
    if isinstance(layer, layers.DepthwiseConv2D):
        config["depthwise_regularizer"] = l2
    elif isinstance(layer, layers.Conv2D):
        config["kernel_regularizer"] = l2
    return layer.__class__.from_config(config)


regularized = tf.keras.models.clone_model(base, clone_function=with_l2)
regularized.set_weights(base.get_weights())
x = np.random.default_rng(0).normal(size=(2, 32, 32, 3)).astype("float32")
gap = np.abs(regularized(x).numpy() - base(x).numpy()).max()
penalties = len(regularized.losses)
print(f"clone: {penalties} penalties, outputs differ by {gap}")

regularized.trainable = False  # fine-tune a new head on a frozen base
frozen = len(regularized.losses)
print(f"frozen clone: {frozen} penalties")

# AdamW: decay the convolution kernels, not BatchNormalization's gamma and
# beta nor any 1-D variable; check the partition once.
no_decay = [
    v
    for layer in base.layers
    for v in layer.trainable_variables
    if isinstance(layer, layers.BatchNormalization) or len(v.shape) <= 1
]
excluded = {id(v) for v in no_decay}
decay = [v for v in base.trainable_variables if id(v) not in excluded]
optimizer = tf.keras.optimizers.AdamW(learning_rate=1e-4, weight_decay=0.05)
optimizer.exclude_from_weight_decay(var_list=no_decay)
print(f"AdamW: {len(decay)} variables decay, {len(no_decay)} excluded")

assert after_setting == 0, (
    "setting-regularizer-after-build-adds-nothing: a built Application gets"
    " no penalty from setting kernel_regularizer on its layers"
)
assert penalties == len(convs) and gap == 0, (
    "clone-regularizes-every-convolution: the clone has one penalty per"
    " convolution kernel (depthwise ones included) and the same outputs"
)
assert frozen == (0 if KERAS_3 else len(convs)), (
    "frozen-base-penalties: with the base frozen, Keras 3 computes no"
    " penalty for it; tf-keras still computes every one"
)
assert {id(v) for v in decay} == {id(v) for v in kernels} and (
    len(decay) + len(no_decay) == len(base.trainable_variables)
), (
    "adamw-decays-only-kernels: excluding BatchNormalization and 1-D"
    " variables leaves exactly the convolution kernels decaying, and the two"
    " groups hold every trainable variable once"
)
