"""Pitfall: excluding from weight decay by a name Keras does not use.

`exclude_from_weight_decay(var_names=[...])` searches each regular
expression in the variables' names, case-sensitively. Code ported from BERT
or PyTorch names the normalization parameters "LayerNorm"; Keras names the
layer "layer_normalization". Nothing matches, nothing is reported, and the
normalization parameters decay.

Run: python pitfall_exclude_by_name_broken.py
"""

import tensorflow as tf

layers = tf.keras.layers
net = tf.keras.Sequential(
    [layers.Dense(8), layers.LayerNormalization(), layers.Dense(1)]
)
net.build((None, 4))

optimizer = tf.keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
optimizer.exclude_from_weight_decay(var_names=["LayerNorm", "bias"])

# One step with zero gradients from all-ones weights: a variable that decays
# is multiplied by 1 - 0.1 * 0.5 = 0.95; an excluded one stays at 1.
for v in net.trainable_variables:
    v.assign(tf.ones_like(v))
zeros = [tf.zeros_like(v) for v in net.trainable_variables]
optimizer.apply_gradients(zip(zeros, net.trainable_variables))
decays = {}
for layer in net.layers:
    for v in layer.trainable_variables:
        name = f"{layer.name}/{v.name.split('/')[-1].split(':')[0]}"
        decays[name] = bool((v.numpy() < 1).all())
        print(f"{name:28} {'decays' if decays[name] else 'excluded'}")

norm_decays = [decays[n] for n in decays if "layer_normalization" in n]
assert norm_decays == [True, True], (
    "layernorm-name-matches-nothing: var_names=['LayerNorm'] excludes"
    " nothing of a Keras LayerNormalization: its gamma and beta decay"
)
