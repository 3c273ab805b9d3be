"""Tests of ``translate score``: forced decoding of references, in batches, streamed.

The run is the random-weight one of ``conftest.py``; the reference scores are
computed here step by step with the search's own step function.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
import tensorflow as tf

from translate import TranslateError
from translate.cli import commands as cli
from translate.data.tokenizer import BOS_ID, EOS_ID
from translate.inference import scoring
from translate.inference.scoring import Scorer, read_pairs
from translate.search import make_step_fn

SOURCES = ["Ein Mann fährt Fahrrad.", "Zwei Hunde.", "Kinder spielen im Schnee.", ""]
REFERENCES = ["A man rides a bike.", "", "Children play in the snow, and it is cold.", "Hello"]


@pytest.fixture(scope="module")
def scorer(random_run):
    return Scorer.load([random_run])


def _step_by_step(translator, source: str, reference: str) -> tuple[float, int]:
    """The reference's log-probability, one search step at a time."""
    model, tokenizer = translator.model, translator.tokenizer
    source_ids = tokenizer.encode_source(tf.constant([source])).to_tensor()  # (1, src_len)
    target = list(tokenizer.encode_target(tf.constant([reference]))[0].numpy()) + [EOS_ID]
    state, constants = model.split_state(model.encode(source_ids))
    step = make_step_fn(model, constants)
    total, previous = 0.0, BOS_ID
    for token in target:
        log_probs, state, _ = step(tf.constant([previous]), state)
        total += float(log_probs[0, token])
        previous = token
    return total, len(target)


def test_scores_are_the_summed_log_probabilities_of_the_reference(scorer, random_translator):
    sources, references = SOURCES[:2], REFERENCES[:2]  # the second reference is empty
    results = scorer.score(sources, references)
    for source, reference, result in zip(sources, references, results, strict=True):
        logprob, subwords = _step_by_step(random_translator, source, reference)
        assert result.subwords == subwords
        assert result.logprob == pytest.approx(logprob, abs=1e-3)
        assert result.score == pytest.approx(result.logprob / result.subwords)
    assert results[1].subwords == 1 and np.isfinite(results[1].logprob)  # empty: </s> alone


def test_scores_do_not_depend_on_the_batch_size_and_stream_in_order(scorer):
    whole = scorer.score(SOURCES, REFERENCES)
    pairs = list(zip(SOURCES, REFERENCES, strict=True)) * 2
    scorer.batch_size = 1
    try:
        streamed = list(scorer.score_stream(pairs, chunk_size=3))
    finally:
        scorer.batch_size = 64
    np.testing.assert_allclose(
        [r.logprob for r in streamed], [r.logprob for r in whole] * 2, atol=1e-4
    )
    with pytest.raises(TranslateError, match="4 sources but 3 references"):
        scorer.score(SOURCES, REFERENCES[:3])


@pytest.mark.slow
def test_an_ensemble_of_the_run_twice_scores_like_the_run(scorer, random_run):
    twice = Scorer.load([random_run, random_run])
    np.testing.assert_allclose(
        [r.logprob for r in twice.score(SOURCES, REFERENCES)],
        [r.logprob for r in scorer.score(SOURCES, REFERENCES)],
        atol=1e-5,
    )


def _write(path, lines) -> str:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def test_line_counts_must_match_and_the_error_names_both(tmp_path, monkeypatch):
    source = _write(tmp_path / "src.txt", ["a", "b", "c"])
    reference = _write(tmp_path / "ref.txt", ["x", "y"])
    with pytest.raises(TranslateError, match="has 3 lines but .* has 2"):
        list(read_pairs(source, reference))
    # Streams (no regular files) find it when the shorter one ends, in either order.
    monkeypatch.setattr(scoring.os.path, "isfile", lambda path: False)
    with pytest.raises(TranslateError, match="has 3 lines but .* has 2"):
        list(read_pairs(source, reference))
    with pytest.raises(TranslateError, match="has 2 lines but .* has 3"):
        list(read_pairs(reference, source))
    assert list(read_pairs(source, source)) == [("a", "a"), ("b", "b"), ("c", "c")]


@pytest.mark.slow
def test_cli_score_text_json_and_errors(random_run, tmp_path, capsys):
    source = _write(tmp_path / "src.txt", SOURCES)
    reference = _write(tmp_path / "ref.txt", REFERENCES)
    out = tmp_path / "scores.txt"
    argv = ["score", "--model", random_run, "-i", source, "-r", reference]
    assert cli.main([*argv, "-o", str(out)]) == 0
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(SOURCES)
    for score, logprob, subwords in rows:
        assert float(score) == pytest.approx(float(logprob) / int(subwords), abs=1e-5)
    assert cli.main([*argv, "--format", "json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["models"] for r in records] == [[random_run]] * len(SOURCES)
    assert [r["subwords"] for r in records] == [int(row[2]) for row in rows]
    # A mismatch is one error line; -o keeps its previous content.
    short = _write(tmp_path / "short.txt", REFERENCES[:2])
    before = out.read_text(encoding="utf-8")
    bad = ["score", "--model", random_run, "-i", source, "-r", short]
    assert cli.main([*bad, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "has 4 lines" in err and "has 2" in err
    assert out.read_text(encoding="utf-8") == before
    new = tmp_path / "new.txt"
    assert cli.main([*bad, "-o", str(new)]) == 2
    assert not os.path.exists(new)
