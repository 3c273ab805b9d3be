"""Greedy search and beam search over one batched step function, in pure TensorFlow.

Both strategies drive the same *step function*::

    step_fn(tokens, state, rows) -> (log_probs, state, attention)

    tokens     (m,) int32            the previous token of each hypothesis
    state      nested tensors        every tensor has leading dimension m
    rows       (m,) int32 or None    where these hypotheses sit among the n rows
    log_probs  (m, vocab) float32    log-softmaxed scores of the next token
    attention  (m, src_len) float32  attention over the source for this step

where ``n`` is ``batch`` for greedy search and ``batch * beam_size`` for beam
search (sentence ``i``'s hypotheses are rows ``i * beam_size ...``). By default
(``compact=True``) a search steps only the hypotheses still growing: it gathers
their ``m <= n`` rows of the state, calls the step function with their ``rows``,
and scatters the results back, so finished hypotheses and done sentences cost
nothing. ``rows=None`` means all ``n`` rows in order (``compact=False``). A step
function that keeps per-row data outside the state (the ``constants`` of
:func:`make_step_fn`) looks it up by ``rows``; one that keeps everything in the
state may ignore it. :func:`make_step_fn` builds one from a model's
``decode_step``. Each
search is a single ``tf.while_loop`` over output positions, written for the whole
batch at once, so it runs unchanged eagerly (tests) and inside one
``tf.function`` with dynamic batch size and source length (:func:`compile_search`).

Conventions shared by both searches:

* **Maximum length.** Sentence ``i`` with ``src_len_i`` real source tokens gets
  ``max_len_i = min(max_length, ceil(src_len_i * max_length_ratio) +
  max_length_offset)`` decoding steps (never fewer than 0). A hypothesis that
  has not emitted eos after ``max_len_i`` steps is finalized as it is, so an
  output never has more than ``max_len_i`` tokens.
* **Eos handling.** Eos ends a hypothesis and is *not* part of the output:
  ``tokens`` holds the words only, padded with 0 after them, and ``lengths``
  counts the words. The bos token that starts decoding is not in the output
  either. Pad (0) and bos are never generated (their log-probabilities are set
  to ``-inf``, without renormalizing), so a 0 in ``tokens`` always means padding.
* **Attention.** ``attention[b, t]`` is the attention of the step that produced
  ``tokens[b, 0, t]`` (the best hypothesis), zero past its length; the step that
  produced eos has no row, like eos itself.

Beam search scores a finished hypothesis ``y`` of the source ``x`` by the GNMT
formula (Wu et al., 2016, eq. 14)::

    score(y) = log P(y | x) / lp(|y|) + cp(x, y)
    lp(len)  = ((5 + len) / 6) ** alpha
    cp(x, y) = beta * sum_i log(min(sum_j a_ij, 1.0))

``log P(y | x)`` includes the probability of eos; ``|y|`` is the number of
generated tokens *including* eos (a hypothesis cut at the maximum length has no
eos, so ``|y|`` is its number of words); ``a_ij`` is the attention on source word
``i`` at output step ``j``, summed over every step including the one that
produced eos; ``i`` runs over real source positions only (``source_mask``), and
``sum_j a_ij`` is floored at ``1e-10`` so an unattended word costs a large but
finite ``beta * log(1e-10)`` instead of ``-inf``. ``alpha`` is
``length_penalty`` and ``beta`` is ``coverage_penalty``.

Beam search, exactly:

1. Each sentence has ``beam_size`` slots, flattened to ``(batch * beam_size, ...)``
   for the step function. The initial state is repeated into every slot; only
   slot 0 starts with log-probability 0, the others with ``-inf``, so the first
   step expands one hypothesis instead of ``beam_size`` copies of it.
2. A slot is *open* (still growing) or *finished*. Each step, every open
   hypothesis is extended by every token, and the ``m`` extensions with the
   highest total log-probability fill the sentence's ``m`` open slots, in order
   (``m`` = the number of open slots). The model state and all histories are
   reordered by gathering the parent slot.
3. An extension ending in eos, or reaching ``max_len_i``, is finished: it is
   scored with the formula above and frozen in its slot, which it keeps for the
   rest of the search. The beam therefore narrows as hypotheses finish
   (the classic "shrinking beam"), so a slot is never spent twice and the
   finished hypotheses are exactly the contents of the ``beam_size`` slots.
   With ``beam_size=1`` this is greedy search, token for token, for any
   ``alpha`` and ``beta``.
4. **Early stopping.** Sentence ``i`` is done when no open hypothesis can still
   beat the ``n_best``-th best finished one, i.e. when::

       max over open slots of  log P(prefix) / lp(max_len_i)  <=  S_n

   where ``S_n`` is the ``n_best``-th best finished score (``-inf`` while fewer
   than ``n_best`` hypotheses are finished). This is an upper bound on any
   completion's score: further tokens only lower ``log P`` (log-probabilities are
   ``<= 0``), so ``log P(completion) / lp(L) <= log P(prefix) / lp(L)``, and since
   ``log P(prefix) <= 0`` and ``lp`` grows with the length (``alpha >= 0``), the
   right-hand side is largest at the longest allowed length ``L = max_len_i``;
   the coverage term is ``<= 0`` for ``beta >= 0``. (Dividing by the *current*
   length instead, as some implementations do, is not a bound when
   ``alpha > 0`` and can stop too early.) The open hypotheses of a done
   sentence are dropped (frozen and discarded), and the loop ends when every
   sentence is done or after ``max(max_len_i)`` steps, so stopping early never
   changes the result.
5. The ``n_best`` finished hypotheses with the highest scores are returned,
   best first (ties keep slot order).

Cost: histories are fixed-size buffers of ``max(max_len_i)`` steps, written with
a masked select and reordered with ``tf.gather`` every step; the largest is the
attention history, ``batch * beam_size * max(max_len_i) * src_len`` floats.
The model state is reordered too, so it should hold only what a step changes:
what the hypotheses of a sentence share (the encoder memory) belongs in the step
function instead (``make_step_fn(model, constants)``). With ``compact=True`` the
step function runs on the growing hypotheses only: on the Multi30k test set,
beam 5 in batches of 64 keeps about two thirds of the rows growing on average
over a batch's steps, the rest being finished hypotheses and sentences whose
early stop has fired, so the model's matrix products shrink by about a third at
the price of a gather and a scatter of the state.

Example:
    >>> step_fn = make_step_fn(model)
    >>> state = model.encode(source)                   # (batch, src_len) ids
    >>> result = beam_search(step_fn, state, source != 0, beam_size=5)
    >>> result.tokens[:, 0]                            # (batch, out_len) best
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import tensorflow as tf

PAD_ID = 0
BOS_ID = 2
EOS_ID = 3

#: A nested structure (dict, tuple, ...) of tensors, each with leading dimension ``n``.
State = Any
#: ``step_fn(tokens (m,), state, rows (m,) | None) -> (log_probs (m, vocab), state, attention (m, src_len))``.
StepFn = Callable[[tf.Tensor, State, "tf.Tensor | None"], tuple[tf.Tensor, State, tf.Tensor]]

_NEG_INF = float("-inf")
_COVERAGE_FLOOR = 1e-10


class SearchResult(NamedTuple):
    """What a search returns, best hypothesis first.

    Attributes:
        tokens: ``(batch, n_best, out_len)`` int32 output ids without bos and eos,
            padded with 0. ``out_len`` is the longest output in the batch.
        lengths: ``(batch, n_best)`` int32 number of output tokens (eos excluded).
        scores: ``(batch, n_best)`` float32 ranking score: the GNMT score for beam
            search, the sum of log-probabilities (eos included) for greedy search.
            An entry that could not be filled (a vocabulary smaller than the beam)
            has score ``-inf`` and length 0.
        attention: ``(batch, out_len, src_len)`` float32 attention of the best
            hypothesis: row ``t`` produced ``tokens[:, 0, t]``; zero past its
            length and on padded source positions.
    """

    tokens: tf.Tensor
    lengths: tf.Tensor
    scores: tf.Tensor
    attention: tf.Tensor


def make_step_fn(model: Any, constants: dict[str, tf.Tensor] | None = None) -> StepFn:
    """Adapts a model's ``decode_step`` to the step-function contract.

    Args:
        model: Anything with ``decode_step(tokens, state) -> (logits, state,
            attention)`` over a dict state, e.g.
            :class:`translate.model.seq2seq.Seq2Seq`.
        constants: Entries of the model's state that stay the same for every
            hypothesis of a sentence (the encoder memory and its attention keys),
            already laid out like the search's ``n`` rows (:func:`repeat_beams`).
            The step function adds the given ``rows`` of them to the state it is
            given and leaves them out of the state it returns, so the search
            carries and reorders only the recurrent part; reordering the memory
            every step would copy ``n * src_len * memory_dim`` floats for nothing,
            since the hypotheses of a sentence share it.

    Returns:
        A step function returning float32 log-probabilities (log-softmax taken in
        float32, so it is safe under mixed precision) and float32 attention.
    """
    constants = dict(constants or {})

    def step_fn(
        tokens: tf.Tensor, state: State, rows: tf.Tensor | None = None
    ) -> tuple[tf.Tensor, State, tf.Tensor]:
        if constants:
            shared = constants if rows is None else {
                key: tf.gather(value, rows) for key, value in constants.items()
            }  # each (m, ...)
            full_state = {**state, **shared}
        else:
            full_state = state
        logits, state, attention = model.decode_step(tokens, full_state)  # (m, vocab), ..., (m, src_len)
        if constants:
            state = {key: value for key, value in state.items() if key not in constants}
        log_probs = tf.nn.log_softmax(tf.cast(logits, tf.float32), axis=-1)  # (m, vocab)
        return log_probs, state, tf.cast(attention, tf.float32)

    return step_fn


def repeat_beams(state: State, beam_size: int) -> State:
    """Repeats every row ``beam_size`` times: the layout of a search's state.

    Args:
        state: Nested tensors with leading dimension ``batch``.
        beam_size: Hypotheses per sentence (1 leaves the tensors as they are).

    Returns:
        The same structure, each tensor ``(batch * beam_size, ...)`` with the
        rows of a sentence adjacent.
    """
    return tf.nest.map_structure(
        lambda s: tf.repeat(tf.convert_to_tensor(s), beam_size, axis=0), state
    )


def max_output_lengths(
    source_mask: tf.Tensor,
    *,
    max_length_ratio: float = 1.5,
    max_length_offset: int = 10,
    max_length: int = 200,
) -> tf.Tensor:
    """The per-sentence output length limit.

    Args:
        source_mask: ``(batch, src_len)`` bool, True on real source tokens.
        max_length_ratio: Limit as a multiple of the source length.
        max_length_offset: Tokens added to that.
        max_length: Absolute cap.

    Returns:
        ``(batch,)`` int32 ``min(max_length, ceil(src_len_i * ratio) + offset)``,
        at least 0. Computed in float64, so it equals Python's ``math.ceil``.
    """
    source_lengths = tf.reduce_sum(tf.cast(source_mask, tf.float64), axis=1)  # (batch,)
    limits = tf.math.ceil(source_lengths * max_length_ratio) + max_length_offset
    limits = tf.clip_by_value(limits, 0.0, float(max_length))
    return tf.cast(limits, tf.int32)


def gnmt_length_penalty(length: tf.Tensor, alpha: float) -> tf.Tensor:
    """GNMT length penalty ``lp(len) = ((5 + len) / 6) ** alpha``.

    Args:
        length: Any-shape number of generated tokens (eos included).
        alpha: Strength; 0 disables the penalty (``lp = 1``).

    Returns:
        float32 tensor of the same shape.
    """
    length = tf.cast(length, tf.float32)
    if alpha == 0:
        return tf.ones_like(length)
    return tf.pow((5.0 + length) / 6.0, alpha)


def gnmt_coverage_penalty(coverage: tf.Tensor, source_mask: tf.Tensor, beta: float) -> tf.Tensor:
    """GNMT coverage penalty ``beta * sum_i log(min(coverage_i, 1))`` over real words.

    Args:
        coverage: ``(batch, beam, src_len)`` attention summed over output steps.
        source_mask: ``(batch, src_len)`` bool; padded positions contribute 0.
        beta: Strength; 0 disables the penalty.

    Returns:
        ``(batch, beam)`` float32 penalty, ``<= 0``. Coverage is floored at
        ``1e-10`` so the penalty stays finite.
    """
    if beta == 0:
        return tf.zeros(tf.shape(coverage)[:2], tf.float32)
    clipped = tf.clip_by_value(coverage, _COVERAGE_FLOOR, 1.0)  # (batch, beam, src_len)
    log_coverage = tf.where(source_mask[:, None, :], tf.math.log(clipped), 0.0)
    return beta * tf.reduce_sum(log_coverage, axis=-1)  # (batch, beam)


class _Beam(NamedTuple):
    """The loop variables of a search: ``beam`` slots per sentence (1 for greedy)."""

    inputs: tf.Tensor  # (batch, beam) int32 token fed to the next step
    log_probs: tf.Tensor  # (batch, beam) float32 total log-probability so far
    finished: tf.Tensor  # (batch, beam) bool
    scores: tf.Tensor  # (batch, beam) float32 final score, -inf until finished
    lengths: tf.Tensor  # (batch, beam) int32 output tokens so far (eos excluded)
    tokens: tf.Tensor  # (batch, beam, steps) int32 output tokens, 0-padded
    attention: tf.Tensor  # (batch, beam, steps, src_len) float32 row per output token
    coverage: tf.Tensor  # (batch, beam, src_len) float32 attention summed over steps
    model_state: State  # nested, each (batch * beam, ...)


def greedy_search(
    step_fn: StepFn,
    initial_state: State,
    source_mask: tf.Tensor,
    *,
    bos_id: int = BOS_ID,
    eos_id: int = EOS_ID,
    max_length_ratio: float = 1.5,
    max_length_offset: int = 10,
    max_length: int = 200,
    compact: bool = True,
) -> SearchResult:
    """Decodes a batch by taking the most probable token at every step.

    A sentence stops at eos (or at its maximum length); the loop ends when every
    sentence has stopped. Identical, token for token, to :func:`beam_search` with
    ``beam_size=1``, and cheaper.

    Args:
        step_fn: The step function (see the module docstring).
        initial_state: Nested tensors with leading dimension ``batch``.
        source_mask: ``(batch, src_len)`` bool, True on real source tokens.
        bos_id: Token fed at the first step.
        eos_id: Token that ends a hypothesis.
        max_length_ratio: See :func:`max_output_lengths`.
        max_length_offset: See :func:`max_output_lengths`.
        max_length: See :func:`max_output_lengths`.
        compact: Step only the sentences still decoding (see the module
            docstring); the result is the same either way.

    Returns:
        A :class:`SearchResult` with ``n_best = 1``; scores are the sum of the
        log-probabilities of the chosen tokens, eos included.
    """
    _check_length_options(max_length_ratio, max_length)
    source_mask = tf.convert_to_tensor(source_mask, tf.bool)
    max_lens = max_output_lengths(
        source_mask, max_length_ratio=max_length_ratio,
        max_length_offset=max_length_offset, max_length=max_length,
    )  # (batch,)
    beam = _initial_beam(initial_state, source_mask, max_lens, 1, bos_id)
    steps = tf.shape(beam.tokens)[2]

    def cond(t: tf.Tensor, beam: _Beam) -> tf.Tensor:
        return (t < steps) & ~tf.reduce_all(beam.finished)

    def body(t: tf.Tensor, beam: _Beam) -> tuple[tf.Tensor, _Beam]:
        live = ~beam.finished  # (batch, 1)
        log_probs, model_state, attention = _step_live(
            step_fn, beam.inputs[:, 0], beam.model_state, live[:, 0], compact
        )  # (batch, vocab), ..., (batch, src_len)
        log_probs = _forbid_pad_and_bos(log_probs, bos_id)  # (batch, vocab)
        # top_k rather than argmax: documented tie-breaking (lowest id), as in beam search.
        best_log_prob, token = tf.math.top_k(log_probs, k=1)  # (batch, 1)
        attention = tf.cast(attention, tf.float32)[:, None, :]  # (batch, 1, src_len)
        total = beam.log_probs + tf.where(live, best_log_prob, 0.0)  # (batch, 1)
        return t + 1, _advance(beam, t, live, token, total, attention, model_state,
                               max_lens, source_mask, eos_id, alpha=0.0, beta=0.0)

    _, beam = tf.while_loop(
        cond, body, (tf.constant(0), beam),
        shape_invariants=_shape_invariants((tf.constant(0), beam)),
    )
    return _collect(beam, n_best=1)


def beam_search(
    step_fn: StepFn,
    initial_state: State,
    source_mask: tf.Tensor,
    *,
    beam_size: int = 5,
    length_penalty: float = 1.0,
    coverage_penalty: float = 0.0,
    n_best: int = 1,
    bos_id: int = BOS_ID,
    eos_id: int = EOS_ID,
    max_length_ratio: float = 1.5,
    max_length_offset: int = 10,
    max_length: int = 200,
    compact: bool = True,
) -> SearchResult:
    """Decodes a batch with beam search and GNMT length and coverage penalties.

    The algorithm, the score and the early-stopping rule are described in the
    module docstring.

    Args:
        step_fn: The step function (see the module docstring).
        initial_state: Nested tensors with leading dimension ``batch``; repeated
            ``beam_size`` times.
        source_mask: ``(batch, src_len)`` bool, True on real source tokens.
        beam_size: Slots per sentence.
        length_penalty: GNMT ``alpha >= 0``; 0 ranks by log-probability alone.
        coverage_penalty: GNMT ``beta >= 0``; 0 disables it.
        n_best: Hypotheses returned per sentence, ``1 <= n_best <= beam_size``.
        bos_id: Token fed at the first step.
        eos_id: Token that ends a hypothesis.
        max_length_ratio: See :func:`max_output_lengths`.
        max_length_offset: See :func:`max_output_lengths`.
        max_length: See :func:`max_output_lengths`.
        compact: Step only the open hypotheses of sentences not yet done (see
            the module docstring); the result is the same either way.

    Returns:
        A :class:`SearchResult` whose ``n_best`` hypotheses per sentence are sorted
        by score, best first.

    Raises:
        ValueError: If an option is out of range.
    """
    _check_beam_options(beam_size, n_best, length_penalty, coverage_penalty)
    _check_length_options(max_length_ratio, max_length)
    alpha, beta = float(length_penalty), float(coverage_penalty)

    source_mask = tf.convert_to_tensor(source_mask, tf.bool)
    batch = tf.shape(source_mask)[0]
    max_lens = max_output_lengths(
        source_mask, max_length_ratio=max_length_ratio,
        max_length_offset=max_length_offset, max_length=max_length,
    )  # (batch,)
    beam = _initial_beam(initial_state, source_mask, max_lens, beam_size, bos_id, alpha, beta)
    steps = tf.shape(beam.tokens)[2]
    slots = tf.range(beam_size)  # (beam,)
    # Offsets turning (batch, beam) slot indices into rows of the flat state.
    row_offsets = (tf.range(batch) * beam_size)[:, None]  # (batch, 1)
    best_possible_lp = gnmt_length_penalty(max_lens, alpha)  # (batch,)

    def sentence_done(beam: _Beam) -> tf.Tensor:
        """``(batch,)`` True where no open hypothesis can beat the n_best-th finished."""
        finished_scores = tf.where(beam.finished, beam.scores, _NEG_INF)  # (batch, beam)
        needed = tf.math.top_k(finished_scores, k=n_best).values[:, -1]  # (batch,)
        open_log_probs = tf.where(beam.finished, _NEG_INF, beam.log_probs)  # (batch, beam)
        best_open = tf.reduce_max(open_log_probs, axis=1) / best_possible_lp  # (batch,)
        return best_open <= needed

    def cond(t: tf.Tensor, beam: _Beam) -> tf.Tensor:
        return (t < steps) & ~tf.reduce_all(sentence_done(beam))

    def body(t: tf.Tensor, beam: _Beam) -> tuple[tf.Tensor, _Beam]:
        live = ~beam.finished & ~sentence_done(beam)[:, None]  # (batch, beam)
        # A slot still at -inf (the first step's copies of slot 0) has no extension
        # worth a row: its candidates stay -inf whatever the step returns.
        stepped = live & (beam.log_probs > _NEG_INF)  # (batch, beam)
        log_probs, model_state, attention = _step_live(
            step_fn, tf.reshape(beam.inputs, [-1]), beam.model_state, tf.reshape(stepped, [-1]), compact
        )  # (batch * beam, vocab), ..., (batch * beam, src_len)
        log_probs = _forbid_pad_and_bos(log_probs, bos_id)  # (batch * beam, vocab)
        vocab = tf.shape(log_probs)[-1]
        log_probs = tf.reshape(log_probs, [batch, beam_size, vocab])
        attention = tf.reshape(tf.cast(attention, tf.float32), [batch, beam_size, -1])

        # Every extension of every live hypothesis, by total log-probability.
        candidates = tf.where(
            live[:, :, None], beam.log_probs[:, :, None] + log_probs, _NEG_INF
        )  # (batch, beam, vocab)
        best_totals, best_ids = tf.math.top_k(
            tf.reshape(candidates, [batch, beam_size * vocab]), k=beam_size
        )  # (batch, beam) each, best first
        # The j-th live slot (in slot order) takes the j-th best extension; finished
        # and dropped slots keep their own hypothesis (parent = itself, no new token).
        rank = tf.cumsum(tf.cast(live, tf.int32), axis=1, exclusive=True)  # (batch, beam)
        chosen_ids = tf.gather(best_ids, rank, batch_dims=1)  # (batch, beam)
        parents = tf.where(live, chosen_ids // vocab, slots[None, :])  # (batch, beam)
        tokens = tf.where(live, chosen_ids % vocab, PAD_ID)  # (batch, beam)
        totals = tf.where(live, tf.gather(best_totals, rank, batch_dims=1), beam.log_probs)

        # Reorder everything by parent slot; the step's attention is the parent's.
        flat_parents = tf.reshape(parents + row_offsets, [-1])  # (batch * beam,)
        model_state = tf.nest.map_structure(lambda s: tf.gather(s, flat_parents), model_state)
        attention = tf.gather(attention, parents, batch_dims=1)  # (batch, beam, src_len)
        beam = beam._replace(
            lengths=tf.gather(beam.lengths, parents, batch_dims=1),
            tokens=tf.gather(beam.tokens, parents, batch_dims=1),
            attention=tf.gather(beam.attention, parents, batch_dims=1),
            coverage=tf.gather(beam.coverage, parents, batch_dims=1),
        )
        return t + 1, _advance(beam, t, live, tokens, totals, attention, model_state,
                               max_lens, source_mask, eos_id, alpha, beta)

    _, beam = tf.while_loop(
        cond, body, (tf.constant(0), beam),
        shape_invariants=_shape_invariants((tf.constant(0), beam)),
    )
    return _collect(beam, n_best)


def compile_search(
    initial_state_fn: Callable[[tf.Tensor], State],
    step_fn: StepFn,
    *,
    beam_size: int = 1,
    length_penalty: float = 1.0,
    coverage_penalty: float = 0.0,
    n_best: int = 1,
    pad_id: int = PAD_ID,
    bos_id: int = BOS_ID,
    eos_id: int = EOS_ID,
    max_length_ratio: float = 1.5,
    max_length_offset: int = 10,
    max_length: int = 200,
    compact: bool = True,
) -> Callable[[tf.Tensor], SearchResult]:
    """Wraps encoding and search in one ``tf.function`` traced once for all shapes.

    Args:
        initial_state_fn: ``(batch, src_len)`` int32 source ids -> initial state,
            e.g. ``model.encode``.
        step_fn: The step function, e.g. ``make_step_fn(model)``.
        beam_size: 1 runs :func:`greedy_search` (then ``n_best`` must be 1 and the
            penalties only matter to beam search), more runs :func:`beam_search`.
        length_penalty: GNMT ``alpha`` for beam search.
        coverage_penalty: GNMT ``beta`` for beam search.
        n_best: Hypotheses per sentence.
        pad_id: Source padding id; the source mask is ``source != pad_id``.
        bos_id: Token fed at the first step.
        eos_id: Token that ends a hypothesis.
        max_length_ratio: See :func:`max_output_lengths`.
        max_length_offset: See :func:`max_output_lengths`.
        max_length: See :func:`max_output_lengths`.
        compact: Step only the hypotheses still growing (see the module docstring).

    Returns:
        A ``tf.function`` with input signature ``(None, None) int32`` mapping
        source ids to a :class:`SearchResult`; any batch size and source length
        reuse the same graph.
    """
    _check_length_options(max_length_ratio, max_length)
    common = dict(max_length_ratio=max_length_ratio, max_length_offset=max_length_offset,
                  max_length=max_length, bos_id=bos_id, eos_id=eos_id, compact=compact)
    if beam_size == 1:
        if n_best != 1:
            raise ValueError(f"n_best must be 1 for greedy search (beam_size=1), got {n_best!r}")

        def search(state: State, source_mask: tf.Tensor) -> SearchResult:
            return greedy_search(step_fn, state, source_mask, **common)
    else:
        _check_beam_options(beam_size, n_best, length_penalty, coverage_penalty)
        beam_options = dict(beam_size=beam_size, length_penalty=length_penalty,
                            coverage_penalty=coverage_penalty, n_best=n_best, **common)

        def search(state: State, source_mask: tf.Tensor) -> SearchResult:
            return beam_search(step_fn, state, source_mask, **beam_options)

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.int32, name="source")])
    def translate(source: tf.Tensor) -> SearchResult:
        return search(initial_state_fn(source), tf.not_equal(source, pad_id))

    return translate


# --------------------------------------------------------------------------- helpers


def _check_beam_options(
    beam_size: int, n_best: int, length_penalty: float, coverage_penalty: float
) -> None:
    if not isinstance(beam_size, int) or beam_size < 1:
        raise ValueError(f"beam_size must be a positive int, got {beam_size!r}")
    if not isinstance(n_best, int) or not 1 <= n_best <= beam_size:
        raise ValueError(f"n_best must be an int in [1, beam_size={beam_size}], got {n_best!r}")
    if not length_penalty >= 0:
        raise ValueError(f"length_penalty must be >= 0, got {length_penalty!r}")
    if not coverage_penalty >= 0:
        raise ValueError(f"coverage_penalty must be >= 0, got {coverage_penalty!r}")


def _check_length_options(max_length_ratio: float, max_length: int) -> None:
    if not max_length_ratio >= 0:
        raise ValueError(f"max_length_ratio must be >= 0, got {max_length_ratio!r}")
    if not isinstance(max_length, int) or max_length < 0:
        raise ValueError(f"max_length must be an int >= 0, got {max_length!r}")


def _step_live(
    step_fn: StepFn, tokens: tf.Tensor, state: State, live: tf.Tensor, compact: bool
) -> tuple[tf.Tensor, State, tf.Tensor]:
    """Runs ``step_fn`` on the ``live`` rows, or on all rows if not ``compact``.

    Args:
        step_fn: The step function.
        tokens: ``(n,)`` int32 previous tokens.
        state: Nested, each ``(n, ...)``.
        live: ``(n,)`` bool, the hypotheses that grow this step.
        compact: Gather the live rows, step them, scatter the results back.

    Returns:
        ``log_probs (n, vocab)``, the state and ``attention (n, src_len)``. Rows
        that are not live hold zero log-probabilities and attention and keep
        their state; the searches mask them out.
    """
    if not compact:
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


def _forbid_pad_and_bos(log_probs: tf.Tensor, bos_id: int) -> tf.Tensor:
    """Float32 ``log_probs (n, vocab)`` with pad and bos set to ``-inf``: never output.

    Not renormalized: the other tokens keep the model's log-probabilities.
    """
    vocab = tf.shape(log_probs)[-1]
    forbidden = (tf.range(vocab) == PAD_ID) | (tf.range(vocab) == bos_id)  # (vocab,)
    return tf.where(forbidden[None, :], _NEG_INF, tf.cast(log_probs, tf.float32))


def _final_scores(
    log_probs: tf.Tensor,
    length: tf.Tensor,
    coverage: tf.Tensor,
    source_mask: tf.Tensor,
    alpha: float,
    beta: float,
) -> tf.Tensor:
    """GNMT score ``log_probs / lp(length) + cp(coverage)``, ``(batch, beam)``."""
    return log_probs / gnmt_length_penalty(length, alpha) + gnmt_coverage_penalty(
        coverage, source_mask, beta
    )


def _initial_beam(
    initial_state: State,
    source_mask: tf.Tensor,
    max_lens: tf.Tensor,
    beam_size: int,
    bos_id: int,
    alpha: float = 0.0,
    beta: float = 0.0,
) -> _Beam:
    """The loop variables before the first step; buffers hold ``max(max_lens)`` steps."""
    batch = tf.shape(source_mask)[0]
    src_len = tf.shape(source_mask)[1]
    steps = tf.maximum(tf.reduce_max(max_lens), 0)  # reduce_max of no sentences is INT_MIN
    slot_is_first = tf.range(beam_size)[None, :] == 0  # (1, beam)
    # Only slot 0 is live at first: the others would duplicate its hypotheses.
    log_probs = tf.where(slot_is_first, 0.0, _NEG_INF) + tf.zeros([batch, 1])  # (batch, beam)
    coverage = tf.zeros([batch, beam_size, src_len])
    # A sentence allowed 0 steps gets the empty hypothesis, finished at once.
    finished = slot_is_first & (max_lens <= 0)[:, None]  # (batch, beam)
    empty_scores = _final_scores(log_probs, 0, coverage, source_mask, alpha, beta)
    model_state = repeat_beams(initial_state, beam_size)  # each (batch * beam, ...)
    return _Beam(
        inputs=tf.fill([batch, beam_size], bos_id),
        log_probs=log_probs,
        finished=finished,
        scores=tf.where(finished, empty_scores, _NEG_INF),
        lengths=tf.zeros([batch, beam_size], tf.int32),
        tokens=tf.zeros([batch, beam_size, steps], tf.int32),
        attention=tf.zeros([batch, beam_size, steps, src_len]),
        coverage=coverage,
        model_state=model_state,
    )


def _advance(
    beam: _Beam,
    t: tf.Tensor,
    live: tf.Tensor,
    tokens: tf.Tensor,
    totals: tf.Tensor,
    attention: tf.Tensor,
    model_state: State,
    max_lens: tf.Tensor,
    source_mask: tf.Tensor,
    eos_id: int,
    alpha: float,
    beta: float,
) -> _Beam:
    """Appends step ``t``'s chosen tokens to the live hypotheses, finishing some.

    Shared by both searches; ``beam`` is already reordered by parent.

    Args:
        beam: The hypotheses before step ``t``, each slot holding its parent.
        t: Scalar int32 step index (0-based).
        live: ``(batch, beam)`` bool, the slots that grow this step.
        tokens: ``(batch, beam)`` int32 token chosen for each slot.
        totals: ``(batch, beam)`` float32 total log-probability after the token.
        attention: ``(batch, beam, src_len)`` attention of the step producing it.
        model_state: Nested, each ``(batch * beam, ...)``, after the step.
        max_lens: ``(batch,)`` int32 step limit per sentence.
        source_mask: ``(batch, src_len)`` bool.
        eos_id: The end token.
        alpha: GNMT length penalty strength.
        beta: GNMT coverage penalty strength.
    """
    ends = live & tf.equal(tokens, eos_id)  # (batch, beam)
    grows = live & ~ends  # (batch, beam) a word is appended
    coverage = beam.coverage + tf.where(live[:, :, None], attention, 0.0)  # (batch, beam, src_len)
    at_limit = (t + 1 >= max_lens)[:, None]  # (batch, 1)
    newly_finished = live & (ends | at_limit)  # (batch, beam)
    # Either way the hypothesis now has t + 1 generated tokens (eos included).
    new_scores = _final_scores(totals, t + 1, coverage, source_mask, alpha, beta)
    return _Beam(
        inputs=tf.where(grows, tokens, eos_id),
        log_probs=totals,
        finished=beam.finished | newly_finished,
        scores=tf.where(newly_finished, new_scores, beam.scores),
        lengths=beam.lengths + tf.cast(grows, tf.int32),
        tokens=_write_step(beam.tokens, t, tf.where(grows, tokens, PAD_ID)),
        attention=_write_step(beam.attention, t, tf.where(grows[:, :, None], attention, 0.0)),
        coverage=coverage,
        model_state=model_state,
    )


def _write_step(buffer: tf.Tensor, t: tf.Tensor, values: tf.Tensor) -> tf.Tensor:
    """Writes ``values (batch, beam, ...)`` at step ``t`` of ``buffer (batch, beam, steps, ...)``.

    A masked select rather than a scatter: cheap at these sizes and shape-stable.
    """
    at_t = tf.equal(tf.range(tf.shape(buffer)[2]), t)  # (steps,)
    at_t = tf.reshape(at_t, [1, 1, -1] + [1] * (buffer.shape.rank - 3))
    return tf.where(at_t, tf.expand_dims(values, 2), buffer)


def _collect(beam: _Beam, n_best: int) -> SearchResult:
    """Ranks the finished hypotheses and trims the buffers to the longest output."""
    finished_scores = tf.where(beam.finished, beam.scores, _NEG_INF)  # (batch, beam)
    scores, order = tf.math.top_k(finished_scores, k=n_best)  # (batch, n_best), best first
    lengths = tf.where(scores > _NEG_INF, tf.gather(beam.lengths, order, batch_dims=1), 0)
    out_len = tf.maximum(tf.reduce_max(lengths), 0)
    positions = tf.range(out_len)  # (out_len,)
    tokens = tf.gather(beam.tokens, order, batch_dims=1)[:, :, :out_len]
    tokens = tf.where(positions < lengths[:, :, None], tokens, PAD_ID)  # (batch, n_best, out_len)
    attention = tf.gather(beam.attention, order[:, 0], batch_dims=1)[:, :out_len]
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

