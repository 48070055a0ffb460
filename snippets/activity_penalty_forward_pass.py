"""Activity penalties and `add_loss(value)` are produced by the forward pass, one call at a time.

Run: python snippets/activity_penalty_forward_pass.py
"""

import tensorflow as tf

# --8<-- [start:demo]
layer = tf.keras.layers.Dense(
    2,
    kernel_initializer="ones",
    activity_regularizer=tf.keras.regularizers.l2(0.1),  # penalizes the layer's *outputs*
)
layer.build((None, 3))
print("before any call:", layer.losses)  # outputs do not exist yet

for batch_size in (4, 2):
    x = tf.fill((batch_size, 3), float(batch_size))  # a different batch each time
    out = layer(x)  # forward pass: the activity penalty is computed here
    expected = 0.1 * float(tf.reduce_sum(out**2)) / batch_size  # divided by the batch size
    print(
        f"after a call on {batch_size} examples: {len(layer.losses)} term,"  # replaced, not appended
        f" value {float(layer.losses[0]):.4f}, 0.1 * sum(out**2) / batch = {expected:.4f}"
    )
# --8<-- [end:demo]
