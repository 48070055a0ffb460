"""Weight decay from scratch, then the concise way (the book's setup, runnable
top to bottom).

Dive into Deep Learning, "Weight Decay" (TensorFlow tab): high-dimensional
linear regression with 20 training examples, 100 test examples and 200
inputs. The data are synthetic, made here with a fixed seed; nothing is
downloaded.

Run: python snippets/tutorial_weight_decay.py
"""

import math

import tensorflow as tf

tf.keras.utils.set_random_seed(
    0
)  # Python, NumPy and TensorFlow seeds in one call

# --8<-- [start:data]
n_train, n_test, num_inputs, batch_size = 20, 100, 200, 5
true_w, true_b = tf.ones((num_inputs, 1)) * 0.01, 0.05


def synthetic_data(w, b, num_examples):
    """y = Xw + b + noise, with noise of standard deviation 0.01."""
    X = tf.random.normal((num_examples, w.shape[0]))
    y = tf.matmul(X, w) + b + tf.random.normal((num_examples, 1), stddev=0.01)
    return X, y


train_data = synthetic_data(true_w, true_b, n_train)
test_data = synthetic_data(true_w, true_b, n_test)


def train_batches():
    """Minibatches, reshuffled at each epoch; a fixed seed gives every run
    the same sequence of batches."""
    dataset = tf.data.Dataset.from_tensor_slices(train_data)
    return dataset.shuffle(n_train, seed=1).batch(batch_size)


# --8<-- [end:data]

# Every run below starts from the same initial weights, so the runs differ
# only in the penalty.
w_init = tf.random.normal((num_inputs, 1), stddev=1.0)
b_init = tf.zeros(1)


def check_strength(name, value):
    """Reject a penalty strength that would silently train something else."""
    if not (
        isinstance(value, (int, float)) and math.isfinite(value) and value >= 0
    ):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


def squared_loss(y_hat, y):
    """The book's squared loss: (y_hat - y)**2 / 2, one value per example."""
    return (y_hat - tf.reshape(y, y_hat.shape)) ** 2 / 2


def evaluate(predict, data):
    """Mean squared loss (with the book's 1/2) over a data set; no penalty."""
    X, y = data
    return float(tf.reduce_mean(squared_loss(predict(X), y)))


# --8<-- [start:scratch]
def l2_penalty(w):
    return tf.reduce_sum(w**2) / 2  # the book's convention: (1/2) * ||w||^2


def train(lambd, num_epochs=100, lr=0.003):
    """From scratch: the penalty is a term we add to the loss in the tape."""
    check_strength("lambd", lambd)
    w, b = tf.Variable(w_init), tf.Variable(b_init)

    @tf.function  # compiled once per run; the book's loop runs eagerly
    def step(X, y):
        with tf.GradientTape() as tape:
            y_hat = tf.matmul(X, w) + b
            loss = tf.reduce_mean(squared_loss(y_hat, y)) + lambd * l2_penalty(
                w
            )
        dw, db = tape.gradient(loss, [w, b])
        w.assign_sub(lr * dw)  # plain minibatch SGD
        b.assign_sub(lr * db)

    train_iter = train_batches()
    for _ in range(num_epochs):
        for X, y in train_iter:
            step(X, y)
    return (lambda X: tf.matmul(X, w) + b), w


# --8<-- [end:scratch]


# --8<-- [start:concise]
def train_concise(wd, num_epochs=100, lr=0.003, loss_scale=1.0):
    """The concise way: Keras computes the penalty; we read it from
    net.losses inside the tape."""
    check_strength("wd", wd)
    net = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(
                1, kernel_regularizer=tf.keras.regularizers.l2(wd)
            )
        ]  # (1)!
    )
    net.build((None, num_inputs))  # creating the kernel registers its penalty
    net.set_weights([w_init.numpy(), b_init.numpy()])
    loss_fn = (
        tf.keras.losses.MeanSquaredError()
    )  # no 1/2, unlike the book's squared_loss
    optimizer = tf.keras.optimizers.SGD(learning_rate=lr)

    @tf.function  # compiled once per run; the book's loop runs eagerly
    def step(X, y):
        with tf.GradientTape() as tape:
            y_hat = net(X)
            loss = loss_scale * loss_fn(y, y_hat) + tf.add_n(net.losses)  # (2)!
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply_gradients(zip(grads, net.trainable_variables))

    train_iter = train_batches()
    for _ in range(num_epochs):
        for X, y in train_iter:
            step(X, y)
    return net, net.layers[0].kernel


# --8<-- [end:concise]


# --8<-- [start:results]
runs = {
    "scratch  lambd=0": train(0),
    "scratch  lambd=3": train(3),
    "concise  l2(0)": train_concise(0),
    "concise  l2(3), the book's": train_concise(3),
    "concise  l2(1.5), MSE/2": train_concise(
        1.5, loss_scale=0.5
    ),  # matched to lambd=3
}
print(f"{'run':28} {'train loss':>10} {'test loss':>10} {'||w||':>8}")
for name, (predict, w) in runs.items():
    train_loss = evaluate(predict, train_data)
    test_loss = evaluate(predict, test_data)
    norm = float(tf.norm(w))
    print(f"{name:28} {train_loss:10.4f} {test_loss:10.4g} {norm:8.4g}")

(predict_0, w_0), (predict_3, w_3) = (
    runs["scratch  lambd=0"],
    runs["scratch  lambd=3"],
)
norm_ratio = float(tf.norm(w_0) / tf.norm(w_3))
test_ratio = evaluate(predict_0, test_data) / evaluate(predict_3, test_data)
print(
    f"lambd=3 vs lambd=0: ||w|| {norm_ratio:.1f}x smaller,"
    f" test loss {test_ratio:.1f}x smaller"
)
# --8<-- [end:results]

# --8<-- [start:bad-input]
rejected = []
for bad in (-1.0, float("nan")):
    try:
        train(bad)
    except ValueError as error:
        print(f"train({bad}) -> ValueError: {error}")
        rejected.append(bad)
# --8<-- [end:bad-input]


# --8<-- [start:checks]
def max_gap(a, b):
    return float(tf.reduce_max(tf.abs(a - b)))


# 400 SGD steps of float32 arithmetic on weights of size < 2, computed in a
# different order (Keras' MSE and l2 vs the book's formulas): rounding
# differences of 2**-24 per operation stay far below 1e-4; a wrong factor of
# 2 anywhere changes the weights by more than 1e-2.
_, w_matched = runs["concise  l2(1.5), MSE/2"]
assert max_gap(w_matched, w_3) < 1e-4, (
    "matched-conventions-reproduce-the-book: `l2(lambd / 2)` with a halved"
    " MSE trains the same weights as the book's lambd = 3"
)
_, w_keras = runs["concise  l2(3), the book's"]
_, w_double_lr = train(3, lr=2 * 0.003)
assert max_gap(w_keras, w_double_lr) < 1e-4, (
    "keras-l2-is-twice-the-book: `l2(3)` with Keras' MSE (no 1/2) is twice"
    " the book's objective: it trains like the book's lambd = 3 at twice"
    " the learning rate"
)
assert norm_ratio > 10 and test_ratio > 10, (
    "weight-decay-helps: lambd = 3 gives a kernel over 10x smaller and a"
    " test loss over 10x smaller than lambd = 0"
)
assert len(rejected) == 2, (
    "bad-strength-rejected: train(-1.0) and train(nan) raise ValueError"
    " naming the argument"
)
# --8<-- [end:checks]
