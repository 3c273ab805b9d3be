"""Tests of the loop kernels: the same values and gradients as the plain loop."""

import numpy as np
import pytest
import tensorflow as tf
from helpers import CONFIGS, TGT_VOCAB, batch, cached_model, config_id

from translate.model import PlainLoop
from translate.training.speed import LoopKernels, LoopKernelsLoop


def _loop_with_three_kernels(loop, x0, first, second, per_row):
    """``h_t = tanh(h @ first) + tanh(h @ second) + tanh(h[b] @ per_row[b])``, five steps.

    Args:
        loop: :class:`PlainLoop` or :class:`LoopKernelsLoop`.
        x0: ``(batch, 4)`` initial state.
        first, second: ``(4, 4)`` kernels.
        per_row: ``(batch, 4, 4)``, one kernel per batch row.

    Returns:
        The states ``(5, batch, 4)``.
    """

    def step(h, x_t, products):
        return (
            tf.tanh(products["first"](h) + x_t)
            + tf.tanh(products["second"](h))
            + tf.tanh(products["per_row"](h))
        )

    elems = tf.reshape(tf.range(5 * 3 * 4, dtype=tf.float32) / 60.0, (5, 3, 4))
    kernels = {"first": first, "second": second, "per_row": per_row}
    return loop.scan(step, elems, x0, kernels)


@pytest.mark.slow
@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "tf.function"])
def test_loop_kernels_give_the_values_and_gradients_of_matmul_in_a_loop(compiled):
    x0 = tf.random.stateless_normal((3, 4), seed=(1, 2))
    first = tf.Variable(tf.random.stateless_normal((4, 4), seed=(3, 4)))
    second = tf.Variable(tf.random.stateless_normal((4, 4), seed=(5, 6)))
    per_row = tf.random.stateless_normal((3, 4, 4), seed=(7, 8))

    def run(loop):
        with tf.GradientTape() as tape:
            tape.watch([x0, per_row])
            states = _loop_with_three_kernels(loop, x0, first, second, per_row)
            loss = tf.reduce_sum(states * tf.range(1.0, 6.0)[:, None, None])
        return states, tape.gradient(loss, [x0, first, second, per_row])

    if compiled:
        run = tf.function(run)
    states, gradients = run(LoopKernelsLoop())
    reference_states, reference_gradients = run(PlainLoop())
    np.testing.assert_allclose(states.numpy(), reference_states.numpy(), rtol=1e-6)
    for gradient, reference in zip(gradients, reference_gradients):
        scale = np.abs(reference.numpy()).max()
        assert scale > 1e-2
        np.testing.assert_allclose(
            gradient.numpy(), reference.numpy(), rtol=1e-5, atol=1e-6 * scale
        )


def test_loop_kernels_refuse_a_loop_that_did_not_record_its_inputs():
    kernel = tf.Variable(tf.eye(2))
    with tf.GradientTape() as tape:
        kernels = LoopKernels({"recurrent": kernel}, 3, 1)
        states = tf.scan(
            lambda h, taps_t: kernels.bind(taps_t)["recurrent"](h),
            kernels.taps,
            initializer=tf.ones((1, 2)),
        )
        loss = tf.reduce_sum(states)
    with pytest.raises(RuntimeError, match="record was not called"):
        tape.gradient(loss, kernel)


def test_loop_kernels_refuse_a_kernel_multiplied_twice_in_a_step():
    kernels = LoopKernels({"recurrent": tf.eye(2)}, 1, 1)
    bound = kernels.bind({"recurrent": tf.zeros((1, 2))})
    bound["recurrent"](tf.ones((1, 2)))
    with pytest.raises(RuntimeError, match="multiplied twice"):
        bound["recurrent"](tf.ones((1, 2)))


def test_loop_kernels_refuse_a_step_that_skips_a_kernel():
    def step(h, x_t, products):
        return products["used"](h) + x_t

    with pytest.raises(RuntimeError, match="not multiplied in this loop step: \\['unused'\\]"):
        LoopKernelsLoop().scan(
            step, tf.zeros((2, 1, 2)), tf.ones((1, 2)), {"used": tf.eye(2), "unused": tf.eye(2)}
        )


def _logits_and_gradients(model):
    """Logits of the test batch and the gradients of a weighted sum of them.

    Returns:
        ``(logits, gradients)``, gradients in the order of ``model.trainable_weights``.
    """
    inputs, _, _ = batch()
    weights = tf.random.stateless_normal((2, 5, TGT_VOCAB), seed=(5, 6))
    with tf.GradientTape() as tape:
        logits = model(inputs)
        loss = tf.reduce_sum(logits * weights)
    gradients = tape.gradient(loss, model.trainable_weights)
    return logits, [tf.convert_to_tensor(g) for g in gradients]


def _assert_loop_kernels_equal_plain(model):
    """Asserts equal logits and gradients with :class:`LoopKernelsLoop` and :class:`PlainLoop`."""
    try:
        model.set_loop(LoopKernelsLoop())
        logits, gradients = _logits_and_gradients(model)
    finally:
        model.set_loop(PlainLoop())
    plain_logits, plain_gradients = _logits_and_gradients(model)
    np.testing.assert_allclose(logits.numpy(), plain_logits.numpy(), rtol=1e-5, atol=1e-6)
    for weight, gradient, reference in zip(model.trainable_weights, gradients, plain_gradients):
        np.testing.assert_allclose(
            gradient.numpy(), reference.numpy(), rtol=1e-5, atol=1e-6, err_msg=weight.path
        )


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_model_with_loop_kernels_equals_the_plain_model(config):
    """Loop kernels change how the backward pass multiplies, not what it computes."""
    _assert_loop_kernels_equal_plain(cached_model(config))


def test_the_equality_check_sees_a_perturbed_loop_kernel_gradient(monkeypatch):
    gradient = LoopKernels._kernel_gradient
    monkeypatch.setattr(
        LoopKernels, "_kernel_gradient", lambda self, name, up: 1.001 * gradient(self, name, up)
    )
    with pytest.raises(AssertionError, match="Not equal to tolerance"):
        _assert_loop_kernels_equal_plain(cached_model(CONFIGS[0]))
