"""Tests of the Translator: loading a run directory, and translating strings with it.

The run directory is the random-weight one of ``conftest.py`` (``random_run``),
whose config searches with beam size 3. Odd and hostile inputs are the
subject of ``test_robustness.py``; equality with the SavedModel export that of
``test_export.py``.
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import sys
import zipfile

import keras
import numpy as np
import pytest
import yaml
from helpers import BLANKS, SENTENCES

from translate import TranslateError
from translate.cli import commands as cli
from translate.cli.parser import build_parser
from translate.config.schema import DecodingConfig
from translate.inference.translator import Translation, Translator, load_model
from translate.model import Seq2Seq
from translate.runs.rundir import RunDir


def _copy_run(run_dir, destination) -> str:
    shutil.copytree(run_dir, destination)
    return str(destination)


# Loading ------------------------------------------------------------------------------------


def test_load_takes_the_search_settings_of_the_run_config(random_run, random_translator):
    assert random_translator.decoding == RunDir(random_run).load_config().decoding
    assert random_translator.decoding.beam_size == 3  # not the default of 5
    config = dataclasses.replace(
        RunDir(random_run).load_config(), decoding=DecodingConfig(beam_size=2)
    )
    assert Translator.load(random_run, config).decoding.beam_size == 2  # a given config wins


def test_load_reads_a_saved_config_with_a_removed_key_silently(random_run, tmp_path, capsys):
    run = RunDir(_copy_run(random_run, tmp_path / "old"))
    with open(run.config_file, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    raw["decoding"]["compact"] = True  # written by earlier versions, removed since
    with open(run.config_file, "w", encoding="utf-8") as handle:
        yaml.safe_dump(raw, handle)
    translator = Translator.load(run.path)
    assert translator.decoding.beam_size == 3
    assert "compact" not in capsys.readouterr().err


def test_bad_model_files(tmp_path, random_run):
    with open(RunDir(random_run).model_file, "rb") as handle:
        data = handle.read()
    truncated = tmp_path / "truncated.keras"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(TranslateError, match="not a Keras model file"):
        load_model(truncated)
    empty = tmp_path / "empty.keras"
    empty.write_bytes(b"")
    with pytest.raises(TranslateError, match="not a Keras model file"):
        load_model(empty)
    other_zip = tmp_path / "other.keras"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TranslateError, match="no config.json"):
        load_model(other_zip)
    foreign = tmp_path / "foreign.keras"
    keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]).save(foreign)
    with pytest.raises(TranslateError, match="class Sequential, not this project's Seq2Seq"):
        load_model(foreign)
    with pytest.raises(TranslateError, match="model file not found"):
        load_model(tmp_path / "missing.keras")


def test_run_directory_with_a_foreign_or_mismatched_model(tmp_path, random_run):
    foreign = _copy_run(random_run, tmp_path / "foreign")
    inputs = keras.Input((4,))
    keras.Model(inputs, keras.layers.Dense(1)(inputs)).save(RunDir(foreign).model_file)
    with pytest.raises(TranslateError, match="class Functional, not this project's Seq2Seq"):
        Translator.load(foreign)
    assert cli.main(["translate", "--model", foreign, "Hallo"]) == 2

    mismatched = _copy_run(random_run, tmp_path / "mismatched")
    other = Seq2Seq(50, 50, embedding_dim=4, encoder_units=4, decoder_units=4)
    other.build()
    other.save(RunDir(mismatched).model_file)
    with pytest.raises(TranslateError, match="does not match the model"):
        Translator.load(mismatched)


# Translating --------------------------------------------------------------------------------


def test_search_settings_apply_and_check_overrides(random_translator):
    settings = random_translator.search_settings(beam_size=1, n_best=None)
    assert (settings.beam_size, settings.n_best) == (1, random_translator.decoding.n_best)
    with pytest.raises(TranslateError, match="beam size must be > 0"):
        random_translator.search_settings(beam_size=0)
    with pytest.raises(TranslateError, match="n-best"):
        random_translator.translate(["Ein Hund."], beam_size=2, n_best=3)


def test_one_graph_per_search_setting_whatever_the_batch_size(random_translator):
    greedy = random_translator.search_settings(beam_size=1)
    again = random_translator.search_settings(beam_size=1, batch_size=7)
    beam = random_translator.search_settings(beam_size=2)
    assert random_translator.graph(greedy) is random_translator.graph(again)
    assert random_translator.graph(greedy) is not random_translator.graph(beam)


def test_translations_come_back_in_input_order_whatever_the_batches(random_translator):
    whole = random_translator.translate(SENTENCES, beam_size=1)
    assert [t.source for t in whole] == SENTENCES
    decoding = random_translator.decoding
    random_translator.decoding = dataclasses.replace(decoding, batch_size=3)
    try:
        small_batches = random_translator.translate(SENTENCES, beam_size=1)
        streamed = list(random_translator.translate_stream(SENTENCES, chunk_size=4, beam_size=1))
    finally:
        random_translator.decoding = decoding
    assert [t.hypotheses for t in small_batches] == [t.hypotheses for t in whole]
    assert [t.hypotheses for t in streamed] == [t.hypotheses for t in whole]
    for sentence, translation in zip(SENTENCES, whole):
        if sentence in BLANKS:
            assert translation.hypotheses == [""] and translation.scores == [0.0]
    assert sum(bool(t.text) for t in whole) > len(SENTENCES) // 2  # not all empty


def test_a_bare_string_gives_one_translation_equal_to_the_list_form(random_translator):
    for options in ({"beam_size": 1}, {"beam_size": 3, "n_best": 2, "with_attention": True}):
        one = random_translator.translate("Ein Mann fährt Fahrrad.", **options)
        (listed,) = random_translator.translate(["Ein Mann fährt Fahrrad."], **options)
        assert isinstance(one, Translation)
        assert (one.hypotheses, one.scores) == (listed.hypotheses, listed.scores)
        assert (one.source_pieces, one.target_pieces) == (
            listed.source_pieces,
            listed.target_pieces,
        )
    blank = random_translator.translate("  ", beam_size=1)
    assert isinstance(blank, Translation) and blank.hypotheses == [""]
    with pytest.raises(TypeError, match="not bytes"):
        random_translator.translate(b"Ein Hund.")


def test_load_takes_one_run_or_a_list_and_a_list_of_one_is_the_run(random_run):
    alone, listed = Translator.load(random_run), Translator.load([random_run])
    assert alone.members is None and listed.members is None
    assert alone.runs == listed.runs == [random_run]
    assert alone.models == [alone.model]
    with pytest.raises(TranslateError, match="at least one run directory"):
        Translator.load([])


def test_n_best_hypotheses_are_ordered_by_score(random_translator):
    translations = random_translator.translate(SENTENCES[:2], beam_size=3, n_best=3)
    for translation in translations:
        assert len(translation.hypotheses) == len(translation.scores) == 3
        assert translation.scores == sorted(translation.scores, reverse=True)
        assert translation.text == translation.hypotheses[0]


def test_attention_matches_the_subword_pieces(random_translator):
    translation = random_translator.translate(
        ["Ein Mann fährt Fahrrad."], beam_size=1, with_attention=True
    )[0]
    assert translation.source_pieces[-1] == "</s>"
    assert translation.attention.shape == (
        len(translation.target_pieces),
        len(translation.source_pieces),
    )
    np.testing.assert_allclose(translation.attention.sum(axis=1), 1.0, atol=1e-5)
    assert not translation.truncated


def test_text_of_a_translation_without_hypotheses_is_empty():
    assert Translation("x", [], []).text == ""
    assert Translation("x", ["a", "b"], [-1.0, -2.0]).text == "a"


# The translate command ----------------------------------------------------------------------


def test_translate_file_keeps_lines_and_order(tmp_path, random_run, random_translator, monkeypatch):
    # The session's translator, whose greedy graph is already compiled.
    monkeypatch.setattr(Translator, "load", classmethod(lambda cls, path: random_translator))
    source = tmp_path / "in.txt"
    source.write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    argv = ["translate", "--model", random_run, "-i", str(source), "-o", str(target)]
    assert cli.main(argv + ["--format", "json", "--beam-size", "1"]) == 0
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in rows] == SENTENCES
    expected = random_translator.translate(SENTENCES, beam_size=1)
    assert [r["translation"] for r in rows] == [t.text for t in expected]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_for_files_to_non_terminals(tmp_path, monkeypatch):
    source = tmp_path / "in.txt"
    source.write_text("a\nb\n\nc", encoding="utf-8")  # 4 lines, the last without newline
    args = build_parser().parse_args(["translate", "--model", "m", "-i", str(source)])
    monkeypatch.setattr(sys, "stderr", _Terminal())
    bar = cli._progress_bar(args, io.StringIO())
    assert bar is not None and bar.total == 4
    bar.close()
    assert cli._progress_bar(args, _Terminal()) is None  # output on the terminal
    text_args = build_parser().parse_args(["translate", "--model", "m", "hallo"])
    assert cli._progress_bar(text_args, io.StringIO()) is None
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # stderr redirected: no bar
    assert cli._progress_bar(args, io.StringIO()) is None
