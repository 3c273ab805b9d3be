"""Tests of attention: one step and all steps at once agree, masking, serialization."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from helpers import ATOL

from translate.model import BahdanauAttention, LuongAttention, plain_products
from translate.model.attention import context, masked_softmax

MASK = tf.constant([[True] * 4, [True, True, False, False]])


def _layer(cls, seed=0):
    """A built attention layer over memory of width 5, for queries of width 6.

    Args:
        cls: :class:`BahdanauAttention` or :class:`LuongAttention`.
        seed: Seed of the random weights.

    Returns:
        The layer.
    """
    layer = cls(6, name="att")
    layer.build((None, 6), memory_shape=(None, None, 5))
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in layer.get_weights()])
    return layer


def _attend(layer, query, memory):
    """Scores, weights and context, as the decoder computes them.

    Returns:
        ``(weights, context)``.
    """
    keys = layer.keys(memory)
    products = plain_products(layer.kernels(keys, memory))
    weights = masked_softmax(layer.score(query, keys, products), MASK)
    return weights, context(weights, products)


@pytest.mark.parametrize("cls", [BahdanauAttention, LuongAttention])
def test_all_steps_at_once_equal_one_step_at_a_time(cls):
    layer = _layer(cls)
    memory = tf.random.stateless_normal((2, 4, 5), seed=(3, 4))
    queries = tf.random.stateless_normal((2, 3, 6), seed=(5, 6))  # (batch, tgt_len, query)
    weights, ctx = _attend(layer, queries, memory)
    assert weights.shape == (2, 3, 4) and ctx.shape == (2, 3, 5)
    for t in range(3):
        step_weights, step_context = _attend(layer, queries[:, t], memory)
        np.testing.assert_allclose(step_weights.numpy(), weights.numpy()[:, t], atol=ATOL)
        np.testing.assert_allclose(step_context.numpy(), ctx.numpy()[:, t], atol=ATOL)


def test_scores_follow_the_equations():
    memory = tf.random.stateless_normal((2, 4, 5), seed=(7, 8)).numpy()
    query = tf.random.stateless_normal((2, 6), seed=(9, 10)).numpy()
    bahdanau, luong = _layer(BahdanauAttention, 1), _layer(LuongAttention, 2)

    w_m = bahdanau.memory_projection.kernel.numpy()
    w_q, b_q = bahdanau.query_projection.kernel.numpy(), bahdanau.query_projection.bias.numpy()
    v = bahdanau.energy.kernel.numpy()[:, 0]
    expected = np.tanh((query @ w_q + b_q)[:, None, :] + memory @ w_m) @ v  # (2, 4)
    keys = bahdanau.keys(tf.constant(memory))
    products = plain_products(bahdanau.kernels(keys, tf.constant(memory)))
    scores = bahdanau.score(tf.constant(query), keys, products)
    np.testing.assert_allclose(scores.numpy(), expected, atol=ATOL)

    expected = np.einsum("bu,bsu->bs", query, memory @ luong.memory_projection.kernel.numpy())
    keys = luong.keys(tf.constant(memory))
    products = plain_products(luong.kernels(keys, tf.constant(memory)))
    scores = luong.score(tf.constant(query), keys, products)
    np.testing.assert_allclose(scores.numpy(), expected, atol=ATOL)


@pytest.mark.parametrize("cls", [BahdanauAttention, LuongAttention])
def test_weights_are_zero_on_padding_and_context_is_their_sum_of_memory(cls):
    memory = tf.random.stateless_normal((2, 4, 5), seed=(11, 12))
    weights, ctx = _attend(_layer(cls), tf.random.stateless_normal((2, 6), seed=(13, 14)), memory)
    assert (weights.numpy()[1, 2:] == 0).all()
    assert (weights.numpy()[:, :2] > 0).all()
    np.testing.assert_allclose(weights.numpy().sum(-1), 1.0, atol=ATOL)
    expected = np.einsum("bs,bsd->bd", weights.numpy(), memory.numpy())
    np.testing.assert_allclose(ctx.numpy(), expected, atol=ATOL)


def test_masked_softmax_ignores_padding_scores():
    scores = tf.constant([[1.0, 2.0, 50.0, -3.0]])
    weights = masked_softmax(scores, tf.constant([[True, True, False, False]])).numpy()
    np.testing.assert_allclose(weights, [[1 / (1 + np.e), np.e / (1 + np.e), 0, 0]], atol=ATOL)


@pytest.mark.parametrize("cls", [BahdanauAttention, LuongAttention])
def test_attention_serialization_round_trip(cls):
    layer = _layer(cls)
    memory = tf.random.stateless_normal((2, 4, 5), seed=(3, 4))
    query = tf.random.stateless_normal((2, 6), seed=(5, 6))
    weights, ctx = _attend(layer, query, memory)

    serialized = keras.saving.serialize_keras_object(layer)
    assert serialized["registered_name"].startswith("translate>")
    clone = keras.saving.deserialize_keras_object(serialized)
    assert type(clone) is cls
    assert clone.get_config() == layer.get_config()
    if not clone.built:
        clone.build((None, 6), memory_shape=(None, None, 5))
    clone.set_weights(layer.get_weights())
    weights2, context2 = _attend(clone, query, memory)
    np.testing.assert_array_equal(context2.numpy(), ctx.numpy())
    np.testing.assert_array_equal(weights2.numpy(), weights.numpy())
