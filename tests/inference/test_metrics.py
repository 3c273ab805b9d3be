"""Tests of the corpus scores (:func:`translate.inference.metrics.score`): BLEU, chrF, TER."""

import pytest
import sacrebleu

from translate import TranslateError
from translate.inference.metrics import score

HYPOTHESES = ["A man rides a bike in the park.", "Two dogs play in snow.", "A woman reads."]
REFERENCES = ["A man rides a bike in the park.", "Two dogs are playing in the snow.", "A girl."]


def test_bleu_and_chrf_are_sacrebleus_with_their_signatures():
    report = score(HYPOTHESES, REFERENCES)
    bleu = sacrebleu.metrics.BLEU(tokenize="13a")
    chrf = sacrebleu.metrics.CHRF()
    expected_bleu = bleu.corpus_score(HYPOTHESES, [REFERENCES])
    expected_chrf = chrf.corpus_score(HYPOTHESES, [REFERENCES])
    assert report["bleu"] == round(expected_bleu.score, 2)
    assert report["chrf"] == round(expected_chrf.score, 2)
    assert 0 < report["bleu"] < 100 and 0 < report["chrf"] < 100  # neither end of the scale
    assert report["bleu_detail"] == str(expected_bleu)
    assert report["signature"] == {
        "bleu": str(bleu.get_signature()),
        "chrf": str(chrf.get_signature()),
    }
    assert "tok:13a" in report["signature"]["bleu"] and "case:mixed" in report["signature"]["bleu"]
    assert report["sentences"] == 3


def test_identical_text_scores_100_and_case_counts():
    assert score(REFERENCES, REFERENCES)["bleu"] == 100.0
    assert score(REFERENCES, REFERENCES)["chrf"] == 100.0
    assert score([r.upper() for r in REFERENCES], REFERENCES)["bleu"] < 100.0


def test_different_line_counts_are_a_translate_error():
    with pytest.raises(TranslateError, match="cannot score 2 hypotheses against 3 references"):
        score(HYPOTHESES[:2], REFERENCES)


def test_ter_is_sacrebleus_with_its_signature_when_asked():
    report = score(HYPOTHESES, REFERENCES, with_ter=True)
    ter = sacrebleu.metrics.TER()
    expected = ter.corpus_score(HYPOTHESES, [REFERENCES])
    assert report["ter"] == round(expected.score, 2)
    assert 0 < report["ter"] < 100  # neither end of the scale
    assert report["signature"]["ter"] == str(ter.get_signature())
    assert "tok:tercom" in report["signature"]["ter"]
    assert score(REFERENCES, REFERENCES, with_ter=True)["ter"] == 0.0
    assert "ter" not in score(HYPOTHESES, REFERENCES)  # the training's dev scores skip it
