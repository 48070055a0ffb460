"""Four places where Keras 3 and tf-keras accept different code around
penalties and weight decay. Each line prints what this Keras does.

Run: python keras_api_differences.py
"""

import tensorflow as tf

KERAS_3 = hasattr(tf.keras, "ops")  # tf-keras has no `keras.ops`
l2 = tf.keras.regularizers.l2(0.1)


def attempt(name, action):
    """Run `action`; print and return what happened."""
    try:
        result = action()
    except Exception as error:  # the point is which type each Keras raises
        print(f"{name}: {type(error).__name__}")
        return type(error).__name__
    print(f"{name}: {result}")
    return result


# 1. A regularizer set on an already-built kernel *variable*.
net = tf.keras.Sequential([tf.keras.layers.Dense(1)])
net.build((None, 3))


def set_on_variable():
    net.layers[0].kernel.regularizer = l2
    return f"{len(net.losses)} penalty term(s)"


on_variable = attempt("kernel.regularizer = l2(0.1)", set_on_variable)

# 2. A callable passed to `add_loss` on a built model.
net2 = tf.keras.Sequential([tf.keras.layers.Dense(1)])
net2.build((None, 3))


def add_callable():
    net2.add_loss(lambda: l2(net2.layers[0].kernel))
    return f"{len(net2.losses)} penalty term(s)"


callable_loss = attempt("model.add_loss(lambda: ...)", add_callable)

# 3. A symbolic tensor passed to `add_loss` on a functional model.
inputs = tf.keras.Input((3,))
outputs = tf.keras.layers.Dense(1)(inputs)
functional = tf.keras.Model(inputs, outputs)


# Keras 3 builds symbolic expressions with `keras.ops`, tf-keras with `tf`.
mean = tf.keras.ops.mean if KERAS_3 else tf.reduce_mean


def add_symbolic():
    functional.add_loss(0.1 * mean(outputs**2))
    return f"{len(functional.losses)} term(s)"


symbolic_loss = attempt("functional.add_loss(symbolic)", add_symbolic)

# 4. `exclude_from_weight_decay` after the optimizer has taken a step.
optimizer = tf.keras.optimizers.SGD(learning_rate=0.1, weight_decay=0.1)
optimizer.apply_gradients([(tf.zeros(1), tf.Variable([1.0]))])


def exclude_late():
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    return "accepted"


exclude = attempt("exclude_from_weight_decay after build", exclude_late)

if KERAS_3:
    expected = (
        "1 penalty term(s)",
        "ValueError",
        "NotImplementedError",
        "accepted",
    )
else:
    expected = (
        "0 penalty term(s)",
        "1 penalty term(s)",
        "1 term(s)",
        "ValueError",
    )
assert (on_variable, callable_loss, symbolic_loss, exclude) == expected, (
    "api-differences: Keras 3 adds a penalty set on the kernel variable,"
    " rejects a callable `add_loss` (ValueError) and a symbolic one on a"
    " functional model (NotImplementedError), and accepts a late"
    " `exclude_from_weight_decay`; tf-keras does the opposite of each"
    " (the late exclude raises ValueError)"
)
