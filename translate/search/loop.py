"""The search loop: one ``tf.while_loop`` over output positions, for every strategy.

The loop keeps ``width`` hypothesis slots per sentence (1 for greedy,
``beam_size`` for beam search), ``n = batch * width`` rows in all, sentence
``i``'s hypotheses in rows ``i * width ...``. Each step it calls the step
function (:mod:`translate.search.step`) on the hypotheses still growing only:
it gathers their ``m <= n`` rows of the state, passes their ``rows``, and
scatters the results back, so finished hypotheses and done sentences cost
nothing. (The test aid ``step_all_rows`` steps all ``n`` rows with
``rows=None``, to show that this changes no result.) The loop is written for the
whole batch at once, so it runs unchanged eagerly (tests) and inside one
``tf.function`` with dynamic batch size and source length.

A *strategy* (:mod:`translate.search.strategies`) chooses the tokens; the loop
does the bookkeeping every strategy shares:

* **Maximum length.** Sentence ``i`` gets ``max_lens[i]`` decoding steps
  (:func:`~translate.search.penalties.max_output_lengths`). A hypothesis that
  has not emitted eos after that many steps is finalized as it is, so an output
  never has more than ``max_lens[i]`` tokens.
* **Eos handling.** Eos ends a hypothesis and is *not* part of the output:
  ``tokens`` holds the words only, padded with 0 after them, and ``lengths``
  counts the words. The bos token that starts decoding is not in the output
  either. Pad and bos are never generated (their log-probabilities are set
  to ``-inf``, without renormalizing), so a 0 in ``tokens`` always means padding.
* **Reordering.** A slot may continue another slot's hypothesis (beam search);
  the model state and all histories are then gathered from the parent slot
  (a strategy whose slots never do, like greedy, skips that). A finished slot
  keeps its hypothesis, frozen, to the end.
* **Attention.** ``attention[b, t]`` is the attention of the step that produced
  ``tokens[b, 0, t]`` (the best hypothesis), zero past its length; the step that
  produced eos has no row, like eos itself.

Cost: histories are fixed-size buffers of ``max(max_lens)`` steps, written with
a masked select and reordered with ``tf.gather`` every step; the largest is the
attention history, ``batch * width * max(max_lens) * src_len`` floats. The model
state is reordered too, so it should hold only what a step changes: what the
hypotheses of a sentence share (the encoder memory) belongs in the step
function instead (``make_step_fn(model, constants)``). Stepping only the growing
rows trades a gather and a scatter of the state for model matrix products over
``m`` rows instead of ``n``: the larger the share of finished hypotheses and
done sentences in a batch, the more it saves (``docs/performance.md`` gives the
share on Multi30k).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import tensorflow as tf

from translate.data.tokenizer import BOS_ID, EOS_ID, PAD_ID
from translate.search.step import State, StepFn, repeat_beams
from translate.search.strategies import NEG_INF, Strategy


class SearchResult(NamedTuple):
    """What a search returns, best hypothesis first.

    Attributes:
        tokens: ``(batch, n_best, out_len)`` int32 output ids without bos and eos,
            padded with 0. ``out_len`` is the longest output in the batch.
        lengths: ``(batch, n_best)`` int32 number of output tokens (eos excluded).
        scores: ``(batch, n_best)`` float32 the strategy's ranking score: the GNMT
            score for beam search, the sum of log-probabilities (eos included) for
            greedy search. An entry that could not be filled (a vocabulary smaller
            than the beam) has score ``-inf`` and length 0.
        attention: ``(batch, out_len, src_len)`` float32 attention of the best
            hypothesis: row ``t`` produced ``tokens[:, 0, t]``; zero past its
            length and on padded source positions.
    """

    tokens: tf.Tensor
    lengths: tf.Tensor
    scores: tf.Tensor
    attention: tf.Tensor


class _Hypotheses(NamedTuple):
    """The loop variables: ``width`` slots per sentence."""

    inputs: tf.Tensor  # (batch, width) int32 token fed to the next step
    log_probs: tf.Tensor  # (batch, width) float32 total log-probability so far
    finished: tf.Tensor  # (batch, width) bool
    scores: tf.Tensor  # (batch, width) float32 final score, -inf until finished
    lengths: tf.Tensor  # (batch, width) int32 output tokens so far (eos excluded)
    tokens: tf.Tensor  # (batch, width, steps) int32 output tokens, 0-padded
    attention: tf.Tensor  # (batch, width, steps, src_len) float32 row per output token
    coverage: tf.Tensor  # (batch, width, src_len) float32 attention summed over steps
    model_state: State  # nested, each (batch * width, ...)


def decode(
    step_fn: StepFn,
    initial_state: State,
    source_mask: tf.Tensor,
    strategy: Strategy,
    max_lens: tf.Tensor,
    *,
    step_all_rows: bool = False,
) -> SearchResult:
    """Decodes a batch: the one search loop, with ``strategy`` choosing the tokens.

    Args:
        step_fn: The step function (see the module docstring).
        initial_state: Nested tensors with leading dimension ``batch``; repeated
            ``strategy.width`` times.
        source_mask: ``(batch, src_len)`` bool, True on real source tokens.
        strategy: A :class:`~translate.search.strategies.GreedySearch`,
            :class:`~translate.search.strategies.BeamSearch` or another
            :class:`~translate.search.strategies.Strategy`.
        max_lens: ``(batch,)`` int32 decoding steps allowed per sentence
            (:func:`~translate.search.penalties.max_output_lengths`).
        step_all_rows: A test aid: step every row, finished or not (``rows=None``),
            to check that stepping only the growing ones changes nothing.

    Returns:
        A :class:`SearchResult` whose ``strategy.n_best`` hypotheses per sentence
        are sorted by score, best first.
    """
    source_mask = tf.convert_to_tensor(source_mask, tf.bool)
    width = strategy.width
    batch = tf.shape(source_mask)[0]
    hyps = _initial(initial_state, source_mask, max_lens, strategy)
    steps = tf.shape(hyps.tokens)[2]
    slots = tf.range(width)  # (width,)
    # Offsets turning (batch, width) slot indices into rows of the flat state.
    row_offsets = (tf.range(batch) * width)[:, None]  # (batch, 1)

    def done(hyps: _Hypotheses) -> tf.Tensor:
        return strategy.done(hyps.finished, hyps.scores, hyps.log_probs, max_lens)  # (batch,)

    def cond(t: tf.Tensor, hyps: _Hypotheses) -> tf.Tensor:
        return (t < steps) & ~tf.reduce_all(done(hyps))

    def body(t: tf.Tensor, hyps: _Hypotheses) -> tuple[tf.Tensor, _Hypotheses]:
        live = ~hyps.finished & ~done(hyps)[:, None]  # (batch, width)
        # A slot still at -inf (the first step's copies of slot 0) has no extension
        # worth a row: its candidates stay -inf whatever the step returns.
        stepped = live & (hyps.log_probs > NEG_INF)  # (batch, width)
        log_probs, model_state, attention = _step_rows(
            step_fn,
            tf.reshape(hyps.inputs, [-1]),
            hyps.model_state,
            tf.reshape(stepped, [-1]),
            step_all_rows,
        )  # (batch * width, vocab), ..., (batch * width, src_len)
        log_probs = _forbid_pad_and_bos(log_probs)  # (batch * width, vocab)
        vocab = tf.shape(log_probs)[-1]
        log_probs = tf.reshape(log_probs, [batch, width, vocab])
        attention = tf.reshape(tf.cast(attention, tf.float32), [batch, width, -1])

        parents, tokens, totals = strategy.select(log_probs, hyps.log_probs, live, step=t)
        # Finished and dropped slots keep their own hypothesis: no token, same total.
        tokens = tf.where(live, tokens, PAD_ID)  # (batch, width)
        totals = tf.where(live, totals, hyps.log_probs)  # (batch, width)
        if strategy.reorders:  # gather by parent slot; a slot that does not grow is its own
            parents = tf.where(live, parents, slots[None, :])  # (batch, width)
            flat_parents = tf.reshape(parents + row_offsets, [-1])  # (batch * width,)
            model_state = tf.nest.map_structure(lambda s: tf.gather(s, flat_parents), model_state)
            attention = tf.gather(attention, parents, batch_dims=1)  # (batch, width, src_len)
            hyps = hyps._replace(
                lengths=tf.gather(hyps.lengths, parents, batch_dims=1),
                tokens=tf.gather(hyps.tokens, parents, batch_dims=1),
                attention=tf.gather(hyps.attention, parents, batch_dims=1),
                coverage=tf.gather(hyps.coverage, parents, batch_dims=1),
            )
        return t + 1, _advance(
            hyps, t, live, tokens, totals, attention, model_state, max_lens, source_mask, strategy
        )

    _, hyps = tf.while_loop(
        cond,
        body,
        (tf.constant(0), hyps),
        shape_invariants=_shape_invariants((tf.constant(0), hyps)),
    )
    return _collect(hyps, strategy.n_best)


def _initial(
    initial_state: State, source_mask: tf.Tensor, max_lens: tf.Tensor, strategy: Strategy
) -> _Hypotheses:
    """The loop variables before the first step; buffers hold ``max(max_lens)`` steps."""
    width = strategy.width
    batch = tf.shape(source_mask)[0]
    src_len = tf.shape(source_mask)[1]
    steps = tf.maximum(tf.reduce_max(max_lens), 0)  # reduce_max of no sentences is INT_MIN
    slot_is_first = tf.range(width)[None, :] == 0  # (1, width)
    # Only slot 0 is live at first: the others would duplicate its hypotheses.
    log_probs = tf.where(slot_is_first, 0.0, NEG_INF) + tf.zeros([batch, 1])  # (batch, width)
    coverage = tf.zeros([batch, width, src_len])
    # A sentence allowed 0 steps gets the empty hypothesis, finished at once.
    finished = slot_is_first & (max_lens <= 0)[:, None]  # (batch, width)
    empty_scores = strategy.score(log_probs, 0, coverage, source_mask)
    return _Hypotheses(
        inputs=tf.fill([batch, width], BOS_ID),
        log_probs=log_probs,
        finished=finished,
        scores=tf.where(finished, empty_scores, NEG_INF),
        lengths=tf.zeros([batch, width], tf.int32),
        tokens=tf.zeros([batch, width, steps], tf.int32),
        attention=tf.zeros([batch, width, steps, src_len]),
        coverage=coverage,
        model_state=repeat_beams(initial_state, width),  # each (batch * width, ...)
    )


def _step_rows(
    step_fn: StepFn, tokens: tf.Tensor, state: State, live: tf.Tensor, step_all_rows: bool
) -> tuple[tf.Tensor, State, tf.Tensor]:
    """Runs ``step_fn`` on the ``live`` rows only (or on all rows, as a test aid).

    Args:
        step_fn: The step function.
        tokens: ``(n,)`` int32 previous tokens.
        state: Nested, each ``(n, ...)``.
        live: ``(n,)`` bool, the hypotheses that grow this step.
        step_all_rows: Step every row instead.

    Returns:
        ``log_probs (n, vocab)``, the state and ``attention (n, src_len)``. Rows
        that are not live hold zero log-probabilities and attention and keep
        their state; the loop masks them out.
    """
    if step_all_rows:
        return step_fn(tokens, state, None)
    rows = tf.cast(tf.where(live)[:, 0], tf.int32)  # (m,)
    indices = rows[:, None]  # (m, 1)
    n = tf.shape(live)[0]
    log_probs, new_state, attention = step_fn(
        tf.gather(tokens, rows), tf.nest.map_structure(lambda s: tf.gather(s, rows), state), rows
    )  # (m, vocab), ..., (m, src_len)
    log_probs = tf.scatter_nd(indices, log_probs, tf.stack([n, tf.shape(log_probs)[1]]))
    attention = tf.scatter_nd(indices, attention, tf.stack([n, tf.shape(attention)[1]]))
    state = tf.nest.map_structure(
        lambda old, new: tf.tensor_scatter_nd_update(old, indices, new), state, new_state
    )  # each (n, ...)
    return log_probs, state, attention


def _forbid_pad_and_bos(log_probs: tf.Tensor) -> tf.Tensor:
    """Float32 ``log_probs (n, vocab)`` with pad and bos set to ``-inf``: never output.

    Not renormalized: the other tokens keep the model's log-probabilities.
    """
    vocab = tf.shape(log_probs)[-1]
    forbidden = (tf.range(vocab) == PAD_ID) | (tf.range(vocab) == BOS_ID)  # (vocab,)
    return tf.where(forbidden[None, :], NEG_INF, tf.cast(log_probs, tf.float32))


def _advance(
    hyps: _Hypotheses,
    t: tf.Tensor,
    live: tf.Tensor,
    tokens: tf.Tensor,
    totals: tf.Tensor,
    attention: tf.Tensor,
    model_state: State,
    max_lens: tf.Tensor,
    source_mask: tf.Tensor,
    strategy: Strategy,
) -> _Hypotheses:
    """Appends step ``t``'s chosen tokens to the live hypotheses, finishing some.

    Args:
        hyps: The hypotheses before step ``t``, already reordered by parent.
        t: Scalar int32 step index (0-based).
        live: ``(batch, width)`` bool, the slots that grow this step.
        tokens: ``(batch, width)`` int32 token chosen for each slot.
        totals: ``(batch, width)`` float32 total log-probability after the token.
        attention: ``(batch, width, src_len)`` attention of the step producing it.
        model_state: Nested, each ``(batch * width, ...)``, after the step.
        max_lens: ``(batch,)`` int32 step limit per sentence.
        source_mask: ``(batch, src_len)`` bool.
        strategy: Scores the hypotheses that finish.

    Returns:
        The hypotheses after step ``t``.
    """
    ends = live & tf.equal(tokens, EOS_ID)  # (batch, width)
    grows = live & ~ends  # (batch, width) a word is appended
    coverage = hyps.coverage + tf.where(live[:, :, None], attention, 0.0)  # (batch, width, src_len)
    at_limit = (t + 1 >= max_lens)[:, None]  # (batch, 1)
    newly_finished = live & (ends | at_limit)  # (batch, width)
    # Either way the hypothesis now has t + 1 generated tokens (eos included).
    new_scores = strategy.score(totals, t + 1, coverage, source_mask)
    return _Hypotheses(
        inputs=tf.where(grows, tokens, EOS_ID),
        log_probs=totals,
        finished=hyps.finished | newly_finished,
        scores=tf.where(newly_finished, new_scores, hyps.scores),
        lengths=hyps.lengths + tf.cast(grows, tf.int32),
        tokens=_write_step(hyps.tokens, t, tf.where(grows, tokens, PAD_ID)),
        attention=_write_step(hyps.attention, t, tf.where(grows[:, :, None], attention, 0.0)),
        coverage=coverage,
        model_state=model_state,
    )


def _write_step(buffer: tf.Tensor, t: tf.Tensor, values: tf.Tensor) -> tf.Tensor:
    """Writes ``values (batch, width, ...)`` at step ``t`` of ``buffer (batch, width, steps, ...)``.

    A masked select rather than a scatter: cheap at these sizes and shape-stable.
    """
    at_t = tf.equal(tf.range(tf.shape(buffer)[2]), t)  # (steps,)
    at_t = tf.reshape(at_t, [1, 1, -1] + [1] * (buffer.shape.rank - 3))
    return tf.where(at_t, tf.expand_dims(values, 2), buffer)


def _collect(hyps: _Hypotheses, n_best: int) -> SearchResult:
    """Ranks the finished hypotheses and trims the buffers to the longest output."""
    finished_scores = tf.where(hyps.finished, hyps.scores, NEG_INF)  # (batch, width)
    scores, order = tf.math.top_k(finished_scores, k=n_best)  # (batch, n_best), best first
    lengths = tf.where(scores > NEG_INF, tf.gather(hyps.lengths, order, batch_dims=1), 0)
    out_len = tf.maximum(tf.reduce_max(lengths), 0)
    positions = tf.range(out_len)  # (out_len,)
    tokens = tf.gather(hyps.tokens, order, batch_dims=1)[:, :, :out_len]
    tokens = tf.where(positions < lengths[:, :, None], tokens, PAD_ID)  # (batch, n_best, out_len)
    attention = tf.gather(hyps.attention, order[:, 0], batch_dims=1)[:, :out_len]
    attention = tf.where(
        (positions < lengths[:, :1])[:, :, None], attention, 0.0
    )  # (batch, out_len, src_len)
    return SearchResult(tokens=tokens, lengths=lengths, scores=scores, attention=attention)


def _shape_invariants(loop_vars: Any) -> Any:
    """Shapes with the leading (batch) dimension left free, for ``tf.while_loop``.

    The step function may return a state whose static batch size is less known
    than the initial state's (e.g. after a dynamic reshape); inner dimensions are
    kept, since layers inside the step function need them.
    """

    def relax(x: tf.Tensor) -> tf.TensorShape:
        shape = tf.convert_to_tensor(x).shape
        if shape.rank is None or shape.rank == 0:
            return shape
        return tf.TensorShape([None]).concatenate(shape[1:])

    return tf.nest.map_structure(relax, loop_vars)
