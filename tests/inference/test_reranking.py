"""Tests of noisy-channel reranking (``translate rerank``, :mod:`translate.inference.reranking`).

The choice rule and the weight tuning are tested on hand-made n-best lists
whose answers are known; the whole path on the random-weight run of
``conftest.py`` (de -> en) with a random-weight reverse run (en -> de) that has
its own, different tokenizer.
"""

from __future__ import annotations

import json
import math
import re

import helpers
import pytest

from translate import TranslateError
from translate.cli import commands as cli
from translate.inference.reranking import (
    Candidates,
    Reranker,
    check_reverse_pair,
    combined_scores,
    rerank,
    tune_weight,
)

SOURCES = ["Ein Mann fährt Fahrrad.", "", "Zwei Hunde spielen im Park.", "   "]


def _candidates(*forward_lists) -> list[Candidates]:
    return [
        Candidates(f"source {i}", [f"hypothesis {i}.{k}" for k in range(len(f))], list(f))
        for i, f in enumerate(forward_lists)
    ]


def test_weight_zero_chooses_the_forward_best_whatever_the_reverse_says():
    candidates = _candidates([-0.5, -0.7, -2.0], [-1.0, -1.0], [-0.1])
    reverse = [[-9.0, -0.1, -math.inf], [-5.0, -0.5], [-math.inf]]
    assert rerank(candidates, reverse, 0.0) == [0, 0, 0]


def test_a_large_weight_chooses_the_reverse_best():
    candidates = _candidates([-0.5, -0.7, -2.0], [-1.0, -1.2])
    reverse = [[-3.0, -2.0, -1.0], [-4.0, -1.0]]
    assert rerank(candidates, reverse, 100.0) == [2, 1]
    # In between: f + w * r decides; -0.5 - 3 < -0.7 - 2 > -2.0 - 1 at w = 1.
    assert rerank(candidates, reverse, 1.0) == [1, 1]
    assert combined_scores([-0.5, -0.7], [-3.0, -2.0], 1.0).tolist() == [-3.5, -2.7]


def test_ties_keep_the_forward_order():
    candidates = _candidates([-1.0, -2.0, -3.0])
    assert rerank(candidates, [[-2.0, -1.0, 0.0]], 1.0) == [0]  # all three combine to -3
    assert rerank(_candidates([-1.0, -1.0]), [[-1.0, -1.0]], 0.5) == [0]


def test_bad_weights_and_lists_that_do_not_pair_up_are_errors():
    candidates = _candidates([-1.0, -2.0])
    for weight in (-0.1, math.nan, math.inf):
        with pytest.raises(TranslateError, match="weight must be finite and >= 0"):
            rerank(candidates, [[-1.0, -1.0]], weight)
    with pytest.raises(TranslateError, match="2 hypotheses but 1 reverse scores"):
        rerank(candidates, [[-1.0]], 1.0)
    with pytest.raises(TranslateError, match="1 n-best lists but 2 lists"):
        rerank(candidates, [[-1.0, -1.0]] * 2, 1.0)


def test_tune_weight_finds_the_known_best_weight():
    # Sentences 0 and 1: the forward prefers a wrong hypothesis by 0.25 and the reverse
    # prefers the right one by 1, so w > 0.25 fixes them. Sentence 2: the forward is
    # right by 0.5 and the reverse wrong by 1, so w > 0.5 breaks it. The best grid
    # weights are 0.3 and 0.4; the smaller one is returned.
    right = [
        "a man in a red shirt rides a bike down the street .",
        "two dogs play with a ball in the green park .",
        "children are playing in the snow near a house .",
    ]
    wrong = [
        "a woman walks the dog in a blue coat .",
        "three cats sleep on the old sofa today .",
        "people stand at the bus stop in the rain .",
    ]
    candidates = [
        Candidates("s0", [wrong[0], right[0]], [-1.0, -1.25]),
        Candidates("s1", [wrong[1], right[1]], [-1.0, -1.25]),
        Candidates("s2", [right[2], wrong[2]], [-1.0, -1.5]),
    ]
    reverse = [[-2.0, -1.0], [-2.0, -1.0], [-2.0, -1.0]]
    tuning = tune_weight(candidates, reverse, right)
    assert tuning.weight == 0.3
    assert tuning.bleu[0.3] == tuning.bleu[0.4] == pytest.approx(100.0)
    assert tuning.bleu[0.0] < tuning.bleu[0.3] and tuning.bleu[0.6] < tuning.bleu[0.3]
    assert "13a" in tuning.signature
    # Nothing helps: the smallest weight (plain beam search) wins.
    assert tune_weight(candidates, [[-1.0, -1.0]] * 3, right, [0.0, 1.0, 2.0]).weight == 0.0
    with pytest.raises(TranslateError, match="3 sentences but 2 references"):
        tune_weight(candidates, reverse, right[:2])


