"""Tests of the bidirectional encoder: padding, and serialization."""

import keras
import numpy as np
from helpers import ATOL, CONFIGS, SRC_VOCAB, batch, cached_model, pad

from translate.model import Encoder


def test_encoder_memory_is_zero_on_padding_and_independent_of_it():
    model = cached_model(CONFIGS[3])
    inputs, source_lengths, _ = batch()
    memory, mask, final = model.encoder(inputs["source"])
    assert mask.numpy().tolist() == (inputs["source"].numpy() != 0).tolist()
    assert (memory.numpy()[1, source_lengths[1] :] == 0).all()
    memory2, _, final2 = model.encoder(pad(inputs["source"], 10))
    np.testing.assert_allclose(memory2.numpy()[:, :6], memory.numpy(), atol=ATOL)
    np.testing.assert_allclose(final2.numpy(), final.numpy(), atol=ATOL)


def test_encoder_serialization_round_trip():
    layer = Encoder(SRC_VOCAB, 6, 5, num_layers=2, dropout=0.1, embedding_dropout=0.2, name="enc")
    source = batch()[0]["source"]
    expected = layer(source)
    serialized = keras.saving.serialize_keras_object(layer)
    assert serialized["registered_name"] == "translate>Encoder"
    clone = keras.saving.deserialize_keras_object(serialized)
    assert type(clone) is Encoder
    assert clone.get_config() == layer.get_config()
    assert (clone.num_layers, clone.dropout, clone.embedding_dropout) == (2, 0.1, 0.2)
    if not clone.built:
        clone.build(source.shape)
    clone.set_weights(layer.get_weights())
    for got, want in zip(clone(source), expected):
        np.testing.assert_array_equal(got.numpy(), want.numpy())
