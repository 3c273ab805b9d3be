"""Checks of config keys that must agree with each other.

Each key's own type and range are checked as it is read
(:mod:`translate.config.checks`); what is checked here are combinations: the
n-best list within the beam, sampling without a beam, a token batch that holds
the longest kept pair, one embedding only over one joint vocabulary, and
subword sampling only from a unigram model. Every error names the keys and
where they were set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from translate import TranslateError


def check_n_best(beam_size: int, n_best: int, where: str) -> None:
    """Checks ``n_best <= beam_size`` (both already checked to be > 0).

    Raises:
        TranslateError: Naming both keys.
    """
    if n_best > beam_size:
        raise TranslateError(
            f"{where}: n-best (decoding.n_best) must be between 1 and the beam size "
            f"(decoding.beam_size = {beam_size}), got {n_best}"
        )


def check_sampling(sampling_topk: int | None, beam_size: int, n_best: int, where: str) -> None:
    """Checks that sampling (``sampling_topk`` not None) comes with a beam and n-best of 1.

    Raises:
        TranslateError: Naming the keys that do not combine.
    """
    if sampling_topk is not None and (beam_size > 1 or n_best > 1):
        raise TranslateError(
            f"{where}: random sampling (decoding.sampling_topk = {sampling_topk}) keeps one "
            f"hypothesis and does not combine with beam search or n-best (decoding.beam_size "
            f"= {beam_size}, decoding.n_best = {n_best}); set both to 1"
        )


def check_decoding(decoding: Any, where_of: Callable[[str], str]) -> None:
    """Checks the decoding keys that must agree: n-best within the beam, sampling alone.

    Args:
        decoding: A :class:`~translate.config.schema.DecodingConfig`.
        where_of: Where a key was set (``"FILE, line N"``, ``"--set ..."``), by its dotted name.

    Raises:
        TranslateError: From :func:`check_n_best` or :func:`check_sampling`.
    """
    check_n_best(decoding.beam_size, decoding.n_best, where_of("decoding.n_best"))
    check_sampling(
        decoding.sampling_topk,
        decoding.beam_size,
        decoding.n_best,
        where_of("decoding.sampling_topk"),
    )


def check_batch_tokens(batch_tokens: int, max_length: int, where: str) -> None:
    """Checks that a token batch holds the longest pair the length filter keeps.

    A kept pair has up to ``max_length`` subwords on each side, so up to
    ``2 * max_length`` source plus target subwords.

    Raises:
        TranslateError: Naming both keys and values.
    """
    if batch_tokens and batch_tokens < 2 * max_length:
        raise TranslateError(
            f"{where}: training.batch_tokens={batch_tokens} is smaller than the longest pair "
            f"training keeps: data.max_length={max_length} subwords per side, "
            f"{2 * max_length} in all; raise training.batch_tokens or lower data.max_length"
        )


def check_shared_embeddings(config: Any, where_of: Callable[[str], str]) -> None:
    """Checks that one embedding is shared between languages only with a joint vocabulary.

    Args:
        config: A :class:`~translate.config.schema.Config`.
        where_of: Where a key was set, by its dotted name.

    Raises:
        TranslateError: Naming ``model.share_embeddings`` and ``data.joint_vocab``.
    """
    if config.model.share_embeddings and not config.data.joint_vocab:
        raise TranslateError(
            f"{where_of('model.share_embeddings')}: model.share_embeddings=true embeds both "
            "languages with one matrix and needs one joint vocabulary, but data.joint_vocab="
            "false; set data.joint_vocab: true or model.share_embeddings: false"
        )


def check_subword_sampling(data: Any, where: str) -> None:
    """Checks that subword sampling comes with a unigram tokenizer to be trained.

    A tokenizer copied from ``data.tokenizer_dir`` is checked when training
    loads it (:meth:`translate.data.tokenizer.SubwordTokenizer.sampling`).

    Args:
        data: A :class:`~translate.config.schema.DataConfig`.
        where: Where ``data.subword_sampling`` was set.

    Raises:
        TranslateError: Naming both keys and values.
    """
    if data.subword_sampling and data.tokenizer_dir is None and data.tokenizer_type != "unigram":
        raise TranslateError(
            f"{where}: data.subword_sampling={data.subword_sampling} samples segmentations "
            f"of a unigram model, but data.tokenizer_type={data.tokenizer_type}; set "
            "data.tokenizer_type: unigram or data.subword_sampling: 0"
        )


def check_combinations(config: Any, where_of: Callable[[str], str]) -> None:
    """Checks the keys of different sections that must agree (decoding's: :func:`check_decoding`).

    Args:
        config: A :class:`~translate.config.schema.Config`.
        where_of: Where a key was set (``"FILE, line N"``, ``"--set ..."``), by its dotted name.
    """
    check_batch_tokens(
        config.training.batch_tokens, config.data.max_length, where_of("training.batch_tokens")
    )
    check_shared_embeddings(config, where_of)
    check_subword_sampling(config.data, where_of("data.subword_sampling"))
