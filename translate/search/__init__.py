"""Search: one loop over one step function, with greedy and beam search as strategies.

A reader's path through the package:

* :mod:`~translate.search.step`: the step function, the one thing search asks
  of a model (shapes documented there), and :func:`make_step_fn`, which builds
  it from a model's ``decode_step``. Nothing here imports the model.
* :mod:`~translate.search.loop`: :func:`decode`, the single ``tf.while_loop``
  over output positions. It steps only the hypotheses still growing and does
  the bookkeeping every strategy shares (lengths, eos, reordering, attention).
* :mod:`~translate.search.strategies`: which tokens extend which hypotheses:
  :class:`GreedySearch` and :class:`BeamSearch` (the exact algorithm and its
  early-stopping bound are written out there).
* :mod:`~translate.search.penalties`: output length limits and the GNMT length
  and coverage penalties.
* :mod:`~translate.search.sampling`: the random stream of :class:`RandomSampling`, top-k sampling
  with a temperature, another strategy of the same loop.

An ensemble is a step function too: :func:`ensemble_step_fn` averages the
members' next-token probabilities, and :func:`make_search` builds it when given
a list of models.

:func:`make_search` is the one dispatcher from a model and a
:class:`~translate.config.schema.DecodingConfig` to a search; the Translator, the
SavedModel export and the tests all go through it.

Example:
    >>> search = make_search(model, DecodingConfig(beam_size=5))
    >>> result = search(source)                        # (batch, src_len) ids
    >>> result.tokens[:, 0]                            # (batch, out_len) best
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import tensorflow as tf

from translate.config.schema import DecodingConfig
from translate.data.tokenizer import PAD_ID
from translate.search.loop import SearchResult, decode
from translate.search.penalties import (
    gnmt_coverage_penalty,
    gnmt_length_penalty,
    gnmt_score,
    max_output_lengths,
)
from translate.search.step import (
    State,
    StepFn,
    average_log_probs,
    ensemble_step_fn,
    make_step_fn,
    repeat_beams,
)
from translate.search.strategies import (
    BeamSearch,
    GreedySearch,
    RandomSampling,
    Strategy,
    strategy_for,
)

__all__ = [
    "BeamSearch",
    "GreedySearch",
    "RandomSampling",
    "SearchResult",
    "State",
    "StepFn",
    "Strategy",
    "average_log_probs",
    "decode",
    "ensemble_step_fn",
    "gnmt_coverage_penalty",
    "gnmt_length_penalty",
    "gnmt_score",
    "make_search",
    "make_step_fn",
    "max_output_lengths",
    "repeat_beams",
    "strategy_for",
]


def make_search(
    model: Any, settings: DecodingConfig, *, max_length: int = 200
) -> Callable[..., SearchResult]:
    """The search ``settings`` ask for, over ``model``: source ids in, hypotheses out.

    Random sampling when ``settings.sampling_topk`` is set, else greedy search
    for a beam of 1 and beam search otherwise
    (:func:`~translate.search.strategies.strategy_for`); the encoder memory is
    kept out of the reordered state (:func:`make_step_fn` ``constants``).

    Args:
        model: Anything with ``encode(source) -> state``, ``split_state(state) ->
            (recurrent, constants)`` and ``decode_step``, e.g.
            :class:`translate.model.seq2seq.Seq2Seq`; or a list or tuple of
            them, an ensemble that shares the source and target vocabularies,
            searched with :func:`ensemble_step_fn` (even a list of one).
        settings: Checked decoding settings: beam size, n-best, penalties,
            sampling and the length limit (``max_length_ratio``,
            ``max_length_offset``).
        max_length: Absolute cap on output tokens.

    Returns:
        A function mapping ``(batch, src_len)`` int32 source ids (0-padded), and
        optionally ``lines``, the ``(batch,)`` line index of each sentence that
        keys random sampling (default ``0, 1, ...``), to a :class:`SearchResult`.
        It runs eagerly or inside a ``tf.function``; with input signature
        ``(None, None)`` one trace serves every shape.
    """
    base_strategy = strategy_for(settings)
    members = list(model) if isinstance(model, Sequence) else None

    def search(source: tf.Tensor, lines: tf.Tensor | None = None) -> SearchResult:
        strategy = base_strategy
        if isinstance(strategy, RandomSampling):
            strategy = strategy.for_lines(lines)
        source_mask = tf.not_equal(source, PAD_ID)  # (batch, src_len)
        if members is None:
            state, constants = model.split_state(model.encode(source))
            step_fn = make_step_fn(model, repeat_beams(constants, strategy.width))
        else:
            split = [member.split_state(member.encode(source)) for member in members]
            state = tuple(recurrent for recurrent, _ in split)
            step_fn = ensemble_step_fn(
                [
                    make_step_fn(member, repeat_beams(constants, strategy.width))
                    for member, (_, constants) in zip(members, split, strict=True)
                ]
            )
        max_lens = max_output_lengths(
            source_mask,
            max_length_ratio=settings.max_length_ratio,
            max_length_offset=settings.max_length_offset,
            max_length=max_length,
        )  # (batch,)
        return decode(step_fn, state, source_mask, strategy, max_lens)

    return search
