"""What each Keras optimizer decays when you pass nothing: the default
`weight_decay` of SGD, Adam and AdamW, and AdamW's `epsilon`, read from their
signatures.

Keras' AdamW decays by default (0.004); SGD and Adam do not. PyTorch's AdamW
defaults to 0.01 (pytorch_weight_decay_conventions.py): porting
`torch.optim.AdamW(params, lr)` to `AdamW(learning_rate=lr)` changes the
decay by a factor 0.4 unless you write `weight_decay=0.01`; PyTorch's eps is
1e-8, Keras' epsilon 1e-7.

Run: python snippets/keras_optimizer_defaults.py
"""

import inspect

import tensorflow as tf

defaults = {
    name: inspect.signature(getattr(tf.keras.optimizers, name))
    .parameters["weight_decay"]
    .default
    for name in ("SGD", "Adam", "AdamW")
}
print("default weight_decay:", defaults)
signature = inspect.signature(tf.keras.optimizers.AdamW).parameters
epsilon = signature["epsilon"].default
print("AdamW's default epsilon:", epsilon)

assert not defaults["SGD"] and not defaults["Adam"], (
    "sgd-adam-no-default-decay: Keras' SGD and Adam decay nothing by default"
)
assert defaults["AdamW"] == 0.004, (
    "adamw-default-0004: Keras' AdamW decays by weight_decay=0.004 by default"
)
assert epsilon == 1e-7, "adamw-epsilon: Keras' AdamW defaults to epsilon=1e-7"
