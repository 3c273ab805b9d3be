"""Tests of the LSTM layer: Keras' LSTM equivalence, masking, reverse, steps, serialization."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from helpers import ATOL

from translate.model import LSTM, plain_products


def _keras_lstm_like(layer, input_dim):
    """A ``keras.layers.LSTM`` holding the same weights as a project LSTM.

    Args:
        layer: A built :class:`translate.model.lstm.LSTM`.
        input_dim: Feature size of the inputs.

    Returns:
        The Keras layer, returning sequences and states.
    """
    reference = keras.layers.LSTM(layer.units, return_sequences=True, return_state=True)
    reference.build((None, None, input_dim))
    reference.set_weights(
        [layer.kernel.numpy(), layer.recurrent_kernel.numpy(), layer.bias.numpy()]
    )
    return reference


def _random_weights(layer, seed):
    """Replaces a layer's weights with random ones (a non-trivial bias included).

    Args:
        layer: A built layer.
        seed: Random seed.
    """
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in layer.get_weights()])


def test_lstm_matches_keras_lstm_on_unpadded_input():
    x = tf.random.stateless_normal((3, 7, 4), seed=(11, 12))
    layer = LSTM(6)
    layer.build(x.shape)
    _random_weights(layer, 0)
    outputs, h, c = layer(x, tf.constant([7, 7, 7]))
    reference_outputs, reference_h, reference_c = _keras_lstm_like(layer, 4)(x)
    np.testing.assert_allclose(outputs.numpy(), reference_outputs.numpy(), atol=ATOL)
    np.testing.assert_allclose(h.numpy(), reference_h.numpy(), atol=ATOL)
    np.testing.assert_allclose(c.numpy(), reference_c.numpy(), atol=ATOL)


def test_lstm_on_padded_input_matches_keras_on_real_tokens():
    x = tf.random.stateless_normal((3, 7, 4), seed=(13, 14))
    lengths = [7, 4, 1]
    layer = LSTM(6)
    layer.build(x.shape)
    _random_weights(layer, 1)
    outputs, h, c = layer(x, tf.constant(lengths))
    reference = _keras_lstm_like(layer, 4)
    for row, length in enumerate(lengths):
        ref_outputs, ref_h, ref_c = reference(x[row : row + 1, :length])
        np.testing.assert_allclose(outputs.numpy()[row, :length], ref_outputs.numpy()[0], atol=ATOL)
        assert (outputs.numpy()[row, length:] == 0).all()
        np.testing.assert_allclose(h.numpy()[row], ref_h.numpy()[0], atol=ATOL)
        np.testing.assert_allclose(c.numpy()[row], ref_c.numpy()[0], atol=ATOL)


def test_reverse_lstm_equals_keras_lstm_on_reversed_real_tokens():
    x = tf.random.stateless_normal((3, 6, 4), seed=(15, 16))
    lengths = [6, 3, 2]
    layer = LSTM(5, reverse=True)
    layer.build(x.shape)
    _random_weights(layer, 2)
    outputs, h, c = layer(x, tf.constant(lengths))
    reference = _keras_lstm_like(layer, 4)
    for row, length in enumerate(lengths):
        reversed_tokens = tf.reverse(x[row : row + 1, :length], axis=[1])
        ref_outputs, ref_h, ref_c = reference(reversed_tokens)
        # Output at position t is the state after reading tokens length-1 .. t.
        expected = ref_outputs.numpy()[0, ::-1]
        np.testing.assert_allclose(outputs.numpy()[row, :length], expected, atol=ATOL)
        assert (outputs.numpy()[row, length:] == 0).all()
        np.testing.assert_allclose(h.numpy()[row], ref_h.numpy()[0], atol=ATOL)
        np.testing.assert_allclose(c.numpy()[row], ref_c.numpy()[0], atol=ATOL)


def test_lstm_starts_from_the_given_state_and_without_lengths_reads_every_position():
    x = tf.random.stateless_normal((2, 5, 3), seed=(17, 18))
    h0 = tf.random.stateless_normal((2, 4), seed=(19, 20))
    c0 = tf.random.stateless_normal((2, 4), seed=(21, 22))
    layer = LSTM(4)
    layer.build(x.shape)
    _random_weights(layer, 3)
    outputs, h, c = layer(x, initial_state=(h0, c0))
    reference = keras.layers.LSTM(4, return_sequences=True, return_state=True)
    reference.build((None, None, 3))
    reference.set_weights(layer.get_weights())
    ref_outputs, ref_h, ref_c = reference(x, initial_state=[h0, c0])
    np.testing.assert_allclose(outputs.numpy(), ref_outputs.numpy(), atol=ATOL)
    np.testing.assert_allclose(h.numpy(), ref_h.numpy(), atol=ATOL)
    np.testing.assert_allclose(c.numpy(), ref_c.numpy(), atol=ATOL)


def test_step_is_one_position_of_call():
    x = tf.random.stateless_normal((2, 3, 4), seed=(23, 24))
    layer = LSTM(5)
    layer.build(x.shape)
    _random_weights(layer, 4)
    outputs, _, _ = layer(x)
    products = plain_products({"recurrent": layer.recurrent_kernel})
    projected = layer.project(x)  # (2, 3, 20)
    h = c = tf.zeros((2, 5))
    for t in range(3):
        h, c = layer.step(projected[:, t], h, c, products)
        np.testing.assert_allclose(h.numpy(), outputs.numpy()[:, t], atol=ATOL)


def test_project_is_x_times_kernel_plus_bias_for_any_rank():
    layer = LSTM(2)
    layer.build((None, None, 3))
    _random_weights(layer, 5)
    x = tf.random.stateless_normal((2, 4, 3), seed=(25, 26))
    expected = x.numpy() @ layer.kernel.numpy() + layer.bias.numpy()
    np.testing.assert_allclose(layer.project(x).numpy(), expected, atol=ATOL)
    np.testing.assert_allclose(layer.project(x[:, 0]).numpy(), expected[:, 0], atol=ATOL)


def test_fed_input_goes_through_the_recurrent_matrix_before_h():
    layer = LSTM(3, feed_dim=2)
    layer.build((None, 4))
    assert tuple(layer.recurrent_kernel.shape) == (5, 12)
    _random_weights(layer, 6)
    projected = tf.random.stateless_normal((2, 12), seed=(27, 28))
    feed = tf.random.stateless_normal((2, 2), seed=(29, 30))
    h = tf.random.stateless_normal((2, 3), seed=(31, 32))
    c = tf.zeros((2, 3))
    products = plain_products({"recurrent": layer.recurrent_kernel})
    fed_h, fed_c = layer.step(projected, h, c, products, feed=feed)
    # The same step written by hand: z = x W + b + [a; h] U.
    z = projected.numpy() + np.concatenate([feed, h], -1) @ layer.recurrent_kernel.numpy()
    i, f, g, o = np.split(z, 4, axis=-1)
    expected_c = tf.sigmoid(i).numpy() * np.tanh(g)
    np.testing.assert_allclose(fed_c.numpy(), expected_c, atol=ATOL)
    np.testing.assert_allclose(
        fed_h.numpy(), tf.sigmoid(o).numpy() * np.tanh(expected_c), atol=ATOL
    )
    with pytest.raises(ValueError, match="step by step"):
        layer(tf.zeros((2, 3, 4)))


def test_lstm_forget_bias_starts_at_one():
    layer = LSTM(3)
    layer.build((None, None, 2))
    np.testing.assert_array_equal(layer.bias.numpy(), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])


def test_lstm_serialization_round_trip():
    layer = LSTM(4, reverse=True, feed_dim=0, name="lstm_x")
    x, lengths = tf.random.stateless_normal((2, 5, 3), seed=(1, 2)), tf.constant([5, 2])
    expected = layer(x, lengths)
    serialized = keras.saving.serialize_keras_object(layer)
    assert serialized["registered_name"] == "translate>LSTM"
    clone = keras.saving.deserialize_keras_object(serialized)
    assert type(clone) is LSTM
    assert clone.get_config() == layer.get_config()
    assert clone.units == 4 and clone.reverse and clone.name == "lstm_x"
    fed = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(LSTM(4, feed_dim=3))
    )
    assert fed.feed_dim == 3
    if not clone.built:
        clone.build(x.shape)
    clone.set_weights(layer.get_weights())
    for got, want in zip(clone(x, lengths), expected):
        np.testing.assert_array_equal(got.numpy(), want.numpy())
