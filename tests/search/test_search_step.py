"""Tests of the step function: a model's ``decode_step`` adapted to what search asks for."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from helpers import make_model, sharpen_outputs

from translate import search
from translate.search import make_step_fn, repeat_beams


def test_make_step_fn_log_softmaxes_in_float32():
    class FakeModel:
        def decode_step(self, tokens, state):
            logits = tf.cast(tf.one_hot(tokens, 5) * 3.0, tf.float16)
            return logits, state, tf.ones([tf.shape(tokens)[0], 2], tf.float16) / 2

    log_probs, state, att = make_step_fn(FakeModel())(tf.constant([1, 4]), {"x": tf.zeros([2])})
    assert log_probs.dtype == tf.float32 and att.dtype == tf.float32
    np.testing.assert_allclose(tf.reduce_sum(tf.exp(log_probs), axis=1), [1.0, 1.0], rtol=1e-6)
    assert tf.argmax(log_probs, axis=1).numpy().tolist() == [1, 4]


def test_repeat_beams_puts_the_rows_of_a_sentence_next_to_each_other():
    state = {"h": tf.constant([[1.0, 2.0], [3.0, 4.0]]), "ids": (tf.constant([5, 6]),)}
    repeated = repeat_beams(state, 3)
    assert repeated["h"].numpy().tolist() == [[1.0, 2.0]] * 3 + [[3.0, 4.0]] * 3
    assert repeated["ids"][0].numpy().tolist() == [5, 5, 5, 6, 6, 6]
    assert repeat_beams(state, 1)["h"].numpy().tolist() == state["h"].numpy().tolist()


@pytest.mark.parametrize("beam_size", [1, pytest.param(4, marks=pytest.mark.slow)])
@pytest.mark.parametrize("step_all_rows", [True, False])
def test_search_with_shared_constants_equals_reordering_the_whole_state(beam_size, step_all_rows):
    """Keeping memory and keys out of the reordered state, and stepping only the
    growing rows (constants looked up by row), change nothing but the cost."""
    model = make_model(seed=0)
    sharpen_outputs(model)
    rng = np.random.default_rng(11)
    source = np.zeros((8, 7), np.int32)  # 0-padded, ending in eos (3)
    for row, length in enumerate(rng.integers(1, 7, 8)):
        source[row, :length], source[row, length] = rng.integers(4, 23, length), 3
    source = tf.constant(source)
    mask = source != 0
    strategy = search.BeamSearch(beam_size, beam_size, length_penalty=1.0, coverage_penalty=0.2)
    max_lens = search.max_output_lengths(mask)
    whole = search.decode(
        search.make_step_fn(model),
        model.encode(source),
        mask,
        strategy,
        max_lens,
        step_all_rows=True,
    )
    recurrent, constants = model.split_state(model.encode(source))
    assert sorted(constants) == ["keys", "mask", "memory"] and "h_0" in recurrent
    step_fn = search.make_step_fn(model, search.repeat_beams(constants, beam_size))
    shared = search.decode(
        step_fn, recurrent, mask, strategy, max_lens, step_all_rows=step_all_rows
    )
    # The case is interesting: outputs end at different steps, so rows drop out.
    assert len(set(whole.lengths.numpy()[:, 0])) > 1
    np.testing.assert_array_equal(shared.tokens.numpy(), whole.tokens.numpy())
    np.testing.assert_allclose(shared.scores.numpy(), whole.scores.numpy(), rtol=1e-5)
    np.testing.assert_allclose(shared.attention.numpy(), whole.attention.numpy(), atol=1e-5)
