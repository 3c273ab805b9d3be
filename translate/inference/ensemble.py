"""Ensembles: several trained runs that translate (or score) as one model.

The members' next-token distributions are averaged, ``log p(y) =
logsumexp_i(log p_i(y)) - log M`` (as in fairseq), by the step function
:func:`translate.search.ensemble_step_fn`, so greedy search, beam search,
n-best and sampling work unchanged. The members may differ in architecture
(sizes, layers, attention), but must read and write the same subwords: their
tokenizers (source and target SentencePiece models) must be byte-identical,
which runs trained with a shared tokenizer folder are. The first run's config
gives the default decoding settings.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from translate import TranslateError
from translate.data.tokenizer import SubwordTokenizer


def same_tokenizer(first: SubwordTokenizer, other: SubwordTokenizer) -> bool:
    """Whether two tokenizers map text to the same ids (identical SentencePiece models)."""
    return (first.source_model, first.target_model) == (other.source_model, other.target_model)


def check_shared_tokenizer(run_dirs: Sequence[str], tokenizers: Sequence[SubwordTokenizer]) -> None:
    """Checks that every run's tokenizer equals the first run's.

    Args:
        run_dirs: The runs, in order.
        tokenizers: Their tokenizers.

    Raises:
        TranslateError: Naming the first run and the first run that differs.
    """
    for run_dir, tokenizer in zip(run_dirs[1:], tokenizers[1:], strict=True):
        if not same_tokenizer(tokenizers[0], tokenizer):
            side = "target" if tokenizers[0].target_model != tokenizer.target_model else "source"
            raise TranslateError(
                f"the runs of an ensemble must share one tokenizer, but the {side} "
                f"subwords of {run_dir} differ from those of {run_dirs[0]} (compare their "
                "tokenizer/ folders; train the runs with one shared tokenizer)"
            )


def load_ensemble(run_dirs: Sequence[str | os.PathLike]):
    """Loads trained runs as one :class:`~translate.inference.translator.Translator`.

    Args:
        run_dirs: One or more run directories sharing a tokenizer. One run gives
            an ensemble of one, which translates like the run alone.

    Returns:
        A Translator over all the models (``Translator.members``), with the first
        run's decoding settings and ``Translator.runs`` naming the runs.

    Raises:
        TranslateError: If a folder is not a trained run, a file is damaged, or
            the tokenizers differ.
    """
    from translate.inference.translator import Translator

    if not run_dirs:
        raise TranslateError("an ensemble needs at least one run directory")
    translators = [Translator.load(run_dir) for run_dir in run_dirs]
    runs = [os.fspath(run_dir) for run_dir in run_dirs]
    check_shared_tokenizer(runs, [t.tokenizer for t in translators])
    first = translators[0]
    return Translator(
        first.model,
        first.tokenizer,
        first.decoding,
        members=[t.model for t in translators],
        runs=runs,
    )
