"""One embedding for both languages (``model.share_embeddings``) and the three-way tie."""

import os

import keras
import numpy as np
import pytest
import tensorflow as tf
from helpers import config_error

from translate.model import Seq2Seq

SMALL = dict(embedding_dim=8, encoder_units=8, decoder_units=8)
BATCH = {
    "source": tf.constant([[3, 4, 5, 2], [6, 7, 2, 0]]),
    "target_in": tf.constant([[1, 8, 9], [1, 10, 0]]),
}


def _model(**kwargs) -> Seq2Seq:
    model = Seq2Seq(40, 40, **SMALL, **kwargs)
    model.build()
    return model


def test_the_encoder_reads_the_decoders_embedding_matrix():
    model = _model(share_embeddings=True)
    separate = _model()
    assert model.encoder.embedding is model.decoder.embedding
    assert len({id(w) for w in model.weights}) == len(model.weights)
    assert separate.count_params() - model.count_params() == 40 * 8


def test_three_way_tie_keeps_one_matrix_for_source_target_and_output():
    model = _model(share_embeddings=True, tie_embeddings=True)
    matrices = [w for w in model.weights if w.shape == (40, 8)]
    assert len(matrices) == 1


def test_source_and_target_gradients_add_up_in_the_shared_matrix():
    model = _model(share_embeddings=True)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(BATCH, training=False))
    (grad,) = tape.gradient(loss, [model.decoder.embedding.embeddings])
    rows = tf.convert_to_tensor(grad)  # (vocab, embedding_dim), dense from the sparse update
    used_by_source_only = [3, 4, 5, 6, 7]  # ids the targets never contain
    assert all(float(tf.norm(rows[i])) > 0 for i in used_by_source_only)


def test_saved_model_keeps_the_sharing_and_its_outputs(tmp_path):
    model = _model(share_embeddings=True, tie_embeddings=True)
    path = os.path.join(tmp_path, "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.share_embeddings and loaded.encoder.embedding is loaded.decoder.embedding
    np.testing.assert_array_equal(model(BATCH).numpy(), loaded(BATCH).numpy())


def test_different_vocabulary_sizes_cannot_share():
    with pytest.raises(ValueError, match="one joint vocabulary"):
        Seq2Seq(40, 41, share_embeddings=True, **SMALL)


def test_config_refuses_sharing_without_a_joint_vocabulary():
    message = config_error(["model.share_embeddings=true", "data.joint_vocab=false"])
    assert "model.share_embeddings" in message and "data.joint_vocab" in message
