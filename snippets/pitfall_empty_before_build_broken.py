"""Pitfall: `net.losses` is empty until the model is built, and `tf.add_n([])` raises.

Run: python snippets/pitfall_empty_before_build_broken.py
"""

import tensorflow as tf

# --8<-- [start:broken]
net = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(0.01))])
print("before the first call:", net.losses)  # no kernel exists yet, so no penalty
raised = False
try:
    penalty = tf.add_n(net.losses)  # broken: summed before the weights exist
except ValueError as error:
    print("tf.add_n(net.losses) raised ValueError:", error)
    raised = True
# --8<-- [end:broken]
assert net.losses == [] and raised
