"""Tests of the plain loop and its products, the default the layers run in."""

import numpy as np
import tensorflow as tf

from translate.model import PlainLoop, plain_products
from translate.model.loop import matmul


def test_products_multiply_any_rank_by_a_matrix_or_by_one_matrix_per_row():
    x2 = tf.random.stateless_normal((3, 4), seed=(1, 2))
    x3 = tf.random.stateless_normal((3, 2, 4), seed=(3, 4))
    kernel = tf.random.stateless_normal((4, 5), seed=(5, 6))
    per_row = tf.random.stateless_normal((3, 4, 5), seed=(7, 8))
    products = plain_products({"w": kernel, "rows": per_row})
    np.testing.assert_allclose(products["w"](x2).numpy(), x2.numpy() @ kernel.numpy(), atol=1e-5)
    np.testing.assert_allclose(products["w"](x3).numpy(), x3.numpy() @ kernel.numpy(), atol=1e-5)
    expected = np.einsum("br,brc->bc", x2.numpy(), per_row.numpy())
    np.testing.assert_allclose(products["rows"](x2).numpy(), expected, atol=1e-5)
    expected = np.einsum("btr,brc->btc", x3.numpy(), per_row.numpy())
    np.testing.assert_allclose(products["rows"](x3).numpy(), expected, atol=1e-5)


def test_matmul_of_a_sequence_takes_the_kernel_gradient_as_one_product():
    # A broadcasting matmul of (batch, time, rows) by (rows, cols) builds a per-example
    # (batch, rows, cols) gradient; the tensordot path must not (its graph has no BatchMatMul).
    x = tf.ones((2, 3, 4))
    kernel = tf.Variable(tf.ones((4, 5)))

    @tf.function
    def gradient():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(matmul(x, kernel))
        return tape.gradient(loss, kernel)

    graph = gradient.get_concrete_function().graph
    assert not [op for op in graph.get_operations() if op.type.startswith("BatchMatMul")]
    np.testing.assert_allclose(gradient().numpy(), np.full((4, 5), 6.0))


def test_plain_loop_is_tf_scan_with_plain_products():
    kernel = tf.random.stateless_normal((3, 3), seed=(9, 10))
    elems = tf.random.stateless_normal((4, 2, 3), seed=(11, 12))  # (time, batch, 3)
    h0 = tf.random.stateless_normal((2, 3), seed=(13, 14))

    def step(h, x_t, products):
        return tf.tanh(x_t + products["w"](h))

    states = PlainLoop().scan(step, elems, h0, {"w": kernel})
    expected = tf.scan(lambda h, x_t: tf.tanh(x_t + h @ kernel), elems, initializer=h0)
    np.testing.assert_allclose(states.numpy(), expected.numpy(), atol=1e-6)
