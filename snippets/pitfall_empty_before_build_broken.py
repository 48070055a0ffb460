"""Pitfall: `net.losses` is empty until the model is built, and
`tf.add_n([])` raises.

Run: python pitfall_empty_before_build_broken.py
"""

import textwrap

import tensorflow as tf

net = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(
            1, kernel_regularizer=tf.keras.regularizers.l2(0.01)
        )
    ]
)
print("before the first call:", net.losses)  # no kernel yet, so no penalty
raised = False
try:
    penalty = tf.add_n(net.losses)  # broken: summed before the weights exist
except ValueError as error:
    print("tf.add_n(net.losses) raised ValueError:")
    print(
        textwrap.fill(
            str(error), 76, initial_indent="  ", subsequent_indent="  "
        )
    )
    raised = True

assert net.losses == [] and raised, (
    "empty-and-add-n-raises: before the first call `net.losses` is [] and"
    " `tf.add_n(net.losses)` raises ValueError"
)
