"""Tests of random sampling: a strategy of the one search loop, keyed by (seed, line, step).

Most run on the seeded toy model :class:`step_functions.TinyRNN`; the Translator
and the command line on the random-weight run of ``conftest.py``.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import tensorflow as tf
from helpers import SENTENCES
from step_functions import TinyRNN, random_sources, rescore, run

from translate import TranslateError
from translate.cli import commands as cli
from translate.config.schema import DecodingConfig, replace_decoding
from translate.search import GreedySearch, RandomSampling, strategy_for
from translate.search.sampling import sample_tokens, uniform_draws


def _sample(lm, source, top_k, temperature=1.0, seed=0, lines=None):
    return run(RandomSampling(top_k, temperature, seed, lines), lm, source)


def test_top_1_sampling_is_greedy_search_token_for_token():
    lm = TinyRNN(seed=3, vocab=12)
    source = random_sources(1, [3, 5, 2, 6, 4])
    greedy = run(GreedySearch(), lm, source)
    sampled = _sample(lm, source, top_k=1, temperature=0.7, seed=11)
    np.testing.assert_array_equal(sampled.tokens.numpy(), greedy.tokens.numpy())
    np.testing.assert_array_equal(sampled.scores.numpy(), greedy.scores.numpy())


def test_the_same_seed_repeats_the_sample_and_another_seed_changes_it():
    lm = TinyRNN(seed=4, vocab=12, scale=0.5)  # flat distributions: samples vary
    source = random_sources(2, [4, 4, 5, 3, 6, 2, 5, 4])
    first = _sample(lm, source, top_k=0, seed=5).tokens.numpy()
    again = _sample(lm, source, top_k=0, seed=5).tokens.numpy()
    other = _sample(lm, source, top_k=0, seed=6).tokens.numpy()
    np.testing.assert_array_equal(first, again)
    assert first.shape != other.shape or not np.array_equal(first, other)


def test_a_line_samples_the_same_in_any_batch_and_position():
    lm = TinyRNN(seed=5, vocab=12, scale=0.5)
    lengths = [4, 2, 6, 3, 5]
    source = random_sources(3, lengths)
    lines = tf.constant([10, 11, 12, 13, 14])
    whole = _sample(lm, source, top_k=0, seed=2, lines=lines)
    # Each sentence alone, in reverse order, with its own line index.
    for row in reversed(range(len(lengths))):
        one = source[row : row + 1, : lengths[row]]
        alone = _sample(lm, one, 0, seed=2, lines=lines[row : row + 1])
        n = int(alone.lengths[0, 0])
        assert n == int(whole.lengths[row, 0])
        np.testing.assert_array_equal(alone.tokens[0, 0, :n], whole.tokens[row, 0, :n])
        np.testing.assert_allclose(alone.scores[0], whole.scores[row], atol=1e-5)


def test_the_score_of_a_sample_is_its_log_probability_under_the_model():
    lm = TinyRNN(seed=6, vocab=12, scale=0.5)
    source = random_sources(4, [3])
    result = _sample(lm, source, top_k=3, temperature=2.0, seed=1)
    n = int(result.lengths[0, 0])
    max_len = math.ceil(3 * 1.5) + 10  # run()'s default limit for a 3-token source
    expected, _ = rescore(lm, source[0].numpy(), result.tokens[0, 0, :n].numpy(), n < max_len)
    assert float(result.scores[0, 0]) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(("top_k", "temperature"), [(0, 1.0), (3, 1.0), (0, 2.0), (2, 0.5)])
def test_draws_follow_the_tempered_top_k_distribution(top_k, temperature):
    # pad and bos have probability 0 (-inf), as in search: never drawn.
    log_probs = np.array([-np.inf, -np.inf, *np.log([0.05, 0.1, 0.15, 0.3, 0.4])])
    draws = 20000
    uniform = uniform_draws(7, tf.range(draws), tf.constant(3))  # (draws,)
    tokens = sample_tokens(
        tf.constant(np.tile(log_probs, (draws, 1)), tf.float32), uniform, top_k, temperature
    ).numpy()
    expected = np.exp(log_probs / temperature)
    if top_k:
        expected[np.argsort(-expected)[top_k:]] = 0.0
    expected /= expected.sum()
    observed = np.bincount(tokens, minlength=len(log_probs)) / draws
    assert observed[expected == 0].sum() == 0
    np.testing.assert_allclose(observed, expected, atol=0.015)


def test_uniform_draws_are_uniform_and_keyed_by_seed_line_and_step():
    lines = tf.range(5000)
    u = uniform_draws(1, lines, tf.constant(0)).numpy()
    assert 0.0 <= u.min() and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 0.02
    assert np.histogram(u, bins=5, range=(0, 1))[0].min() > 900
    for other in (uniform_draws(2, lines, tf.constant(0)), uniform_draws(1, lines, tf.constant(1))):
        assert abs(np.corrcoef(u, other.numpy())[0, 1]) < 0.05


@pytest.mark.parametrize("temperature", [0.0, -1.0, math.nan, math.inf])
def test_bad_temperatures_are_one_clear_error(temperature):
    with pytest.raises(TranslateError, match="temperature"):
        RandomSampling(0, temperature)
    with pytest.raises(TranslateError, match="sampling_temperature"):
        replace_decoding(DecodingConfig(beam_size=1), sampling_temperature=temperature)


def test_sampling_does_not_combine_with_beam_search_or_n_best(random_translator):
    with pytest.raises(TranslateError, match="does not combine with beam search or n-best"):
        replace_decoding(DecodingConfig(beam_size=4), sampling_topk=5)
    with pytest.raises(TranslateError, match="decoding.n_best = 2"):
        random_translator.search_settings(sampling_topk=0, beam_size=2, n_best=2)
    # Turning sampling on without a beam size sets the beam and n-best to 1.
    settings = random_translator.search_settings(sampling_topk=0)
    assert (settings.beam_size, settings.n_best) == (1, 1)
    assert isinstance(strategy_for(settings), RandomSampling)
    with pytest.raises(TranslateError, match="sampling_topk"):
        random_translator.search_settings(sampling_topk=-1)


@pytest.mark.slow
def test_translator_samples_do_not_depend_on_batch_size_or_chunks(random_translator):
    texts = SENTENCES[:8]
    options = {"sampling_topk": 0, "seed": 9}
    whole = random_translator.translate(texts, **options)
    decoding = random_translator.decoding
    random_translator.decoding = dataclasses.replace(decoding, batch_size=2)
    try:
        small = random_translator.translate(texts, **options)
        streamed = list(random_translator.translate_stream(texts, chunk_size=3, **options))
    finally:
        random_translator.decoding = decoding
    assert [t.text for t in small] == [t.text for t in whole]
    assert [t.text for t in streamed] == [t.text for t in whole]
    # One line alone, given its line index, samples as it did in the whole input.
    last = random_translator.translate([texts[6]], first_line=6, **options)[0]
    assert last.text == whole[6].text
    assert random_translator.translate(texts, sampling_topk=0, seed=10)[0].text != whole[0].text


@pytest.mark.slow
def test_cli_sampling_options_and_their_errors(random_run, capsys):
    argv = ["translate", "--model", random_run, "--sampling-topk", "1", "--seed", "3"]
    assert cli.main([*argv, "Ein Hund."]) == 0
    sampled = capsys.readouterr().out
    assert cli.main(["translate", "--model", random_run, "--beam-size", "1", "Ein Hund."]) == 0
    assert capsys.readouterr().out == sampled  # top-1 sampling is greedy search
    for bad in (["--sampling-temperature", "nan"], ["--sampling-temperature", "0"]):
        with pytest.raises(SystemExit) as usage_error:  # argparse checks the number
            cli.main([*argv, *bad, "Ein Hund."])
        assert usage_error.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("error: argument --sampling-temperature: ") and bad[1] in err
        assert err.count("\n") == 1
    assert cli.main([*argv, "--beam-size", "5", "Ein Hund."]) == 2
    assert "does not combine" in capsys.readouterr().err


def test_a_beam_size_switches_off_sampling_that_the_config_turns_on(random_translator):
    decoding = random_translator.decoding
    random_translator.decoding = replace_decoding(
        dataclasses.replace(decoding, beam_size=1, n_best=1), sampling_topk=5
    )
    try:
        assert random_translator.search_settings().sampling_topk == 5
        settings = random_translator.search_settings(beam_size=1, n_best=1)  # dev translations
        assert settings.sampling_topk is None
        assert isinstance(strategy_for(settings), GreedySearch)
        with pytest.raises(TranslateError, match="decoding.n_best"):
            random_translator.search_settings(n_best=2)
    finally:
        random_translator.decoding = decoding


@pytest.mark.slow
def test_a_sampling_export_samples_like_the_translator(random_run, random_translator, tmp_path):
    import json

    from translate.inference.export import export, load_export

    path = export(random_run, tmp_path / "exports", sampling_topk=0, seed=4)
    with open(tmp_path / "exports" / "1" / "assets" / "export.json", encoding="utf-8") as handle:
        search = json.load(handle)["search"]
    assert (search["sampling_topk"], search["seed"], search["beam_size"]) == (0, 4, 1)
    texts = SENTENCES[:8]
    served = load_export(path)(text=tf.constant(texts))["translations"].numpy()[:, 0]
    expected = random_translator.translate(texts, sampling_topk=0, seed=4)
    # A request's rows are its line indices, as the Translator's input lines are.
    assert [s.decode("utf-8") for s in served] == [t.text for t in expected]
