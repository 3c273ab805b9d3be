"""Hand-built step functions for the search tests, and a helper to run a search over them.

No model of this package: :class:`TreeLM` is a language model written out as a
tree of next-token distributions (for cases worked out by hand), and
:class:`TinyRNN` a seeded random attentional RNN (for properties that must hold
on any model). Both follow the step-function contract of
:mod:`translate.search.step`.
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

from translate.data.tokenizer import BOS_ID as BOS
from translate.data.tokenizer import EOS_ID as EOS
from translate.data.tokenizer import PAD_ID as PAD
from translate.search import SearchResult, decode, max_output_lengths

A, B, C, D = 4, 5, 6, 7  # words of the hand-built vocabularies

# A short hypothesis "a" and a long one "b b b", both beginning 0.5 / 0.45.
LENGTH_SPEC = {
    (): {A: 0.5, B: 0.45},
    (A,): {EOS: 0.9},
    (B,): {B: 0.889},
    (B, B): {B: 0.95},
    (B, B, B): {EOS: 0.95},
}


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
    """The output length limit of each sentence of ``source``, computed here in Python."""
    return [min(cap, math.ceil(int(n) * ratio) + offset) for n in np.sum(source != PAD, axis=1)]
