"""Tests of the Seq2Seq model: shapes, masking, saving, the output prior and the loop hook."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from helpers import (
    ATOL,
    CONFIGS,
    TGT_VOCAB,
    batch,
    cached_model,
    config_id,
    configs_cover_every_pair_of_options,
    make_model,
    pad,
    slow_after,
)

from translate.model import LuongAttention, PlainLoop, Seq2Seq


def test_configs_cover_every_pair_of_options():
    assert configs_cover_every_pair_of_options()


# Shapes -----------------------------------------------------------------------------


@pytest.mark.parametrize("config", slow_after(CONFIGS, 3), ids=config_id)
def test_output_shapes(config):
    model = cached_model(config)
    inputs, _, _ = batch()
    logits = model(inputs)
    assert logits.shape == (2, 5, TGT_VOCAB)
    assert np.isfinite(logits.numpy()).all()

    state = model.encode(inputs["source"])
    assert state["memory"].shape == (2, 6, 10)  # 2 * encoder_units
    assert state["mask"].shape == (2, 6)
    for layer in range(config["layers"]):
        assert state[f"h_{layer}"].shape == (2, 8)
        assert state[f"c_{layer}"].shape == (2, 8)
    recurrent, constants = model.split_state(state)
    assert set(constants) == {"memory", "keys", "mask"}
    assert set(recurrent) | set(constants) == set(state)
    step_logits, new_state, attention = model.decode_step(tf.constant([2, 2]), state)
    assert step_logits.shape == (2, TGT_VOCAB)
    assert attention.shape == (2, 6)
    assert set(new_state) == set(state)
    assert model.attention_weights(inputs).shape == (2, 5, 6)


def test_tied_embeddings_share_the_matrix():
    tied, untied = make_model(tie=True), make_model(tie=False)
    # Tying replaces the (units x vocab) output matrix by a (units x embedding) projection.
    saved = 8 * TGT_VOCAB + TGT_VOCAB - (8 * 6 + TGT_VOCAB)
    assert untied.count_params() - tied.count_params() == saved
    # Changing the target embedding changes the tied model's output logits.
    inputs, _, _ = batch()
    before = tied(inputs).numpy()
    embedding = tied.decoder.embedding.embeddings
    embedding.assign(embedding + 0.5)
    after = tied(inputs).numpy()
    assert not np.allclose(before, after)


def test_from_config_section_builds_the_described_model():
    from translate.config.schema import load_config

    section = load_config(
        None,
        [
            "model.embedding_dim=4",
            "model.encoder_units=3",
            "model.decoder_units=5",
            "model.decoder_layers=2",
            "model.attention=luong",
            "model.input_feeding=false",
        ],
    ).model
    model = Seq2Seq.from_config_section(section, 11, 13)
    model.build()
    assert model.decoder.num_layers == 2
    assert isinstance(model.decoder.attention, LuongAttention)
    logits = model({"source": tf.constant([[4, 5, 3]]), "target_in": tf.constant([[2, 6]])})
    assert logits.shape == (1, 2, 13)


def test_set_loop_reaches_every_layer_that_scans():
    model = make_model(layers=2)

    class Marker(PlainLoop):
        """The plain loop, noting the weight matrices its scans multiply by."""

        kernels_seen: set = set()

        def scan(self, step, elems, initializer, kernels):
            self.kernels_seen.update(getattr(k, "path", None) for k in kernels.values())
            return super().scan(step, elems, initializer, kernels)

    marker = Marker()
    model.set_loop(marker)
    batch = {"source": tf.constant([[4, 5, 3, 6]]), "target_in": tf.constant([[2, 6, 7]])}
    model(batch, training=True)  # every recurrent layer runs its steps in the marker's scan
    encoder, decoder = model.encoder, model.decoder
    recurrent = [*encoder.forward_layers, *encoder.backward_layers, *decoder.lstm_layers]
    assert recurrent and {layer.recurrent_kernel.path for layer in recurrent} <= marker.kernels_seen


# Masking ----------------------------------------------------------------------------


@pytest.mark.parametrize("config", CONFIGS[:2] + CONFIGS[3:4] + CONFIGS[5:], ids=config_id)
def test_padding_does_not_change_logits(config):
    model = cached_model(config)
    inputs, _, target_lengths = batch()
    reference = model(inputs).numpy()

    more_source = {"source": pad(inputs["source"], 11), "target_in": inputs["target_in"]}
    more_target = {"source": inputs["source"], "target_in": pad(inputs["target_in"], 9)}
    both = {"source": pad(inputs["source"], 8), "target_in": pad(inputs["target_in"], 7)}
    for padded in (more_source, more_target, both):
        logits = model(padded).numpy()
        for row, length in enumerate(target_lengths):
            np.testing.assert_allclose(logits[row, :length], reference[row, :length], atol=ATOL)


@pytest.mark.parametrize("config", [CONFIGS[1], CONFIGS[5]], ids=config_id)
def test_sentence_alone_equals_sentence_in_padded_batch(config):
    model = cached_model(config)
    inputs, source_lengths, target_lengths = batch()
    together = model(inputs).numpy()
    alone = model(
        {
            "source": inputs["source"][1:, : source_lengths[1]],
            "target_in": inputs["target_in"][1:, : target_lengths[1]],
        }
    ).numpy()
    np.testing.assert_allclose(together[1, : target_lengths[1]], alone[0], atol=ATOL)


@pytest.mark.parametrize("config", CONFIGS[:4], ids=config_id)
def test_attention_is_zero_on_padding_and_sums_to_one(config):
    model = cached_model(config)
    inputs, source_lengths, _ = batch()
    weights = model.attention_weights(inputs).numpy()  # (batch, tgt_len, src_len)
    for row, length in enumerate(source_lengths):
        assert (weights[row, :, length:] == 0).all()
        assert (weights[row, :, :length] > 0).all()
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=ATOL)


# Saving -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "config",
    [CONFIGS[0], dict(attention="luong", layers=2, tie=True, feeding=False)],
    ids=config_id,
)
def test_keras_file_round_trip_in_safe_mode(config, tmp_path):
    model = make_model(**config, seed=7)
    inputs, _, _ = batch()
    expected = model(inputs).numpy()
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True, compile=False)
    assert isinstance(loaded, Seq2Seq)
    assert loaded.get_config() == model.get_config()
    np.testing.assert_array_equal(loaded(inputs).numpy(), expected)
    state = loaded.encode(inputs["source"])
    step, _, _ = loaded.decode_step(tf.constant([2, 2]), state)
    np.testing.assert_allclose(step.numpy(), expected[:, 0], atol=ATOL)


def test_seq2seq_config_round_trip():
    model = make_model(attention="luong", layers=2, tie=True, feeding=False)
    clone = Seq2Seq.from_config(model.get_config())
    clone.build()
    assert clone.get_config() == model.get_config()
    clone.set_weights(model.get_weights())
    inputs, _, _ = batch()
    np.testing.assert_array_equal(clone(inputs).numpy(), model(inputs).numpy())


# The output prior -------------------------------------------------------------------


@pytest.mark.parametrize("tie", [False, True], ids=["untied", "tied"])
def test_output_prior_makes_the_untrained_model_predict_the_unigram_distribution(tie):
    model = make_model(tie=tie)
    frequencies = np.random.default_rng(0).dirichlet(np.full(TGT_VOCAB, 0.3))
    inputs, _, _ = batch()
    untrained = tf.nn.softmax(model(inputs), axis=-1).numpy()  # (2, 5, vocab)
    assert np.abs(untrained - 1 / TGT_VOCAB).max() < 0.05  # near uniform before
    model.set_output_prior(np.log(frequencies))
    primed = tf.nn.softmax(model(inputs), axis=-1).numpy()
    # Only the small untrained recurrent term separates the model from the prior.
    assert np.abs(primed - frequencies).max() < 0.05
    kl = np.sum(frequencies * (np.log(frequencies) - np.log(primed)), axis=-1)
    assert kl.max() < 0.05
