"""Fixed: exclude by layer type and by rank, then check the partition.

Choose the variables themselves, not their names: the normalization layers'
parameters (by layer type) and every 1-D variable (biases), passed as
`var_list`. Then check two things before training: the two groups cover
every trainable variable exactly once, and one step with zero gradients
decays exactly the group meant to decay.

Run: python pitfall_exclude_by_name_fixed.py
"""

import tensorflow as tf

layers = tf.keras.layers
NORMALIZATION = (layers.LayerNormalization, layers.BatchNormalization)
net = tf.keras.Sequential(
    [layers.Dense(8), layers.LayerNormalization(), layers.Dense(1)]
)
net.build((None, 4))

no_decay = [
    v
    for layer in net.layers
    for v in layer.trainable_variables
    if isinstance(layer, NORMALIZATION) or len(v.shape) <= 1
]
excluded = {id(v) for v in no_decay}
decay = [v for v in net.trainable_variables if id(v) not in excluded]

# The partition: every trainable variable in exactly one group.
groups = [id(v) for v in decay + no_decay]
everything = [id(v) for v in net.trainable_variables]
print(
    f"{len(decay)} variables decay, {len(no_decay)} do not,"
    f" of {len(everything)}"
)

optimizer = tf.keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
optimizer.exclude_from_weight_decay(var_list=no_decay)

# One step with zero gradients from all-ones weights: a variable that decays
# is multiplied by 1 - 0.1 * 0.5 = 0.95; an excluded one stays at 1.
for v in net.trainable_variables:
    v.assign(tf.ones_like(v))
zeros = [tf.zeros_like(v) for v in net.trainable_variables]
optimizer.apply_gradients(zip(zeros, net.trainable_variables))
decayed = set()
for layer in net.layers:
    for v in layer.trainable_variables:
        name = f"{layer.name}/{v.name.split('/')[-1].split(':')[0]}"
        if (v.numpy() < 1).all():
            decayed.add(id(v))
        print(f"{name:28} {'decays' if id(v) in decayed else 'excluded'}")

assert sorted(groups) == sorted(everything), (
    "partition-covers-every-variable-once: the decay and no-decay groups"
    " together hold every trainable variable exactly once"
)
assert decayed == {id(v) for v in decay} and len(decay) == 2, (
    "exclude-by-type-and-rank: excluding the normalization layers'"
    " variables and the 1-D ones leaves exactly the two kernels decaying"
)
