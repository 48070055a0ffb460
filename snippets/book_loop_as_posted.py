"""The chapter-3 loop exactly as the reader posted it: both `else:` lines
lost, so each branch's two alternatives run one after the other.

Three ways to call it, and what each does:
1. a Keras loss and optimizer: `l = loss(y, y_hat)` is overwritten by the
   swapped `l = loss(y_hat, y)` (harmless for MSE, wrong for cross-entropy),
   then the stray `updater(X.shape[0], tape.gradient(l, updater.params))`
   line raises AttributeError: a Keras optimizer has no `params`;
2. the book's own loss: `l` is never assigned (with the book's updater too);
3. a Keras loss and the book's own updater: the whole update sits under
   `if isinstance(updater, tf.keras.optimizers.Optimizer):`, so nothing is
   ever updated: the loop runs, returns a loss, and trains nothing.

Run: python book_loop_as_posted.py
"""

import tensorflow as tf

tf.keras.utils.set_random_seed(0)


def train_epoch_as_posted(net, train_iter, loss, updater):
    for X, y in train_iter:
        with tf.GradientTape() as tape:
            y_hat = net(X)
            if isinstance(loss, tf.keras.losses.Loss):
                l = loss(y, y_hat)
                l = loss(y_hat, y)  # the lost `else:` branch, now always run
        if isinstance(updater, tf.keras.optimizers.Optimizer):
            params = net.trainable_variables
            grads = tape.gradient(l, params)
            updater.apply_gradients(zip(grads, params))
            updater(X.shape[0], tape.gradient(l, updater.params))  # lost else
        return l  # one batch is enough to see what happens


X = tf.random.uniform((6, 2))
y = tf.constant([[0.0], [1.0], [1.0], [0.0], [1.0], [0.0]])
batches = tf.data.Dataset.from_tensor_slices((X, y)).batch(6)
net = tf.keras.Sequential(
    [tf.keras.layers.Dense(1, activation="sigmoid", kernel_initializer="zeros")]
)
bce = tf.keras.losses.BinaryCrossentropy()
sgd = tf.keras.optimizers.SGD(learning_rate=0.1)

# 1. A Keras loss and a Keras optimizer.
try:
    train_epoch_as_posted(net, batches, bce, sgd)
    raised = None
except (TypeError, AttributeError) as error:
    raised = type(error).__name__
    print(f"1. Keras loss and optimizer: {raised}:")
    print(f"   {str(error)[:60]}")
y_hat = net(X)
print(
    f"   loss(y, y_hat) = {float(bce(y, y_hat)):.4f},"
    f" but l = loss(y_hat, y) = {float(bce(y_hat, y)):.4f}"
)


# 2. The book's own cross-entropy: not a Keras loss, so `l` is never set.
def cross_entropy(y_hat, y):
    return -(y * tf.math.log(y_hat) + (1 - y) * tf.math.log(1 - y_hat))


try:
    train_epoch_as_posted(net, batches, cross_entropy, sgd)
    unassigned = None
except UnboundLocalError as error:
    unassigned = type(error).__name__
    print(f"2. the book's loss: {unassigned}:")
    print(f"   {error}")


# 3. A Keras loss and the book's own updater (d2l's `Updater`: minibatch SGD
# on the parameters it was given): not a Keras optimizer, so never called.
class Updater:
    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def __call__(self, batch_size, grads):
        for param, grad in zip(self.params, grads):
            param.assign_sub(self.lr * grad / batch_size)


before = [w.numpy().copy() for w in net.trainable_variables]
l = train_epoch_as_posted(
    net, batches, bce, Updater(net.trainable_variables, 0.1)
)
unchanged = all(
    (w.numpy() == b).all() for w, b in zip(net.trainable_variables, before)
)
print(f"3. Keras loss, the book's updater: loss {float(l):.4f},", end=" ")
print(f"weights unchanged: {unchanged}")

assert raised == "AttributeError", (
    "keras-optimizer-has-no-params: with a Keras optimizer, the stray line"
    " `updater(X.shape[0], tape.gradient(l, updater.params))` raises"
    " AttributeError in both Kerases: an optimizer has no `params`"
)
assert abs(float(bce(y, y_hat)) - float(bce(y_hat, y))) > 0.1, (
    "swapped-loss-overwrites: the loss the posted loop keeps,"
    " `loss(y_hat, y)`, differs from the right `loss(y, y_hat)` for"
    " cross-entropy"
)
assert unassigned == "UnboundLocalError", (
    "book-loss-never-assigned: with the book's own loss, `l` is never"
    " assigned and the loop stops with UnboundLocalError"
)
assert unchanged, (
    "book-updater-trains-nothing: with a Keras loss and the book's updater"
    " the loop runs without error and never updates a weight"
)
