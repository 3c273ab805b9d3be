"""Tests of the decoder: one step equals teacher forcing, the no-feeding path, serialization."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from helpers import ATOL, CONFIGS, TGT_VOCAB, batch, cached_model, config_id, make_model, slow_after

from translate.model import Decoder


@pytest.mark.parametrize("config", slow_after(CONFIGS, 3), ids=config_id)
def test_decode_step_matches_teacher_forcing(config):
    model = cached_model(config)
    inputs, _, target_lengths = batch()
    logits = model(inputs).numpy()
    attention = model.attention_weights(inputs).numpy()

    state = model.encode(inputs["source"])
    for t in range(inputs["target_in"].shape[1]):
        step_logits, state, step_attention = model.decode_step(inputs["target_in"][:, t], state)
        for row, length in enumerate(target_lengths):
            if t < length:
                np.testing.assert_allclose(step_logits.numpy()[row], logits[row, t], atol=ATOL)
                np.testing.assert_allclose(
                    step_attention.numpy()[row], attention[row, t], atol=ATOL
                )


@pytest.mark.parametrize("config", [c for c in CONFIGS if not c["feeding"]], ids=config_id)
def test_teacher_forcing_without_feeding_equals_the_step_loop(config, monkeypatch):
    model = cached_model(config)
    inputs, _, _ = batch()
    decoder = model.decoder
    state = model.encode(inputs["source"])
    fast_logits, fast_weights = decoder(inputs["target_in"], state)
    # Taken for a feeding decoder, the same layers run the scan over Decoder.step.
    monkeypatch.setattr(decoder, "input_feeding", True)
    loop_logits, loop_weights = decoder(inputs["target_in"], state)
    np.testing.assert_allclose(fast_logits.numpy(), loop_logits.numpy(), atol=ATOL)
    np.testing.assert_allclose(fast_weights.numpy(), loop_weights.numpy(), atol=ATOL)


def test_dropout_only_applies_in_training():
    model = make_model(layers=2, seed=3, dropout=0.5, embedding_dropout=0.5)
    inputs, _, _ = batch()
    np.testing.assert_allclose(model(inputs).numpy(), model(inputs).numpy(), atol=0)
    assert not np.allclose(model(inputs, training=True).numpy(), model(inputs).numpy())


def test_layer_dropout_masks_are_the_same_at_every_step():
    keras.utils.set_random_seed(4)
    decoder = Decoder(TGT_VOCAB, 6, 8, memory_dim=10, num_layers=3, dropout=0.5)
    decoder.build((None, None))
    state = {"h_0": tf.ones((2, 8))}
    masks = decoder._layer_masks(state, training=True)
    assert len(masks) == 2 and masks[0].shape == (2, 8)
    assert set(np.unique(masks[0].numpy())) <= {0.0, 2.0}
    assert decoder._layer_masks(state, training=False) is None


def test_decoder_layers_are_lstm_layers_shaped_like_the_equations():
    decoder = Decoder(TGT_VOCAB, 6, 8, memory_dim=10, num_layers=2, input_feeding=True)
    decoder.build((None, None))
    first, second = decoder.lstm_layers
    assert tuple(first.kernel.shape) == (6, 32)  # the embedding x_t
    assert tuple(first.recurrent_kernel.shape) == (16, 32)  # [a_{t-1}; h_{t-1}]
    assert tuple(second.kernel.shape) == (8, 32)  # the layer below
    assert tuple(second.recurrent_kernel.shape) == (8, 32)
    plain = Decoder(TGT_VOCAB, 6, 8, memory_dim=10, num_layers=1, input_feeding=False)
    plain.build((None, None))
    assert tuple(plain.lstm_layers[0].recurrent_kernel.shape) == (8, 32)


@pytest.mark.parametrize(
    "attention, tie, feeding", [("bahdanau", False, True), ("luong", True, False)]
)
def test_decoder_serialization_round_trip(attention, tie, feeding):
    layer = Decoder(
        TGT_VOCAB,
        6,
        8,
        memory_dim=10,
        num_layers=2,
        attention=attention,
        input_feeding=feeding,
        dropout=0.1,
        tie_embeddings=tie,
        name="dec",
    )
    memory = tf.random.stateless_normal((2, 4, 10), seed=(7, 8))
    mask = tf.constant([[True] * 4, [True, True, True, False]])
    final = tf.random.stateless_normal((2, 10), seed=(9, 10))
    target_in = tf.constant([[2, 5, 6], [2, 7, 0]])
    layer.build(target_in.shape)
    logits, weights = layer(target_in, layer.initial_state(memory, mask, final))

    serialized = keras.saving.serialize_keras_object(layer)
    assert serialized["registered_name"] == "translate>Decoder"
    clone = keras.saving.deserialize_keras_object(serialized)
    assert type(clone) is Decoder
    assert clone.get_config() == layer.get_config()
    assert clone.attention_type == attention
    assert clone.tie_embeddings == tie and clone.input_feeding == feeding
    if not clone.built:
        clone.build(target_in.shape)
    clone.set_weights(layer.get_weights())
    logits2, weights2 = clone(target_in, clone.initial_state(memory, mask, final))
    np.testing.assert_array_equal(logits2.numpy(), logits.numpy())
    np.testing.assert_array_equal(weights2.numpy(), weights.numpy())