@pytest.fixture(scope="module")
def reverse_run(tmp_path_factory) -> str:
    """A random-weight en -> de run whose tokenizer (330 subwords) differs from the forward's."""
    overrides = ("data.src_lang=en", "data.tgt_lang=de", "data.vocab_size=330")
    base = tmp_path_factory.getbasetemp()
    return helpers.make_run(base, "reverse", trained=False, overrides=overrides)["run_dir"]


def test_a_reverse_run_that_is_not_the_swapped_pair_is_one_error(random_run, reverse_run):
    with pytest.raises(TranslateError) as info:
        check_reverse_pair([random_run], random_run)
    message = str(info.value)
    assert (
        message.count(random_run) == 2 and "de-en" in message and "must translate en-de" in message
    )
    with pytest.raises(
        TranslateError, match=re.escape(f"forward run {reverse_run} translates en-de")
    ):
        check_reverse_pair([random_run, reverse_run], reverse_run)
    check_reverse_pair([random_run, random_run], reverse_run)  # the right way round: no error


@pytest.mark.slow
def test_weight_zero_reproduces_beam_search_and_the_reverse_scores_are_its_own(
    random_translator, reverse_run
):
    from translate.inference.scoring import Scorer

    reverse = Scorer.load([reverse_run])
    assert reverse.tokenizer.source_vocab_size != random_translator.tokenizer.target_vocab_size
    reranker = Reranker(random_translator, reverse, weight=0.0, beam_size=3)
    results = list(reranker.rerank_stream(SOURCES))
    beam = random_translator.translate(SOURCES, beam_size=3, n_best=1)
    assert [r.text for r in results] == [t.text for t in beam]
    assert [r.choice for r in results] == [0] * len(SOURCES)
    first = results[0]
    assert len(first.candidates.hypotheses) == 3  # n-best defaults to the beam size
    expected = reverse.score(first.candidates.hypotheses, [SOURCES[0]] * 3)
    assert first.reverse_scores == pytest.approx([s.score for s in expected], abs=1e-5)
    assert results[1].candidates.hypotheses == [""] and results[1].reverse_scores == [0.0]
    # A large weight follows the reverse scores; chunks do not change the result.
    reranker.weight, reranker.chunk_size = 1e6, 1
    heavy = list(reranker.rerank_stream(SOURCES))
    assert heavy[0].choice == max(range(3), key=lambda k: (first.reverse_scores[k], -k))


@pytest.mark.slow
def test_cli_rerank_text_json_tuning_and_errors(random_run, reverse_run, tmp_path, capsys):
    source = helpers.write_lines(tmp_path / "src.de", SOURCES)
    reference = helpers.write_lines(
        tmp_path / "ref.en", ["A man rides a bike.", "", "Two dogs play in the park.", ""]
    )
    argv = ["rerank", "--model", random_run, "--reverse", reverse_run, "-i", source]
    out = tmp_path / "out.en"
    assert cli.main([*argv, "--beam-size", "3", "--weight", "0", "-o", str(out)]) == 0
    assert cli.main(["translate", "--model", random_run, "--beam-size", "3", "-i", source]) == 0
    beam = capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == beam
    assert cli.main([*argv, "--n-best", "2", "--format", "json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["source"] for r in records] == SOURCES
    for record in records:
        assert record["models"] == [random_run] and record["reverse"] == reverse_run
        best = max(c["combined"] for c in record["candidates"])
        assert record["candidates"][record["choice"]]["combined"] == best
        assert record["translation"] == record["candidates"][record["choice"]]["translation"]
        for c in record["candidates"]:
            assert c["combined"] == pytest.approx(c["forward"] + c["reverse"], abs=2e-6)
    assert len(records[0]["candidates"]) == 2
    tuned = tmp_path / "tuned.en"
    assert cli.main([*argv, "--tune-on-reference", reference, "-o", str(tuned)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "weight\tBLEU" and printed[1].startswith("0\t")
    assert printed[-1].startswith("best weight ")
    assert len(tuned.read_text(encoding="utf-8").splitlines()) == len(SOURCES)
    # Errors: one line, exit 2.
    assert cli.main(["rerank", "--model", random_run, "--reverse", random_run, "-i", source]) == 2
    assert cli.main([*argv, "--weight", "1", "--tune-on-reference", reference]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "must translate en-de" in err[0] and "exclude" in err[1]
