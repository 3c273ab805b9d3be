"""Tests of the search loop and its strategies on tiny hand-built step functions (no model)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import tensorflow as tf

from translate.config import DecodingConfig
from translate.search import (
    BeamSearch,
    GreedySearch,
    SearchResult,
    decode,
    gnmt_coverage_penalty,
    gnmt_length_penalty,
    make_search,
    make_step_fn,
    max_output_lengths,
    strategy_for,
)
from translate.tokenizer import BOS_ID as BOS
from translate.tokenizer import EOS_ID as EOS
from translate.tokenizer import PAD_ID as PAD

GREEDY = GreedySearch()
A, B, C, D = 4, 5, 6, 7  # words of the hand-built vocabularies


# --------------------------------------------------------------------------- step functions


class TreeLM:
    """A hand-written language model: a next-token distribution and an attention per prefix.

    ``spec`` maps a prefix (a tuple of word ids, bos excluded) to ``{token: prob}``;
    the probability left over is spread evenly over the other tokens. Prefixes not
    in ``spec`` share a "sink" distribution that strongly prefers eos. ``attention``
    maps a prefix to weights over the source used when predicting its next token
    (default uniform); padded positions get 0 and the rest is renormalized.
    """

    def __init__(self, spec, attention=None, vocab=8, src_len=4):
        self.calls = 0
        prefixes = [()] + [p for p in spec if p != ()]
        index = {p: i for i, p in enumerate(prefixes)}
        sink = len(prefixes)
        probs = np.zeros((sink + 1, vocab))
        children = np.full((sink + 1, vocab), sink, np.int32)
        att = np.ones((sink + 1, src_len))
        for prefix, node in index.items():
            chosen = spec.get(prefix, {})
            rest = (1.0 - sum(chosen.values())) / (vocab - len(chosen))
            probs[node] = [chosen.get(tok, rest) for tok in range(vocab)]
            for tok in range(vocab):
                children[node, tok] = index.get(prefix + (tok,), sink)
            if attention and prefix in attention:
                att[node, : len(attention[prefix])] = attention[prefix]
        children[0, BOS] = 0  # feeding bos stays at the root
        probs[sink] = [0.97 if tok == EOS else 0.03 / (vocab - 1) for tok in range(vocab)]
        self.log_probs = tf.constant(np.log(probs), tf.float32)  # (nodes, vocab)
        self.children = tf.constant(children)  # (nodes, vocab)
        self.attention = tf.constant(att, tf.float32)  # (nodes, src_len)

    def initial_state(self, source):
        return {"node": tf.zeros(tf.shape(source)[:1], tf.int32), "mask": source != PAD}

    def step(self, tokens, state, rows=None):
        self.calls += 1
        node = tf.gather_nd(self.children, tf.stack([state["node"], tokens], axis=1))  # (n,)
        mask = tf.cast(state["mask"], tf.float32)  # (n, src_len)
        att = tf.gather(self.attention, node)[:, : tf.shape(mask)[1]] * mask
        att = att / tf.reduce_sum(att, axis=1, keepdims=True)
        return tf.gather(self.log_probs, node), {"node": node, "mask": state["mask"]}, att


class TinyRNN:
    """A seeded random attentional RNN with a dict state, written in TensorFlow.

    The source memory and mask live in the state, so outputs depend on each
    sentence's own source and padding must not leak between sentences.
    """

    def __init__(self, seed=0, vocab=12, hidden=8, eos_bias=0.0, scale=1.5, dtype=tf.float32):
        rng = np.random.default_rng(seed)

        def normal(*shape):
            return tf.constant(rng.normal(scale=scale, size=shape), dtype)

        self.vocab, self.hidden, self.dtype = vocab, hidden, dtype
        self.source_embedding = normal(vocab, hidden)
        self.target_embedding = normal(vocab, hidden)
        self.w_input, self.w_state, self.w_context = (normal(hidden, hidden) / 3 for _ in range(3))
        self.w_out = normal(hidden, vocab)
        self.bias = tf.one_hot(EOS, vocab, dtype=dtype) * eos_bias

    def initial_state(self, source):
        return {
            "h": tf.zeros([tf.shape(source)[0], self.hidden], self.dtype),
            "memory": tf.gather(self.source_embedding, source),  # (batch, src_len, hidden)
            "mask": source != PAD,
        }

    def step(self, tokens, state, rows=None):
        h, memory, mask = state["h"], state["memory"], state["mask"]
        scores = tf.einsum("nsh,nh->ns", memory, h)
        att = tf.nn.softmax(tf.where(mask, scores, -1e9), axis=-1)  # (n, src_len)
        context = tf.einsum("ns,nsh->nh", att, memory)
        x = tf.gather(self.target_embedding, tokens)
        h = tf.tanh(x @ self.w_input + h @ self.w_state + context @ self.w_context)
        log_probs = tf.nn.log_softmax(h @ self.w_out + self.bias)
        state = {"h": h, "memory": memory, "mask": mask}
        return tf.cast(log_probs, tf.float32), state, tf.cast(att, tf.float32)


def random_sources(seed, lengths, vocab=12, width=None):
    """0-padded ``(batch, width)`` int32 sources of the given lengths (ids 4 and up)."""
    rng = np.random.default_rng(seed)
    width = width or max(lengths)
    source = np.zeros((len(lengths), width), np.int32)
    for i, n in enumerate(lengths):
        source[i, :n] = rng.integers(4, vocab, size=n)
    return tf.constant(source)


def run(
    strategy,
    lm,
    source,
    *,
    max_length_ratio=1.5,
    max_length_offset=10,
    max_length=200,
    step=None,
    step_all_rows=False,
) -> SearchResult:
    """Decodes ``source`` with ``lm`` (or another ``step`` function over its state)."""
    mask = source != PAD
    max_lens = max_output_lengths(
        mask,
        max_length_ratio=max_length_ratio,
        max_length_offset=max_length_offset,
        max_length=max_length,
    )
    return decode(
        step or lm.step,
        lm.initial_state(source),
        mask,
        strategy,
        max_lens,
        step_all_rows=step_all_rows,
    )


class AsModel:
    """A :class:`TinyRNN` behind the model interface :func:`make_search` uses.

    The source memory and mask are the constants kept out of the reordered state.
    """

    def __init__(self, lm):
        self.lm = lm

    def encode(self, source):
        return self.lm.initial_state(source)

    def split_state(self, state):
        return {"h": state["h"]}, {"memory": state["memory"], "mask": state["mask"]}

    def decode_step(self, tokens, state):
        return self.lm.step(tokens, state)  # log-probabilities are logits too


def rescore(lm, source_row, tokens, with_eos, alpha=0.0, beta=0.0):
    """Teacher-forces one hypothesis: its GNMT score and attention rows, in float64."""
    source = tf.constant([source_row], tf.int32)
    state = lm.initial_state(source)
    targets = list(tokens) + ([EOS] if with_eos else [])
    total, coverage, rows = 0.0, 0.0, []
    for previous, target in zip([BOS] + list(tokens), targets):
        log_probs, state, att = lm.step(tf.constant([previous]), state)
        total += float(log_probs[0, target])
        coverage = coverage + att[0].numpy().astype(np.float64)
        rows.append(att[0].numpy())
    real = np.asarray(source_row) != PAD
    cov = beta * np.sum(np.log(np.clip(coverage[real], 1e-10, 1.0))) if beta else 0.0
    return total / ((5 + len(targets)) / 6) ** alpha + cov, np.array(rows)


def expected_max_lengths(source, ratio, offset, cap):
    return [min(cap, math.ceil(int(n) * ratio) + offset) for n in np.sum(source != PAD, axis=1)]


# --------------------------------------------------------------------------- hand-built cases


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
LENGTH_SPEC = {
    (): {A: 0.5, B: 0.45},
    (A,): {EOS: 0.9},
    (B,): {B: 0.889},
    (B, B): {B: 0.95},
    (B, B, B): {EOS: 0.95},
}


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


def test_penalty_formulas():
    np.testing.assert_allclose(
        gnmt_length_penalty(tf.constant([0, 1, 7]), 0.6), [(5 / 6) ** 0.6, 1.0, 2.0**0.6], rtol=1e-6
    )
    np.testing.assert_allclose(gnmt_length_penalty(tf.constant([3, 9]), 0.0), [1.0, 1.0])
    coverage = tf.constant([[[0.5, 2.0, 0.0], [0.0, 0.0, 0.0]]])  # (1, 2, 3)
    mask = tf.constant([[True, True, False]])
    penalty = gnmt_coverage_penalty(coverage, mask, 0.5).numpy()
    np.testing.assert_allclose(penalty[0, 0], 0.5 * math.log(0.5), rtol=1e-6)
    assert np.isfinite(penalty).all()  # padding never gives log(0); zeros are floored
    np.testing.assert_allclose(penalty[0, 1], 0.5 * 2 * math.log(1e-10), rtol=1e-5)
    lengths = max_output_lengths(
        tf.constant([[1, 1, 0], [1, 1, 1], [0, 0, 0]]) > 0,
        max_length_ratio=1.5,
        max_length_offset=1,
        max_length=4,
    )
    assert lengths.numpy().tolist() == [4, 4, 1]


# --------------------------------------------------------------------------- random models


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
        BeamSearch(3, n_best=1, length_penalty=0.0),
        BeamSearch(12, n_best=12, length_penalty=1.0),  # wider than the 10 words
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
        BeamSearch(3, n_best=2, length_penalty=1.0, coverage_penalty=0.3),
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


# --------------------------------------------------------------------------- the dispatcher


def test_strategy_for_picks_greedy_for_a_beam_of_one():
    greedy = strategy_for(DecodingConfig(beam_size=1, n_best=1, length_penalty=0.6))
    assert isinstance(greedy, GreedySearch) and (greedy.width, greedy.n_best) == (1, 1)
    beam = strategy_for(
        DecodingConfig(beam_size=4, n_best=2, length_penalty=0.6, coverage_penalty=0.2)
    )
    assert isinstance(beam, BeamSearch)
    assert (beam.width, beam.n_best, beam.alpha, beam.beta) == (4, 2, 0.6, 0.2)


@pytest.mark.parametrize("beam_size, n_best", [(1, 1), (3, 2)])
def test_make_search_is_the_loop_with_the_configured_strategy(beam_size, n_best):
    lm = TinyRNN(8, eos_bias=1.0)
    settings = DecodingConfig(
        beam_size=beam_size,
        n_best=n_best,
        length_penalty=0.6,
        coverage_penalty=0.2,
        max_length_ratio=1.0,
        max_length_offset=3,
    )
    search = make_search(AsModel(lm), settings, max_length=7)
    compiled = tf.function(
        search, input_signature=[tf.TensorSpec([None, None], tf.int32)], autograph=False
    )
    for lengths, width in [([3, 5, 2], 5), ([4, 1], 7)]:
        source = random_sources(width, lengths, width=width)
        # The loop over the whole state, with the strategy the settings name.
        direct = run(
            strategy_for(settings),
            lm,
            source,
            max_length_ratio=1.0,
            max_length_offset=3,
            max_length=7,
        )
        assert direct.lengths.numpy().max() == 7  # the absolute cap is applied
        for result in (search(source), compiled(source)):
            for name in SearchResult._fields:
                np.testing.assert_allclose(
                    getattr(result, name), getattr(direct, name), rtol=1e-5, atol=1e-6, err_msg=name
                )
    assert compiled.experimental_get_tracing_count() == 1


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


def test_make_step_fn_log_softmaxes_in_float32():
    class FakeModel:
        def decode_step(self, tokens, state):
            logits = tf.cast(tf.one_hot(tokens, 5) * 3.0, tf.float16)
            return logits, state, tf.ones([tf.shape(tokens)[0], 2], tf.float16) / 2

    log_probs, state, att = make_step_fn(FakeModel())(tf.constant([1, 4]), {"x": tf.zeros([2])})
    assert log_probs.dtype == tf.float32 and att.dtype == tf.float32
    np.testing.assert_allclose(tf.reduce_sum(tf.exp(log_probs), axis=1), [1.0, 1.0], rtol=1e-6)
    assert tf.argmax(log_probs, axis=1).numpy().tolist() == [1, 4]
