"""A GAN: two models, two optimizers, one training step.

The step of Keras' guide "Customizing what happens in fit()", section
"Wrapping up: an end-to-end GAN example"
(https://keras.io/guides/custom_train_step_in_tensorflow/), with L2 on
both models' kernels. The guide's losses leave out `self.losses`: neither
model's penalty reaches its optimizer. `with_penalties` adds each model's
own penalty to its own loss.

Check it:
  python -m weight_decay_checks check gan_two_optimizers.py:as_in_guide
"""

import tensorflow as tf

EXPECTED = {
    "as_in_guide": ["penalty_missing"],
    "with_penalties": ["penalty_once"],
}
LATENT = 8


class GAN(tf.keras.Model):
    def __init__(self, discriminator, generator, with_penalties):
        super().__init__()
        self.discriminator, self.generator = discriminator, generator
        self.with_penalties = with_penalties

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
        self.loss_fn = loss_fn

    def penalty(self, model):
        return tf.add_n(model.losses) if self.with_penalties else 0.0

    def train_step(self, real_images):
        batch_size = tf.shape(real_images)[0]
        noise = tf.random.normal((batch_size, LATENT))
        generated = self.generator(noise)
        images = tf.concat([generated, real_images], axis=0)
        labels = tf.concat(
            [tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0
        )
        d, g = self.discriminator, self.generator
        with tf.GradientTape() as tape:
            d_loss = self.loss_fn(labels, d(images)) + self.penalty(d)
        grads = tape.gradient(d_loss, d.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, d.trainable_weights))

        noise = tf.random.normal((batch_size, LATENT))
        misleading = tf.zeros((batch_size, 1))
        with tf.GradientTape() as tape:
            fooled = d(self.generator(noise))
            g_loss = self.loss_fn(misleading, fooled) + self.penalty(g)
        grads = tape.gradient(g_loss, g.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, g.trainable_weights))
        return {"d_loss": d_loss, "g_loss": g_loss}


def make(with_penalties):
    l2 = tf.keras.regularizers.l2(1e-3)
    discriminator = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(16, "relu", kernel_regularizer=l2),
            tf.keras.layers.Dense(1, kernel_regularizer=l2),
        ]
    )
    generator = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(16, "relu", kernel_regularizer=l2),
            tf.keras.layers.Dense(4, kernel_regularizer=l2),
        ]
    )
    discriminator.build((None, 4))
    generator.build((None, LATENT))
    gan = GAN(discriminator, generator, with_penalties)
    gan.compile(
        d_optimizer=tf.keras.optimizers.Adam(3e-4),
        g_optimizer=tf.keras.optimizers.Adam(3e-4),
        loss_fn=tf.keras.losses.BinaryCrossentropy(from_logits=True),
    )

    def step(batch):
        gan.fit(batch, batch_size=16, epochs=1, verbose=0)

    return gan, step, tf.random.normal((16, 4))


def as_in_guide():
    return make(with_penalties=False)


def with_penalties():
    return make(with_penalties=True)
