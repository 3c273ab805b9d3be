"""Corpus BLEU and chrF through sacreBLEU, with their signatures."""

from __future__ import annotations

from collections.abc import Sequence

import sacrebleu

from translate import TranslateError


def bleu_metric() -> sacrebleu.metrics.BLEU:
    """The BLEU every figure here is computed with: sacreBLEU corpus BLEU, cased, ``13a``.

    :func:`score` reports it; reranking's weight tuning
    (:func:`translate.inference.reranking.tune_weight`) compares it unrounded.
    """
    return sacrebleu.metrics.BLEU(tokenize="13a")


def score(hypotheses: Sequence[str], references: Sequence[str]) -> dict:
    """Scores detokenized hypotheses against raw references (cased, 13a tokenization).

    Args:
        hypotheses: One translation per line.
        references: One reference per line, in the same order.

    Returns:
        ``{"bleu": float, "chrf": float, "signature": {"bleu": str, "chrf": str},
        "sentences": int}``.

    Raises:
        TranslateError: If the line counts differ.
    """
    if len(hypotheses) != len(references):
        raise TranslateError(
            f"cannot score {len(hypotheses)} hypotheses against {len(references)} references"
        )
    bleu = bleu_metric()
    chrf = sacrebleu.metrics.CHRF()
    refs = [list(references)]
    bleu_score = bleu.corpus_score(list(hypotheses), refs)
    chrf_score = chrf.corpus_score(list(hypotheses), refs)
    return {
        "bleu": round(bleu_score.score, 2),
        "chrf": round(chrf_score.score, 2),
        "bleu_detail": str(bleu_score),
        "signature": {
            "bleu": str(bleu.get_signature()),
            "chrf": str(chrf.get_signature()),
        },
        "sentences": len(hypotheses),
    }
