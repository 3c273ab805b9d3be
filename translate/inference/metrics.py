"""Corpus BLEU and chrF through sacreBLEU, with their signatures."""

from __future__ import annotations

from collections.abc import Sequence

import sacrebleu

from translate import TranslateError


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
    bleu = sacrebleu.metrics.BLEU(tokenize="13a")
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
