"""Tests of the search strategies: greedy, beam search and the choice between them.

Cases worked out by hand on :class:`~step_functions.TreeLM`; properties on random
models: beam size 1 is exactly greedy, and a beam holding every hypothesis is
exhaustive search.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import tensorflow as tf
from helpers import make_model
from step_functions import (
    LENGTH_SPEC,
    A,
    B,
    C,
    D,
    TinyRNN,
    TreeLM,
    expected_max_lengths,
    random_sources,
    run,
)

from translate import search
from translate.config.schema import DecodingConfig
from translate.data.tokenizer import BOS_ID as BOS
from translate.data.tokenizer import EOS_ID as EOS
from translate.data.tokenizer import PAD_ID as PAD
from translate.search import BeamSearch, GreedySearch, strategy_for

GREEDY = GreedySearch()


def test_beam_finds_the_sequence_greedy_misses_and_sorts_n_best():
    # Greedy takes "a" (0.55) and then must end weakly: a, eos = 0.55 * 0.34.
    # "b", eos = 0.40 * 0.90 is more probable, and beam search finds it.
    lm = TreeLM({(): {A: 0.55, B: 0.40}, (A,): {EOS: 0.34, C: 0.33, D: 0.32}, (B,): {EOS: 0.9}})
    source = tf.constant([[4, 5, 6]])

    greedy = run(GREEDY, lm, source)
    assert greedy.tokens.numpy().tolist() == [[[A]]]
    np.testing.assert_allclose(greedy.scores, [[math.log(0.55 * 0.34)]], rtol=1e-5)

    beam = run(BeamSearch(2, n_best=2, length_penalty=0.0), lm, source)
    assert beam.tokens.numpy().tolist() == [[[B], [A]]]
    assert beam.lengths.numpy().tolist() == [[1, 1]]
    np.testing.assert_allclose(
        beam.scores, [[math.log(0.40 * 0.9), math.log(0.55 * 0.34)]], rtol=1e-5
    )
    # Both hypotheses have 2 generated tokens (eos included), so lp divides both.
    beam = run(BeamSearch(2, n_best=2, length_penalty=1.0), lm, source)
    np.testing.assert_allclose(
        beam.scores,
        [[math.log(0.40 * 0.9) / (7 / 6), math.log(0.55 * 0.34) / (7 / 6)]],
        rtol=1e-5,
    )


# A short hypothesis "a" and a long one "b b b", both beginning 0.5 / 0.45.


def test_early_stopping_rule():
    source = tf.constant([[4, 5, 6, 7]])  # max length ceil(4 * 1.5) + 10 = 16
    # alpha = 0: after step 2, "a" is finished at log 0.45 and the open "b b" has
    # log 0.40 already, so nothing open can win: stop after 2 steps.
    lm = TreeLM(LENGTH_SPEC)
    result = run(BeamSearch(2, length_penalty=0.0), lm, source)
    assert lm.calls == 2 and result.tokens.numpy().tolist() == [[[A]]]
    # With n_best = 2 the second hypothesis is needed too.
    lm = TreeLM(LENGTH_SPEC)
    run(BeamSearch(2, n_best=2, length_penalty=0.0), lm, source)
    assert lm.calls == 4
    # alpha = 2: "b b" divided by the *current* lp, log(0.40) / lp(2) = -0.673, is below
    # the finished "a" (-0.587), but that is no bound: it goes on to win with -0.453.
    # The bound log(0.40) / lp(16) = -0.075 correctly keeps it open.
    assert math.log(0.40) / (7 / 6) ** 2 < math.log(0.45) / (7 / 6) ** 2
    lm = TreeLM(LENGTH_SPEC)
    result = run(BeamSearch(2, length_penalty=2.0), lm, source)
    assert lm.calls == 4 and result.tokens.numpy().tolist() == [[[B, B, B]]]


@pytest.mark.parametrize("seed", [0, 3, 5])
def test_beam_size_one_is_exactly_greedy(seed):
    lm = TinyRNN(seed, eos_bias=1.0)
    source = random_sources(seed, [5, 2, 7, 3, 1, 4])
    options = dict(max_length_ratio=1.0, max_length_offset=3)
    greedy = run(GREEDY, lm, source, **options)
    lengths = greedy.lengths.numpy()[:, 0]
    maxima = expected_max_lengths(source.numpy(), 1.0, 3, 200)
    # The case is interesting: sentences end at different times, by eos or by the limit.
    assert len(set(lengths)) > 2 and (lengths < maxima).any() and (lengths == maxima).any()

    for alpha, beta in [(0.0, 0.0), (1.0, 0.0), (0.6, 0.4)]:
        beam = run(
            BeamSearch(1, length_penalty=alpha, coverage_penalty=beta), lm, source, **options
        )
        np.testing.assert_array_equal(beam.tokens, greedy.tokens)
        np.testing.assert_array_equal(beam.lengths, greedy.lengths)
        np.testing.assert_allclose(beam.attention, greedy.attention, atol=1e-6)
        if alpha == beta == 0.0:
            np.testing.assert_allclose(beam.scores, greedy.scores, rtol=1e-5)


def test_beam_size_one_equals_greedy_on_seeded_model():
    model = make_model(attention="luong", seed=5, decoder_layers=2)
    source = tf.constant([[5, 9, 7, 3, 0, 0], [4, 4, 12, 13, 14, 3], [15, 3, 0, 0, 0, 0]])
    mask = tf.not_equal(source, 0)
    step_fn, max_lens = search.make_step_fn(model), search.max_output_lengths(mask)
    greedy = search.decode(step_fn, model.encode(source), mask, search.GreedySearch(), max_lens)
    beam = search.decode(
        step_fn, model.encode(source), mask, search.BeamSearch(1, length_penalty=0.0), max_lens
    )
    np.testing.assert_array_equal(beam.tokens.numpy(), greedy.tokens.numpy())
    np.testing.assert_array_equal(beam.lengths.numpy(), greedy.lengths.numpy())
    np.testing.assert_allclose(beam.scores.numpy(), greedy.scores.numpy(), rtol=1e-5)
    assert greedy.lengths.numpy().max() > 0


def test_a_beam_as_wide_as_all_hypotheses_is_exhaustive_search():
    """With a beam holding every hypothesis, beam search must return the true optimum:
    this checks the scoring, the reordering and that early stopping loses nothing."""
    vocab, alpha, beta, n_best = 6, 1.0, 0.5, 5
    lm = TinyRNN(7, vocab=vocab, hidden=6, eos_bias=0.5)
    source = random_sources(7, [2, 1], vocab=vocab)  # max lengths 3 and 2
    options = dict(max_length_ratio=1.0, max_length_offset=1)

    def enumerate_all(source_row, max_len):
        """Every hypothesis and its score, by depth-first teacher forcing."""
        real = np.asarray(source_row) != PAD
        found = []

        def score(total, length, coverage):
            cov = beta * np.sum(np.log(np.clip(coverage[real], 1e-10, 1.0)))
            return total / ((5 + length) / 6) ** alpha + cov

        def visit(prefix, previous, state, total, coverage):
            log_probs, state, att = lm.step(tf.constant([previous]), state)
            log_probs, coverage = log_probs[0].numpy(), coverage + att[0].numpy()
            for token in range(vocab):
                if token in (PAD, BOS):  # never generated
                    continue
                if token == EOS:
                    length = len(prefix) + 1
                    found.append((score(total + log_probs[token], length, coverage), prefix))
                elif len(prefix) + 1 == max_len:
                    found.append(
                        (score(total + log_probs[token], max_len, coverage), prefix + (token,))
                    )
                else:
                    visit(prefix + (token,), token, state, total + log_probs[token], coverage)

        visit((), BOS, lm.initial_state(tf.constant([source_row])), 0.0, 0.0)
        return sorted(found, reverse=True)

    # Words unk, 4, 5: 1 + 3 + 9 + 27 = 40 hypotheses for the first sentence.
    result = run(
        BeamSearch(40, n_best=n_best, length_penalty=alpha, coverage_penalty=beta),
        lm,
        source,
        **options,
    )
    for i, max_len in enumerate(expected_max_lengths(source.numpy(), 1.0, 1, 200)):
        best = enumerate_all(source.numpy()[i], max_len)[:n_best]
        got = [
            tuple(result.tokens.numpy()[i, k, : result.lengths.numpy()[i, k]])
            for k in range(n_best)
        ]
        assert got == [tokens for _, tokens in best]
        np.testing.assert_allclose(result.scores[i], [s for s, _ in best], rtol=1e-5)


def test_strategy_for_picks_greedy_for_a_beam_of_one():
    greedy = strategy_for(DecodingConfig(beam_size=1, n_best=1, length_penalty=0.6))
    assert isinstance(greedy, GreedySearch) and (greedy.width, greedy.n_best) == (1, 1)
    beam = strategy_for(
        DecodingConfig(beam_size=4, n_best=2, length_penalty=0.6, coverage_penalty=0.2)
    )
    assert isinstance(beam, BeamSearch)
    assert (beam.width, beam.n_best, beam.alpha, beam.beta) == (4, 2, 0.6, 0.2)
