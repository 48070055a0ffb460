"""`fit` on a `mixed_float16` model whose layer has a float16 activity penalty.

tf-keras casts every term of `model.losses` before adding them; Keras 3.15's
`fit` raises TypeError (its `compute_loss` adds a float16 term to float32
ones). The fix for both: pitfall_mixed_precision_penalty_fixed.py.

Run: python mixed_precision_fit_activity_penalty.py
"""

import numpy as np
import tensorflow as tf

tf.keras.mixed_precision.set_global_policy("mixed_float16")
l2 = tf.keras.regularizers.l2(0.01)
net = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(
            4, kernel_regularizer=l2, activity_regularizer=l2
        ),
        tf.keras.layers.Dense(1, dtype="float32"),
    ]
)
net.compile(optimizer="sgd", loss="mse")
x, y = np.ones((8, 3), "float32"), np.ones((8, 1), "float32")
try:
    net.fit(x, y, epochs=1, verbose=0)
    outcome = "trained"
except TypeError:
    outcome = "TypeError"
print("fit:", outcome)

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
assert outcome == ("TypeError" if KERAS_3 else "trained"), (
    "fit-mixed-activity: Keras 3's fit (3.8 and later) raises TypeError on a"
    " float16 activity penalty; tf-keras' fit trains"
)
