"""Which variables `weight_decay` decays, and how to exclude some.

By default every trainable variable decays: embeddings, kernels, biases and
normalization layers' gamma and beta. The usual practice decays only the
weight matrices; `exclude_from_weight_decay` does it before the first step,
by variable (`var_list`) or by regular expressions searched in the variable's
TensorFlow name, such as "head/bias:0" (`var_names`). Each call replaces the
previous one's exclusions: name everything in one call.

Run: python weight_decay_exclusions.py
"""

import tensorflow as tf

layers = tf.keras.layers


def model():
    net = tf.keras.Sequential(
        [
            layers.Embedding(10, 4),
            layers.Dense(4, bias_initializer="ones"),
            layers.BatchNormalization(beta_initializer="ones"),
            layers.Dense(1, bias_initializer="ones", name="head"),
        ]
    )
    net.build((None, 2))
    return net


def factors(exclude=None):
    """One step of SGD(learning_rate=0.1, weight_decay=0.5) with zero
    gradients: each variable is multiplied by 0.95 if it decays, else 1."""
    net = model()
    optimizer = tf.keras.optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    if exclude is not None:
        exclude(optimizer, net)
    before = [tf.identity(v) for v in net.trainable_variables]
    zeros = [tf.zeros_like(v) for v in net.trainable_variables]
    optimizer.apply_gradients(zip(zeros, net.trainable_variables))
    # The factor as the projection of the new values on the old ones: exact
    # for a scaled variable, and stable (a plain ratio of sums is not when a
    # random kernel happens to sum to nearly 0).
    return {
        v.name.split("/")[-1].split(":")[0] + f"[{i}]": round(
            float(tf.reduce_sum(v * b) / tf.reduce_sum(b * b)), 4
        )
        for i, (v, b) in enumerate(zip(net.trainable_variables, before))
    }


def by_rank(optimizer, net):  # biases, gamma, beta: the 1-D variables
    one_d = [v for v in net.trainable_variables if len(v.shape) == 1]
    optimizer.exclude_from_weight_decay(var_list=one_d)


def by_name(optimizer, net):
    optimizer.exclude_from_weight_decay(var_names=["bias", "gamma", "beta"])


def by_layer(optimizer, net):  # the layer named "head": "head/kernel:0"...
    optimizer.exclude_from_weight_decay(var_names=["head"])


def in_two_calls(optimizer, net):  # the second call replaces the first
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    optimizer.exclude_from_weight_decay(var_names=["gamma", "beta"])


default, ranked, named = factors(), factors(by_rank), factors(by_name)
layer, twice = factors(by_layer), factors(in_two_calls)
adamw = tf.keras.optimizers.AdamW().weight_decay
adam = tf.keras.optimizers.Adam().weight_decay
print(f"AdamW() weight_decay: {adamw}, Adam(): {adam}")
print("decay factor of each variable after one step:")
print(
    f"{'variable':<14}{'default':>8}{'var_list':>9}"
    f"{'var_names':>10}{'head':>7}{'2 calls':>8}"
)
for k in default:
    print(
        f"{k:<14}{default[k]:>8}{ranked[k]:>9}{named[k]:>10}"
        f"{layer[k]:>7}{twice[k]:>8}"
    )

assert abs(adamw - 0.004) < 1e-12 and adam is None, (
    "defaults: Keras' AdamW decays by 0.004 by default; Adam does not decay"
    " unless weight_decay is given"
)
assert set(default.values()) == {0.95}, (
    "everything-decays: by default every trainable variable decays,"
    " embeddings, biases, gamma and beta included"
)
kept = {k for k, v in ranked.items() if v == 1.0}
assert kept == {"bias[2]", "gamma[3]", "beta[4]", "bias[6]"}, (
    "exclude-1d: excluding the 1-D variables keeps biases, gamma and beta,"
    " and the embeddings and kernels still decay"
)
assert named == ranked, (
    "var-names-same: var_names bias, gamma and beta exclude the same variables"
)
assert {k for k, v in layer.items() if v == 1.0} == {"kernel[5]", "bias[6]"}, (
    "layer-name-matches: var_names=['head'] excludes both variables of the"
    " layer named head, and nothing else"
)
assert {k for k, v in twice.items() if v == 1.0} == {"gamma[3]", "beta[4]"}, (
    "second-call-replaces: a second exclude_from_weight_decay call replaces"
    " the first: excluding bias, then gamma and beta, leaves the biases"
    " decaying"
)
