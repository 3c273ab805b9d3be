"""Tests of the search penalties: the GNMT length and coverage penalties, and length limits.

The formulas on their own, and as beam search ranks hypotheses by them.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import tensorflow as tf
from step_functions import LENGTH_SPEC, A, B, TreeLM, run

from translate.data.tokenizer import EOS_ID as EOS
from translate.search import (
    BeamSearch,
    gnmt_coverage_penalty,
    gnmt_length_penalty,
    gnmt_score,
    max_output_lengths,
)


def test_length_penalty_formula():
    np.testing.assert_allclose(
        gnmt_length_penalty(tf.constant([0, 1, 7]), 0.6), [(5 / 6) ** 0.6, 1.0, 2.0**0.6], rtol=1e-6
    )
    np.testing.assert_allclose(gnmt_length_penalty(tf.constant([3, 9]), 0.0), [1.0, 1.0])


def test_coverage_penalty_formula():
    coverage = tf.constant([[[0.5, 2.0, 0.0], [0.0, 0.0, 0.0]]])  # (1, 2, 3)
    mask = tf.constant([[True, True, False]])
    penalty = gnmt_coverage_penalty(coverage, mask, 0.5).numpy()
    np.testing.assert_allclose(penalty[0, 0], 0.5 * math.log(0.5), rtol=1e-6)
    assert np.isfinite(penalty).all()  # padding never gives log(0); zeros are floored
    np.testing.assert_allclose(penalty[0, 1], 0.5 * 2 * math.log(1e-10), rtol=1e-5)
    assert not gnmt_coverage_penalty(coverage, mask, 0.0).numpy().any()


def test_gnmt_score_divides_by_the_length_penalty_and_adds_the_coverage_penalty():
    log_probs = tf.constant([[-2.0, -3.0]])  # (1, 2)
    coverage = tf.constant([[[0.5, 1.0], [1.0, 0.25]]])  # (1, 2, 2)
    mask = tf.constant([[True, True]])
    score = gnmt_score(log_probs, tf.constant([[3, 7]]), coverage, mask, alpha=1.0, beta=0.5)
    expected = [-2.0 / (8 / 6) + 0.5 * math.log(0.5), -3.0 / (12 / 6) + 0.5 * math.log(0.25)]
    np.testing.assert_allclose(score.numpy(), [expected], rtol=1e-6)


def test_max_output_lengths():
    lengths = max_output_lengths(
        tf.constant([[1, 1, 0], [1, 1, 1], [0, 0, 0]]) > 0,
        max_length_ratio=1.5,
        max_length_offset=1,
        max_length=4,
    )
    assert lengths.numpy().tolist() == [4, 4, 1]


@pytest.mark.parametrize("alpha", [0.0, 0.5, 1.0, 2.0])
def test_length_penalty_ranks_short_and_long_as_the_formula_says(alpha):
    log_short = math.log(0.5 * 0.9)  # a, eos: 2 generated tokens
    log_long = math.log(0.45 * 0.889 * 0.95 * 0.95)  # b b b, eos: 4 generated tokens
    short, long_ = log_short / ((5 + 2) / 6) ** alpha, log_long / ((5 + 4) / 6) ** alpha
    # alpha = 0 and 0.5 prefer the short one, alpha = 1 and 2 the long one.
    assert (short > long_) == (alpha < 1)
    expected = sorted([(short, [A, 0, 0]), (long_, [B, B, B])], reverse=True)

    lm = TreeLM(LENGTH_SPEC)
    result = run(BeamSearch(2, n_best=2, length_penalty=alpha), lm, tf.constant([[4, 5, 6, 7]]))
    assert result.tokens.numpy()[0].tolist() == [tokens for _, tokens in expected]
    np.testing.assert_allclose(result.scores[0], [score for score, _ in expected], rtol=1e-5)
    best = run(BeamSearch(2, length_penalty=alpha), lm, tf.constant([[4, 5, 6, 7]]))
    assert best.tokens.numpy()[0, 0].tolist() == expected[0][1][: int(best.lengths[0, 0])]


def test_coverage_penalty_prefers_the_hypothesis_that_covers_the_source():
    # Both "a" and "b" end right away; "a" is more probable but looks at word 0
    # twice, "b" looks at word 0 and then word 1.
    lm = TreeLM(
        {(): {A: 0.55, B: 0.40}, (A,): {EOS: 0.9}, (B,): {EOS: 0.9}},
        attention={(): [0.9, 0.1], (A,): [0.9, 0.1], (B,): [0.1, 0.9]},
    )
    # The second sentence is the first one padded: padding must not change anything.
    source = tf.constant([[4, 5, 0], [4, 5, 0]])
    log_a, log_b = math.log(0.55 * 0.9), math.log(0.40 * 0.9)
    cov_a = math.log(0.2)  # coverage (1.8, 0.2) -> log min(1.8, 1) + log min(0.2, 1)
    cov_b = 0.0  # coverage (1.0, 1.0)

    plain = run(BeamSearch(2, n_best=2), lm, source)
    assert plain.tokens.numpy()[:, :, 0].tolist() == [[A, B], [A, B]]

    beta = 1.0
    result = run(BeamSearch(2, n_best=2, coverage_penalty=beta), lm, source)
    assert result.tokens.numpy()[:, :, 0].tolist() == [[B, A], [B, A]]
    expected = [log_b / (7 / 6) + beta * cov_b, log_a / (7 / 6) + beta * cov_a]
    np.testing.assert_allclose(result.scores, [expected, expected], rtol=1e-5, atol=1e-6)
    # The attention returned is the best hypothesis' first step, padding excluded.
    np.testing.assert_allclose(result.attention, [[[0.9, 0.1, 0.0]]] * 2, rtol=1e-6)
