"""The step function: the one thing search asks of a model.

::

    step_fn(tokens, state, rows) -> (log_probs, state, attention)

    tokens     (m,) int32            the previous token of each hypothesis
    state      nested tensors        every tensor has leading dimension m
    rows       (m,) int32 or None    where these hypotheses sit among the n rows
    log_probs  (m, vocab) float32    log-softmaxed scores of the next token
    attention  (m, src_len) float32  attention over the source for this step

The search loop (:mod:`translate.search.loop`) calls it on the ``m`` of its
``n`` rows that are still growing. :func:`make_step_fn` builds one from a
model's ``decode_step``; this module imports nothing from the model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import tensorflow as tf

#: A nested structure (dict, tuple, ...) of tensors, each with leading dimension ``n``.
State = Any
#: ``step_fn(tokens (m,), state, rows (m,) | None)
#: -> (log_probs (m, vocab), state, attention (m, src_len))``.
StepFn = Callable[[tf.Tensor, State, "tf.Tensor | None"], tuple[tf.Tensor, State, tf.Tensor]]


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
            shared = (
                constants
                if rows is None
                else {key: tf.gather(value, rows) for key, value in constants.items()}
            )  # each (m, ...)
            full_state = {**state, **shared}
        else:
            full_state = state
        # (m, vocab), ..., (m, src_len)
        logits, state, attention = model.decode_step(tokens, full_state)
        if constants:
            state = {key: value for key, value in state.items() if key not in constants}
        log_probs = tf.nn.log_softmax(tf.cast(logits, tf.float32), axis=-1)  # (m, vocab)
        return log_probs, state, tf.cast(attention, tf.float32)

    return step_fn


def average_log_probs(member_log_probs: Sequence[tf.Tensor]) -> tf.Tensor:
    """The log of the members' averaged probabilities: ``logsumexp_i(log p_i) - log M``.

    How an ensemble combines its ``M`` members, in search (:func:`ensemble_step_fn`)
    and in forced decoding (:class:`translate.inference.scoring.Scorer`), as in
    fairseq. One member's log-probabilities are returned as they are.

    Args:
        member_log_probs: ``M`` float32 tensors of one shape, e.g. ``(m, vocab)``.

    Returns:
        A tensor of that shape.
    """
    if len(member_log_probs) == 1:
        return member_log_probs[0]
    stacked = tf.stack(list(member_log_probs))  # (M, ...)
    return tf.reduce_logsumexp(stacked, axis=0) - math.log(len(member_log_probs))


def ensemble_step_fn(step_fns: Sequence[StepFn]) -> StepFn:
    """One step function over several models: their next-token probabilities averaged.

    ``log p(y) = logsumexp_i(log p_i(y)) - log M`` over the ``M`` members, as in
    fairseq's ensembles; the attention is the members' average (they read the
    same source ids). The state is a tuple of the members' states, so the loop
    carries and reorders every member's state as one nested structure.

    Args:
        step_fns: The members' step functions (e.g. :func:`make_step_fn` of
            each model). The models may differ in architecture; they must share
            the target vocabulary, or averaging their distributions is meaningless.

    Returns:
        A step function over ``tuple(member states)``.
    """
    step_fns = tuple(step_fns)

    def step_fn(
        tokens: tf.Tensor, state: State, rows: tf.Tensor | None = None
    ) -> tuple[tf.Tensor, State, tf.Tensor]:
        outputs = [fn(tokens, member, rows) for fn, member in zip(step_fns, state, strict=True)]
        log_probs = average_log_probs([log_probs for log_probs, _, _ in outputs])  # (m, vocab)
        attention = tf.add_n([att for _, _, att in outputs]) / len(step_fns)  # (m, src_len)
        return log_probs, tuple(member for _, member, _ in outputs), attention

    return step_fn


def repeat_beams(state: State, width: int) -> State:
    """Repeats every row ``width`` times: the layout of a search's state.

    Args:
        state: Nested tensors with leading dimension ``batch``.
        width: Hypotheses per sentence (1 leaves the tensors as they are).

    Returns:
        The same structure, each tensor ``(batch * width, ...)`` with the rows of
        a sentence adjacent.
    """
    return tf.nest.map_structure(lambda s: tf.repeat(tf.convert_to_tensor(s), width, axis=0), state)
