"""The book's concise weight decay, both editions, rewritten without `d2l`.

Classic edition (r0.17), `train_concise`, in
chapter_multilayer-perceptrons/weight-decay.md of d2l-ai/d2l-en (v0.17.6).
Current edition, `WeightDecay` trained by `d2l.Trainer.fit_epoch`, in
chapter_linear-regression/weight-decay.md (master). `d2l.Module.loss` is
`penalized_loss` here: a Keras 3 model's `loss` is an attribute.
Both add the Python list `net.losses` to the loss. With the book's one
regularized kernel that is right (one term), and fragile: a second
regularized layer multiplies the data gradient by two (pitfall_list_add).

Check it:
  python -m weight_decay_checks check book_weight_decay.py:classic
"""

import tensorflow as tf

EXPECTED = {"classic": ["list_add_latent"], "current": ["list_add_latent"]}
BATCH = tf.random.normal((5, 200)), tf.random.normal((5, 1))


def classic():
    wd, lr = 3.0, 0.003
    net = tf.keras.models.Sequential()
    net.add(
        tf.keras.layers.Dense(
            1, kernel_regularizer=tf.keras.regularizers.l2(wd)
        )
    )
    net.build(input_shape=(1, 200))
    loss = tf.keras.losses.MeanSquaredError()
    trainer = tf.keras.optimizers.SGD(learning_rate=lr)

    def step(batch):
        X, y = batch
        with tf.GradientTape() as tape:
            l = loss(net(X), y) + net.losses  # noqa: E741 (the book's)
        grads = tape.gradient(l, net.trainable_variables)
        trainer.apply_gradients(zip(grads, net.trainable_variables))

    return net, step, BATCH


class WeightDecay(tf.keras.Model):  # d2l.LinearRegression + WeightDecay
    def __init__(self, wd, lr):
        super().__init__()
        self.lr = lr
        self.net = tf.keras.layers.Dense(
            1,
            kernel_regularizer=tf.keras.regularizers.l2(wd),
            kernel_initializer=tf.keras.initializers.RandomNormal(0, 0.01),
        )

    def call(self, X):
        return self.net(X)

    def penalized_loss(self, y_hat, y):
        fn = tf.keras.losses.MeanSquaredError()
        return fn(y, y_hat) + self.net.losses

    def training_step(self, batch):
        return self.penalized_loss(self(*batch[:-1]), batch[-1])


def current():
    model = WeightDecay(wd=3, lr=0.01)
    model.build((None, 200))
    optim = tf.keras.optimizers.SGD(model.lr)

    def fit_epoch(batch):  # d2l.Trainer.fit_epoch, one batch
        with tf.GradientTape() as tape:
            loss = model.training_step(batch)
        grads = tape.gradient(loss, model.trainable_variables)
        optim.apply_gradients(zip(grads, model.trainable_variables))

    return model, fit_epoch, BATCH
