"""Batch normalization while fine-tuning: a frozen BatchNormalization layer
runs in inference mode, and AdamW never decays its gamma and beta.

Setting `trainable = False` on a BatchNormalization layer (or on the base
model that holds it) makes it normalize with its moving statistics even
when called with training=True, and stop updating them: the pretrained
statistics survive fine-tuning. Its gamma and beta are no longer trainable
variables, so no optimizer step, and no weight decay, reaches them.

Run: python finetune_frozen_batchnorm.py
"""

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
layers = tf.keras.layers
base = tf.keras.Sequential(
    [layers.Dense(4), layers.BatchNormalization(), layers.Dense(4)]
)
base.build((None, 3))
bn = base.layers[1]
x = 5 + 2 * tf.random.normal((64, 3))  # far from the moving statistics
stats = [bn.moving_mean.numpy(), bn.moving_variance.numpy()]
trainable_gap = float(tf.reduce_max(tf.abs(base(x, training=True) - base(x))))
bn.moving_mean.assign(stats[0])  # undo that call's update
bn.moving_variance.assign(stats[1])
base.trainable = False  # fine-tune a new head on top

moving_mean = bn.moving_mean.numpy().copy()
gap = float(tf.reduce_max(tf.abs(base(x, training=True) - base(x))))
unchanged = np.array_equal(bn.moving_mean.numpy(), moving_mean)

model = tf.keras.Sequential([base, layers.Dense(1)])
model.build((None, 3))
optimizer = tf.keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
gamma = bn.gamma.numpy().copy()
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(model(x, training=True) ** 2)
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
names = [v.name.split("/")[-1].split(":")[0] for v in model.trainable_variables]

print("training=True vs training=False, outputs differ by:")
print(f"  {trainable_gap:.3f} while trainable, {gap} frozen")
print(f"moving mean unchanged by a training=True call: {unchanged}")
print(f"trainable variables after freezing the base: {names}")
same_gamma = np.array_equal(bn.gamma.numpy(), gamma)
print(f"gamma after an AdamW step: unchanged: {same_gamma}")

assert gap == 0 and unchanged and trainable_gap > 0.1, (
    "frozen-batchnorm-runs-in-inference-mode: a frozen BatchNormalization"
    " layer normalizes with its moving statistics even with training=True,"
    " and does not update them; trainable, it uses the batch's statistics"
)
assert len(names) == 2 and same_gamma, (
    "frozen-batchnorm-not-decayed: with the base frozen, only the head's"
    " kernel and bias are trainable; AdamW's step leaves gamma unchanged"
)
