"""The book's chapter-3 training loop, `train_epoch_ch3`, with its `else:`
branches restored.

It accepts either a Keras loss or one of the book's hand-written losses, and
either a Keras optimizer or the book's hand-written `updater`. No model in
it has a regularizer, which is why it never reads `net.losses`. The data are
synthetic (a 3-class problem made here); nothing is downloaded.

Run: python snippets/book_train_epoch_ch3.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)


class Accumulator:
    """Sums over `n` variables (the book's helper)."""

    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args, strict=True)]

    def __getitem__(self, idx):
        return self.data[idx]


def accuracy(y_hat, y):
    """Number of correct predictions (the book's helper)."""
    y_hat = tf.argmax(y_hat, axis=1)
    return float(
        tf.reduce_sum(tf.cast(tf.cast(y_hat, y.dtype) == y, tf.float32))
    )


def train_epoch_ch3(net, train_iter, loss, updater):
    """The training loop defined in Chapter 3."""
    metric = Accumulator(3)  # (1)!
    for X, y in train_iter:
        with tf.GradientTape() as tape:
            y_hat = net(X)  # (2)!
            if isinstance(loss, tf.keras.losses.Loss):
                l = loss(y, y_hat)  # (3)!
            else:
                l = loss(y_hat, y)  # (4)!
        if isinstance(updater, tf.keras.optimizers.Optimizer):
            params = net.trainable_variables
            grads = tape.gradient(l, params)  # (5)!
            updater.apply_gradients(zip(grads, params, strict=True))
        else:
            updater(X.shape[0], tape.gradient(l, updater.params))  # (6)!
        l_sum = (
            l * float(tf.size(y))
            if isinstance(loss, tf.keras.losses.Loss)
            else tf.reduce_sum(l)
        )  # (7)!
        metric.add(l_sum, accuracy(y_hat, y), tf.size(y))
    return metric[0] / metric[2], metric[1] / metric[2]


X = tf.random.normal((300, 4))
y = tf.argmax(
    X[:, :3] + 0.3 * tf.random.normal((300, 3)), axis=1, output_type=tf.int32
)
train_iter = tf.data.Dataset.from_tensor_slices((X, y)).batch(30)

# 1. A Keras loss and a Keras optimizer (the concise chapters).
net = tf.keras.Sequential([tf.keras.layers.Dense(3)])
loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
sgd = tf.keras.optimizers.SGD(learning_rate=0.1)
for _ in range(3):
    train_loss, train_acc = train_epoch_ch3(net, train_iter, loss, sgd)
print(
    f"Keras loss + optimizer:   loss {train_loss:.4f}, accuracy {train_acc:.4f}"
)
keras_acc = train_acc
print("net.losses:", net.losses)  # no regularizer anywhere: nothing to add


# 2. The book's own cross-entropy (on softmax outputs) and minibatch SGD
# updater (from scratch).
class Updater:
    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def __call__(self, batch_size, grads):
        for param, grad in zip(self.params, grads, strict=True):
            param.assign_sub(self.lr * grad / batch_size)


W = tf.Variable(tf.random.normal((4, 3), stddev=0.01))
b = tf.Variable(tf.zeros(3))


def net_scratch(X):
    return tf.nn.softmax(X @ W + b)


def cross_entropy(y_hat, y):  # the book's order: (y_hat, y)
    return -tf.math.log(tf.gather(y_hat, y, axis=1, batch_dims=1))


updater = Updater([W, b], lr=0.1)
for _ in range(3):
    train_loss, train_acc = train_epoch_ch3(
        net_scratch, train_iter, cross_entropy, updater
    )
print(
    f"book loss + book updater: loss {train_loss:.4f}, accuracy {train_acc:.4f}"
)

assert keras_acc > 0.5 and train_acc > 0.5, (
    "both-branches-train: with the `else:` branches restored, the loop trains"
    " with a Keras loss and optimizer and with the book's own (accuracy above"
    " chance, 1/3, after 3 epochs)"
)
assert net.losses == [], (
    "no-regularizer-no-losses: the chapter-3 model has no regularizer, so"
    " `net.losses` is empty: there was nothing to add"
)
