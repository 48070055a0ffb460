"""Decaying a kernel that batch normalization follows changes only the
effective learning rate.

Batch normalization (in training mode) divides each unit by its batch
standard deviation, so a Dense kernel w and c * w give the same output: the
loss cannot see the kernel's scale. Its gradient then scales as 1 / c. A
step of SGD with weight_decay=lam first shrinks w to (1 - lr * lam) * w,
and the step that follows is a plain step taken at the larger rate
lr / (1 - lr * lam): decay on such a kernel regularizes nothing, it raises
the learning rate (relative to the kernel's size) as the norm shrinks.

Run: python batchnorm_turns_decay_into_learning_rate.py
"""

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
x = tf.random.normal((16, 4))
y = tf.random.normal((16, 3))


def model(batchnorm=True):
    # epsilon small next to the batch variances (> 0.5 here), so the output
    # does not see the kernel's scale to float32 precision; Keras' default,
    # 1e-3, makes that approximate for small kernels.
    layers = [tf.keras.layers.Dense(3, use_bias=False)]
    if batchnorm:
        layers.append(tf.keras.layers.BatchNormalization(epsilon=1e-6))
    net = tf.keras.Sequential(layers)
    net.build((None, 4))
    return net


net = model()
w = net.layers[0].kernel
w0 = tf.identity(w)


def output_and_gradient(kernel):
    w.assign(kernel)
    with tf.GradientTape() as tape:
        out = net(x, training=True)
        loss = tf.reduce_mean((out - y) ** 2)
    return out.numpy(), tape.gradient(loss, w).numpy()


out_1, grad_1 = output_and_gradient(w0)
out_2, grad_2 = output_and_gradient(2 * w0)
out_half, grad_half = output_and_gradient(0.5 * w0)
print("largest output change, kernel x2 and x0.5:")
print(
    f"  {np.abs(out_2 - out_1).max():.1e}, {np.abs(out_half - out_1).max():.1e}"
)
print("gradient at 2w times 2, minus gradient at w:")
print(f"  {np.abs(2 * grad_2 - grad_1).max():.1e}")

plain = model(batchnorm=False)
plain_1 = plain(x).numpy()
plain.layers[0].kernel.assign(2 * plain.layers[0].kernel)
print(
    f"without batch norm, kernel x2 changes outputs by up to "
    f"{np.abs(plain(x).numpy() - plain_1).max():.2f}"
)


def one_step(lr, lam):
    """One SGD step from w0 (weight_decay=lam); the output it then gives."""
    w.assign(w0)
    optimizer = tf.keras.optimizers.SGD(learning_rate=lr, weight_decay=lam)
    _, grad = output_and_gradient(w0)
    optimizer.apply_gradients([(tf.constant(grad), w)])
    norm = float(tf.norm(w))
    return net(x, training=True).numpy(), norm


lr, lam = 0.1, 0.5
decayed, decayed_norm = one_step(lr, lam)
faster, faster_norm = one_step(lr / (1 - lr * lam), 0.0)
slower, _ = one_step(lr, 0.0)
print(f"SGD({lr}, weight_decay={lam}) vs SGD({lr / (1 - lr * lam):.4f}):")
print(
    f"  same output to {np.abs(decayed - faster).max():.1e};"
    f" kernel norms {decayed_norm:.4f} vs {faster_norm:.4f}"
)
print(f"  vs SGD({lr}) without decay: {np.abs(decayed - slower).max():.1e}")

# Outputs of order 1 through 3 matmul terms and a batch normalization: the
# float32 rounding is about 1e-6, and epsilon's share below 1e-6.
same = max(np.abs(out_2 - out_1).max(), np.abs(out_half - out_1).max())
assert same < 1e-4 and np.abs(plain(x).numpy() - plain_1).max() > 0.1, (
    "scale-invariant-kernel: with batch normalization after it, a Dense"
    " kernel scaled by 2 or 0.5 gives the same outputs; without, it does not"
)
assert np.abs(2 * grad_2 - grad_1).max() < 1e-4, (
    "gradient-scales-inversely: at 2 * w the gradient is half the gradient at w"
)
assert np.abs(decayed - faster).max() < 1e-4, (
    "decay-is-a-larger-learning-rate: an SGD step with weight_decay=lam"
    " gives the outputs of a plain step at lr / (1 - lr * lam)"
)
assert decayed_norm < 0.96 * faster_norm, (
    "decay-shrinks-the-norm: the decayed kernel is smaller by 1 - lr * lam"
    " (0.95) than the kernel of the plain step with the same outputs"
)
assert np.abs(decayed - slower).max() > 1e-3, (
    "decay-changes-the-step: the decayed step and a plain step at the same"
    " lr give different outputs"
)
