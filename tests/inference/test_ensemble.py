"""Tests of ensembles: several runs sharing a tokenizer, their probabilities averaged.

The toy models are :class:`step_functions.TinyRNN`; the runs are the random-weight
run of ``conftest.py`` and tiny runs built here with :func:`helpers.make_run`.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import tensorflow as tf
from helpers import SENTENCES, make_run
from step_functions import AsModel, TinyRNN, random_sources

from translate import TranslateError
from translate.cli import commands as cli
from translate.config.schema import DecodingConfig
from translate.inference.translator import Translator
from translate.search import ensemble_step_fn, make_search

TEXTS = [text for text in SENTENCES[:10]]


def test_the_ensemble_step_averages_the_members_probabilities():
    members = [TinyRNN(seed=1, vocab=12), TinyRNN(seed=2, vocab=12)]
    source = random_sources(0, [3, 5])
    states = tuple(lm.initial_state(source) for lm in members)
    step = ensemble_step_fn([lm.step for lm in members])
    tokens = tf.constant([1, 1])
    log_probs, new_states, attention = step(tokens, states)
    outputs = [lm.step(tokens, state) for lm, state in zip(members, states, strict=True)]
    expected = np.log(np.mean([np.exp(out[0].numpy()) for out in outputs], axis=0))
    np.testing.assert_allclose(log_probs.numpy(), expected, atol=1e-5)
    np.testing.assert_allclose(np.exp(log_probs.numpy()).sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(
        attention.numpy(), (outputs[0][2].numpy() + outputs[1][2].numpy()) / 2, atol=1e-6
    )
    for state, out in zip(new_states, outputs, strict=True):
        np.testing.assert_array_equal(state["h"].numpy(), out[1]["h"].numpy())


@pytest.mark.parametrize("beam", [1, 3])
def test_an_ensemble_of_the_same_model_searches_like_the_model(beam):
    lm = AsModel(TinyRNN(seed=3, vocab=12))
    other = AsModel(TinyRNN(seed=4, vocab=12))
    source = random_sources(5, [4, 2, 6])
    settings = DecodingConfig(beam_size=beam, n_best=beam)
    alone = make_search(lm, settings, max_length=12)(source)
    for members in ([lm], [lm, lm]):
        ensemble = make_search(members, settings, max_length=12)(source)
        np.testing.assert_array_equal(ensemble.tokens.numpy(), alone.tokens.numpy())
        np.testing.assert_allclose(ensemble.scores.numpy(), alone.scores.numpy(), atol=1e-5)
    mixed = make_search([lm, other], settings, max_length=12)(source)
    assert not np.allclose(mixed.scores.numpy(), alone.scores.numpy())


@pytest.mark.slow
def test_translator_ensembles_of_one_and_of_twice_the_run(random_run, random_translator):
    for runs in ([random_run], [random_run, random_run]):
        ensemble = Translator.load(runs)
        assert ensemble.runs == runs
        for options in ({"beam_size": 1}, {"beam_size": 3, "n_best": 2}):
            alone = random_translator.translate(TEXTS, **options)
            together = ensemble.translate(TEXTS, **options)
            assert [t.hypotheses for t in together] == [t.hypotheses for t in alone]
            np.testing.assert_allclose(
                [t.scores for t in together], [t.scores for t in alone], atol=1e-5
            )


def _other_run(base, name: str, overrides=()) -> str:
    return make_run(base, name, trained=False, overrides=overrides)["run_dir"]


@pytest.mark.slow
def test_members_may_differ_in_architecture_but_not_in_tokenizer(random_run, tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    # Another architecture (wider, two layers, Bahdanau attention) with the same tokenizer.
    wide = _other_run(
        base,
        "ensemble-wide",
        ["model.decoder_units=24", "model.decoder_layers=2", "model.attention=bahdanau"],
    )
    shared = base / "ensemble-wide-shared"
    if not shared.exists():
        shutil.copytree(wide, shared)
        shutil.rmtree(shared / "tokenizer")
        shutil.copytree(f"{random_run}/tokenizer", shared / "tokenizer")
    ensemble = Translator.load([random_run, str(shared)])
    translations = ensemble.translate(TEXTS[:4], beam_size=3, n_best=2)
    assert all(len(t.hypotheses) == 2 for t in translations)
    # A run whose tokenizer differs (another vocabulary size): one error naming both runs.
    foreign = _other_run(base, "ensemble-foreign", ["data.vocab_size=300"])
    with pytest.raises(TranslateError, match="must share one tokenizer") as error:
        Translator.load([random_run, foreign])
    assert random_run in str(error.value) and foreign in str(error.value)


@pytest.mark.slow
def test_cli_ensemble_json_names_the_runs(random_run, tmp_path, capsys):
    source = tmp_path / "in.txt"
    source.write_text("Ein Hund.\nZwei Katzen.\n", encoding="utf-8")
    argv = ["translate", "-i", str(source), "--beam-size", "2"]
    assert cli.main([*argv, "--model", random_run]) == 0
    alone = capsys.readouterr().out
    assert cli.main([*argv, "--model", random_run, "--model", random_run]) == 0
    assert capsys.readouterr().out == alone
    assert cli.main([*argv, "--model", random_run, "--model", random_run, "--format", "json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["models"] for r in records] == [[random_run, random_run]] * 2
    assert [r["translation"] for r in records] == alone.splitlines()
