"""Corpus BLEU, chrF and TER through sacreBLEU, with their signatures."""

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


def score(hypotheses: Sequence[str], references: Sequence[str], with_ter: bool = False) -> dict:
    """Scores detokenized hypotheses against raw references (cased, 13a tokenization).

    Args:
        hypotheses: One translation per line.
        references: One reference per line, in the same order.
        with_ter: Also compute TER (``evaluate`` does; the training's dev scores
            leave it out, as its edit-distance search is the slowest of the three).

    Returns:
        ``{"bleu": float, "chrf": float, "bleu_detail": str, "signature": {"bleu": str,
        "chrf": str}, "sentences": int}``; with ``with_ter`` also ``"ter"`` and
        ``signature["ter"]``: sacreBLEU's default TER (case-insensitive, ``tercom``
        tokenization), edits per reference word in percent, so lower is better.

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
    report = {
        "bleu": round(bleu_score.score, 2),
        "chrf": round(chrf_score.score, 2),
        "bleu_detail": str(bleu_score),
        "signature": {
            "bleu": str(bleu.get_signature()),
            "chrf": str(chrf.get_signature()),
        },
        "sentences": len(hypotheses),
    }
    if with_ter:
        ter = sacrebleu.metrics.TER()
        report["ter"] = round(ter.corpus_score(list(hypotheses), refs).score, 2)
        report["signature"]["ter"] = str(ter.get_signature())
    return report
