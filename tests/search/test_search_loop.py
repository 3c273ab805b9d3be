"""Tests of the search loop (:func:`translate.search.decode`) on hand-built step functions.

The loop's own duties, whatever the strategy: outputs that end at eos or at
their length limit, batches equal to sentences alone, stepping only the rows
still growing, and running inside a ``tf.function``.
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from step_functions import TinyRNN, expected_max_lengths, random_sources, rescore, run

from translate.data.tokenizer import EOS_ID as EOS
from translate.data.tokenizer import PAD_ID as PAD
from translate.search import BeamSearch, GreedySearch, SearchResult

GREEDY = GreedySearch()


def test_greedy_skips_the_reordering_without_changing_anything():
    class ReorderingGreedy(GreedySearch):
        reorders = True  # gather every history by its (own) parent, as beam search does

    lm = TinyRNN(0, eos_bias=1.0)
    source = random_sources(0, [5, 2, 7, 3, 1, 4])
    options = dict(max_length_ratio=1.0, max_length_offset=3)
    skipped = run(GREEDY, lm, source, **options)
    reordered = run(ReorderingGreedy(), lm, source, **options)
    assert len(set(skipped.lengths.numpy()[:, 0])) > 2
    for name in SearchResult._fields:
        np.testing.assert_array_equal(getattr(skipped, name), getattr(reordered, name), name)


class RowCounter:
    """Wraps a step function and records how many rows each call steps, and which."""

    def __init__(self, step):
        self.step, self.sizes, self.rows = step, [], []

    def __call__(self, tokens, state, rows=None):
        self.sizes.append(int(tf.shape(tokens)[0]))
        self.rows.append(None if rows is None else rows.numpy().tolist())
        return self.step(tokens, state, rows)


@pytest.mark.parametrize(
    "strategy",
    [
        GREEDY,
        BeamSearch(4, n_best=2, length_penalty=1.0, coverage_penalty=0.3),
        pytest.param(BeamSearch(3, n_best=1, length_penalty=0.0), marks=pytest.mark.slow),
        # wider than the 10 words:
        pytest.param(BeamSearch(12, n_best=12, length_penalty=1.0), marks=pytest.mark.slow),
    ],
    ids=["greedy", "beam4", "beam3", "beam12"],
)
def test_stepping_only_growing_rows_gives_the_same_result_for_fewer_rows(strategy):
    # In float64: this random RNN is chaotic enough that float32 rounding, which
    # depends on how many rows a matrix product has, grows to 1e-3 over 16 steps.
    lm = TinyRNN(2, eos_bias=1.0, dtype=tf.float64)
    source = random_sources(2, [5, 2, 7, 3, 1, 4], width=8)
    full_counter, compact_counter = RowCounter(lm.step), RowCounter(lm.step)
    full = run(strategy, lm, source, step=full_counter, step_all_rows=True)
    compact = run(strategy, lm, source, step=compact_counter)
    # Sentences end at different steps, so rows drop out as the search goes on.
    assert len(set(full.lengths.numpy()[:, 0])) > 2
    for name in SearchResult._fields:
        np.testing.assert_array_equal(getattr(compact, name), getattr(full, name), err_msg=name)

    n = source.shape[0] * strategy.width
    assert full_counter.sizes == [n] * len(full_counter.sizes)
    assert full_counter.rows == [None] * len(full_counter.rows)
    assert len(compact_counter.sizes) == len(full_counter.sizes)
    assert sum(compact_counter.sizes) < sum(full_counter.sizes)
    for size, rows in zip(compact_counter.sizes, compact_counter.rows):
        assert 0 < size == len(rows) and rows == sorted(set(rows)) and rows[-1] < n


@pytest.mark.parametrize(
    "strategy",
    [
        GREEDY,
        BeamSearch(3, n_best=3, length_penalty=1.0, coverage_penalty=0.2),
    ],
    ids=["greedy", "beam"],
)
def test_batch_gives_the_same_hypotheses_as_each_sentence_alone(strategy):
    lm = TinyRNN(3, eos_bias=1.0)
    lengths = [3, 6, 1, 4]
    source = random_sources(3, lengths, width=8)  # extra padding on every sentence
    batched = run(strategy, lm, source)
    for i, n in enumerate(lengths):
        alone = run(strategy, lm, source[i : i + 1, :n])
        out_len = alone.tokens.shape[2]
        np.testing.assert_array_equal(batched.lengths[i], alone.lengths[0])
        np.testing.assert_array_equal(batched.tokens[i, :, :out_len], alone.tokens[0])
        assert not batched.tokens.numpy()[i, :, out_len:].any()
        np.testing.assert_allclose(batched.scores[i], alone.scores[0], rtol=1e-5)
        np.testing.assert_allclose(
            batched.attention[i, :out_len, :n], alone.attention[0], atol=1e-5
        )
        assert not batched.attention.numpy()[i, :, n:].any()


@pytest.mark.parametrize(
    "strategy",
    [
        GREEDY,
        BeamSearch(4, n_best=4, length_penalty=0.0),
        pytest.param(
            BeamSearch(3, n_best=2, length_penalty=1.0, coverage_penalty=0.3),
            marks=pytest.mark.slow,
        ),
    ],
    ids=["greedy", "beam4", "beam3"],
)
@pytest.mark.parametrize("ratio, offset, cap", [(1.0, 2, 200), (1.5, 1, 4)])
def test_outputs_end_at_eos_and_respect_the_maximum_length(strategy, ratio, offset, cap):
    lm = TinyRNN(4, eos_bias=0.5)
    source = random_sources(4, [2, 5, 3, 6], width=7)
    result = run(
        strategy, lm, source, max_length_ratio=ratio, max_length_offset=offset, max_length=cap
    )
    maxima = expected_max_lengths(source.numpy(), ratio, offset, cap)
    tokens, lengths = result.tokens.numpy(), result.lengths.numpy()
    assert tokens.shape[2] == lengths.max() <= max(maxima)
    alpha = getattr(strategy, "alpha", 0.0)  # greedy: no penalties
    beta = getattr(strategy, "beta", 0.0)
    for i in range(len(maxima)):
        for k in range(tokens.shape[1]):
            n = lengths[i, k]
            assert n <= maxima[i]
            assert EOS not in tokens[i, k, :n] and not tokens[i, k, n:].any()
            # Teacher forcing reproduces the score: the hypothesis is exactly these
            # words (+ eos unless cut at the limit), nothing grew after eos, and the
            # model state followed the hypothesis through the beam reordering.
            score, rows = rescore(
                lm, source.numpy()[i], tokens[i, k, :n], n < maxima[i], alpha, beta
            )
            np.testing.assert_allclose(result.scores[i, k], score, rtol=1e-4, atol=1e-5)
            if k == 0:
                np.testing.assert_allclose(result.attention[i, :n], rows[:n], atol=1e-5)
                assert not result.attention.numpy()[i, n:].any()
    scores = result.scores.numpy()
    assert (np.diff(scores, axis=1) <= 0).all()  # n-best lists sorted, best first
    for i in range(len(maxima)):  # and made of distinct hypotheses
        hyps = {tuple(tokens[i, k, : lengths[i, k]]) for k in range(tokens.shape[1])}
        assert len(hyps) == tokens.shape[1]


def test_without_eos_every_output_stops_at_its_maximum_length():
    lm = TinyRNN(5, eos_bias=-50.0)
    source = random_sources(5, [1, 4, 2, 7], width=7)
    maxima = expected_max_lengths(source.numpy(), 1.5, 1, 9)
    assert len(set(maxima)) == 4
    for result in [
        run(GREEDY, lm, source, max_length_offset=1, max_length=9),
        run(BeamSearch(3, n_best=3), lm, source, max_length_offset=1, max_length=9),
    ]:
        assert (result.lengths.numpy() == np.array(maxima)[:, None]).all()
        words = (result.tokens.numpy() != PAD).sum(axis=2)
        assert (words == np.array(maxima)[:, None]).all()


def test_zero_maximum_length_gives_empty_outputs():
    lm = TinyRNN(6)
    source = random_sources(6, [2, 3])
    for result in [
        run(GREEDY, lm, source, max_length=0),
        run(BeamSearch(2, n_best=2), lm, source, max_length=0),
    ]:
        assert result.tokens.shape[2] == 0 and not result.lengths.numpy().any()
        assert result.attention.shape == (2, 0, 3)
        assert result.scores.numpy()[:, 0].tolist() == [0.0, 0.0]


@pytest.mark.slow
def test_searches_run_inside_a_plain_tf_function_with_dynamic_shapes():
    lm = TinyRNN(9)
    traces = []

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.int32)])
    def both(source):
        traces.append(1)
        return run(GREEDY, lm, source), run(BeamSearch(2), lm, source)

    both(random_sources(0, [2, 4]))
    both(random_sources(1, [3, 1, 5, 2], width=9))
    assert len(traces) == 1
