"""Tests of ``translate export``: a SavedModel that runs without this package.

A random-weight model and a tiny tokenizer are written as a run directory by
hand (no training, no corpus). Its exports are then loaded in a subprocess
that imports only ``tensorflow`` and ``tensorflow_text`` (``translate`` and
``keras`` imports are blocked) and must translate exactly like
:meth:`Translator.translate`, greedy and beam.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import sys
import textwrap
import zipfile

import keras
import numpy as np
import pytest
import tensorflow as tf

from translate import cli
from translate.config import Config, DecodingConfig, ModelConfig, save_config
from translate.errors import TranslateError
from translate.export import (
    BLANK_PATTERN,
    WITHOUT_THIS_PACKAGE,
    export,
    load_export,
    next_version,
    one_line,
    resolve_export,
    version_dirs,
)
from translate.model import Seq2Seq
from translate.tokenizer import SubwordTokenizer
from translate.translator import Translator, check_run_dir, load_model

_SUBJECTS = [("Ein Mann", "A man"), ("Eine Frau", "A woman"), ("Ein Kind", "A child"),
             ("Zwei Hunde", "Two dogs"), ("Ein Mädchen", "A girl"), ("Drei Jungen", "Three boys")]
_VERBS = [("fährt", "rides"), ("sieht", "sees"), ("trägt", "carries"), ("hält", "holds")]
_OBJECTS = [("ein Fahrrad", "a bike"), ("einen Ball", "a ball"), ("eine Tasche", "a bag"),
            ("einen großen Hut", "a big hat"), ("ein rotes Auto", "a red car")]
_PLACES = [("", ""), (" im Park", " in the park"), (" auf der Straße", " on the street")]

SENTENCES = [
    "Ein Mann fährt Fahrrad.",
    "Zwei Hunde spielen im Schnee.",
    "",
    "Eine Frau mit einem roten Hut liest ein Buch am Strand.",
    "   ",
    "Kinder.",
    "Ein Mädchen trägt eine große Tasche über die Straße, während es regnet.",
    "\u3000",
    "Drei Jungen sehen ein rotes Auto.",
    "Ümläute: äöü ÄÖÜ ß",
    "Emoji 🙂 und 中文 Zeichen",
    "\t",
    "Ein Kind hält einen Ball im Park und lacht laut.",
    "x",
    "Eine Gruppe von Männern lädt Baumwolle auf einen Lastwagen",
    "Ein Hund läuft.",
    " Ein Mann schläft in einem grünen Raum auf einem Sofa. ",
    "Zwei Männer stehen am Herd und bereiten Essen zu.",
    "Hund Hund Hund Hund Hund Hund Hund Hund Hund Hund Hund Hund",
    "Ein Junge mit Kopfhörern sitzt auf den Schultern einer Frau.",
]
BLANKS = {"", "   ", "\u3000", "\t"}
BEAM = {"beam_size": 3, "n_best": 2, "length_penalty": 0.6}

# Loads the exports with tensorflow and tensorflow_text only: importing this
# package fails, so no custom object of it can be needed.
_SUBPROCESS = WITHOUT_THIS_PACKAGE + textwrap.dedent(
    """
    import json, sys

    import tensorflow as tf
    import tensorflow_text  # noqa: F401

    base, sentences = sys.argv[1], json.loads(sys.argv[2])
    report = {}
    for version in ("1", "2"):
        loaded = tf.saved_model.load(f"{base}/{version}")
        fn = loaded.signatures["serving_default"]
        out = fn(text=tf.constant(sentences, tf.string))
        empty = fn(text=tf.constant([], tf.string))
        direct = loaded.serve(tf.constant(sentences[:2]))
        report[version] = {
            "inputs": sorted(fn.structured_input_signature[1]),
            "outputs": sorted(fn.structured_outputs),
            "translations": [[t.decode("utf-8") for t in row] for row in out["translations"].numpy()],
            "scores": out["scores"].numpy().tolist(),
            "dtypes": [out["translations"].dtype.name, out["scores"].dtype.name],
            "empty_shape": empty["translations"].shape.as_list(),
            "direct": [[t.decode("utf-8") for t in row] for row in direct["translations"].numpy()],
            "config_asset": bool(tf.io.gfile.exists(loaded.files["config.yaml"].asset_path.numpy())),
        }
    report["modules"] = sorted(m for m in sys.modules if m.split(".")[0] == "translate")
    print("REPORT" + json.dumps(report))
    """
)


def _corpus():
    for (s, s_en), (v, v_en), (o, o_en), (p, p_en) in itertools.product(
        _SUBJECTS, _VERBS, _OBJECTS, _PLACES
    ):
        yield f"{s} {v} {o}{p}.", f"{s_en} {v_en} {o_en}{p_en}."


def _write_run_dir(path, seed: int = 7, vocab_size: int = 300) -> str:
    """A run directory with a tiny tokenizer and a random-weight model, as training writes it."""
    # Seed first: tf.random.set_seed clears the eager kernel cache, which destroys the
    # kernel-owned SentencePiece resources of tokenizers made before it.
    keras.utils.set_random_seed(seed)
    pairs = list(_corpus())
    tokenizer = SubwordTokenizer.train([s for s, _ in pairs], [t for _, t in pairs], vocab_size)
    config = Config(
        model=ModelConfig(embedding_dim=16, encoder_units=16, decoder_units=16, dropout=0.0,
                          embedding_dropout=0.0),
        decoding=DecodingConfig(beam_size=3, batch_size=64),
    )
    model = Seq2Seq.from_config_section(
        config.model, tokenizer.source_vocab_size, tokenizer.target_vocab_size
    )
    model.build()
    # Sharper output distributions than the initialization gives, so no two
    # tokens nearly tie and the comparisons are not at the mercy of rounding.
    output = model.decoder.output_layer
    output.kernel.assign(output.kernel * 8.0)
    os.makedirs(path, exist_ok=True)
    save_config(config, os.path.join(path, "config.yaml"))
    tokenizer.save(os.path.join(path, "tokenizer"))
    model.save(os.path.join(path, "model.keras"))
    return str(path)


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory) -> str:
    return _write_run_dir(tmp_path_factory.mktemp("run"))


_LOADER: dict[str, subprocess.Popen] = {}


@pytest.fixture(scope="session")
def export_dir(run_dir, tmp_path_factory) -> str:
    """Version 1: greedy, via the Python API; version 2: beam, via the command line.

    Also starts the subprocess that loads them, so it runs while other tests do
    (the tests that read its report come last in this file).
    """
    base = str(tmp_path_factory.mktemp("exports") / "translator")
    assert export(run_dir, base, beam_size=1) == os.path.join(base, "1")
    status = cli.main([
        "export", "--model", run_dir, "--out", base, "--beam-size", str(BEAM["beam_size"]),
        "--n-best", str(BEAM["n_best"]), "--length-penalty", str(BEAM["length_penalty"]),
    ])
    assert status == 0
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    _LOADER["process"] = subprocess.Popen(
        [sys.executable, "-c", _SUBPROCESS, base, json.dumps(SENTENCES)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        cwd=os.path.dirname(base),
    )
    yield base
    if _LOADER["process"].poll() is None:
        _LOADER["process"].kill()
        _LOADER["process"].communicate()


@pytest.fixture(scope="session")
def translator(run_dir) -> Translator:
    return Translator.load(run_dir)


@pytest.fixture(scope="session")
def reference(translator):
    return {
        "1": translator.translate(SENTENCES, beam_size=1),
        "2": translator.translate(SENTENCES, **BEAM),
    }


@pytest.fixture(scope="session")
def subprocess_report(export_dir) -> dict:
    process = _LOADER["process"]
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr[-3000:]
    line = next(x for x in stdout.splitlines() if x.startswith("REPORT"))
    return json.loads(line[len("REPORT"):])


# --------------------------------------------------------------------------- the export


def test_version_layout(export_dir):
    assert version_dirs(export_dir) == [1, 2]
    assert next_version(export_dir) == 3
    assert sorted(os.listdir(export_dir)) == ["1", "2"]  # no staging folder left behind
    for version in ("1", "2"):
        folder = os.path.join(export_dir, version)
        assert os.path.isfile(os.path.join(folder, "saved_model.pb"))
        assert os.path.isdir(os.path.join(folder, "variables"))
        assets = sorted(os.listdir(os.path.join(folder, "assets")))
        assert assets == ["README.md", "config.yaml", "export.json", "joint.model"]
    with open(os.path.join(export_dir, "2", "assets", "export.json"), encoding="utf-8") as handle:
        metadata = json.load(handle)
    assert metadata["version"] == 2
    assert metadata["search"]["beam_size"] == 3 and metadata["search"]["n_best"] == 2
    assert metadata["config"]["model"]["encoder_units"] == 16
    assert resolve_export(export_dir) == os.path.join(export_dir, "2")
    assert resolve_export(os.path.join(export_dir, "1")) == os.path.join(export_dir, "1")


def test_export_refuses_an_existing_version(run_dir, export_dir):
    with pytest.raises(TranslateError, match="already exists"):
        export(run_dir, export_dir, version=1)


def test_blank_pattern_is_python_whitespace():
    characters = [chr(c) for c in range(0x3100)] + ["\u200b", "\ufeff"]
    matched = tf.strings.regex_full_match(tf.constant(characters), BLANK_PATTERN).numpy()
    assert [c for c, m in zip(characters, matched) if m != c.isspace()] == []
    assert tf.strings.regex_full_match(tf.constant(["", " \t\u3000", " a "]), BLANK_PATTERN).numpy(
    ).tolist() == [True, True, False]


def test_one_line_is_pythons_split_and_join():
    import random

    pieces = [b"a", b" ", b"\t", b"\n", b"\r", b"\x1f", b"\x0b", b"\xc2\x85", b"\xe3\x80\x80",
              b"\xe2\x80\xa8", b"\xe2\x80\x8b", b"\xc3\xa4", b"\xff", b"\xc3", b"\xe2\x82",
              b"\xf0\x9f\x99", b"\xed\xa0\x80", b"\xc0\xaf"]  # incl. invalid UTF-8
    rng = random.Random(0)
    texts = [b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(3000)]
    got = [t.decode("utf-8") for t in one_line(tf.constant(texts)).numpy()]
    assert got == [" ".join(t.decode("utf-8", "replace").split()) for t in texts]


# --------------------------------------------------------------------------- not a model


def test_not_a_run_directory(tmp_path, export_dir):
    with pytest.raises(TranslateError, match="model directory not found"):
        check_run_dir(tmp_path / "nowhere")
    with pytest.raises(TranslateError, match="missing config.yaml, tokenizer, model.keras"):
        check_run_dir(tmp_path)
    for path in (export_dir, os.path.join(export_dir, "1")):
        with pytest.raises(TranslateError, match="is a SavedModel export, not a run directory"):
            check_run_dir(path)


def test_not_an_export(tmp_path, run_dir):
    with pytest.raises(TranslateError, match="export directory not found"):
        resolve_export(tmp_path / "nowhere")
    with pytest.raises(TranslateError, match="is a run directory, not an export"):
        resolve_export(run_dir)
    with pytest.raises(TranslateError, match="not a SavedModel export"):
        resolve_export(tmp_path)
    (tmp_path / "3").mkdir()
    with pytest.raises(TranslateError, match="no saved_model.pb"):
        resolve_export(tmp_path)


def test_someone_elses_saved_model(tmp_path):
    module = tf.Module()
    module.f = tf.function(
        lambda x: {"y": x + 1}, input_signature=[tf.TensorSpec([None], tf.float32)]
    )
    tf.saved_model.save(module, str(tmp_path / "1"), signatures=module.f.get_concrete_function())
    with pytest.raises(TranslateError, match="not a translation export"):
        load_export(tmp_path)
    (tmp_path / "2").mkdir()
    (tmp_path / "2" / "saved_model.pb").write_bytes(b"garbage")
    with pytest.raises(TranslateError, match="cannot load the SavedModel"):
        load_export(tmp_path)


def test_load_export_in_process(export_dir):
    signature = load_export(os.path.join(export_dir, "1"))  # greedy: the faster to load
    out = signature(text=tf.constant(["Ein Mann fährt Fahrrad.", " "]))
    assert out["translations"].shape == (2, 1)
    assert out["translations"].numpy()[1].tolist() == [b""]


def _copy_run(run_dir, destination):
    import shutil

    shutil.copytree(run_dir, destination)
    return str(destination)


def test_bad_model_files(tmp_path, run_dir):
    with open(os.path.join(run_dir, "model.keras"), "rb") as handle:
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


def test_run_directory_with_a_foreign_or_mismatched_model(tmp_path, run_dir):
    foreign = _copy_run(run_dir, tmp_path / "foreign")
    inputs = keras.Input((4,))
    keras.Model(inputs, keras.layers.Dense(1)(inputs)).save(os.path.join(foreign, "model.keras"))
    with pytest.raises(TranslateError, match="class Functional, not this project's Seq2Seq"):
        Translator.load(foreign)
    assert cli.main(["translate", "--model", foreign, "Hallo"]) == 2

    mismatched = _copy_run(run_dir, tmp_path / "mismatched")
    other = Seq2Seq(50, 50, embedding_dim=4, encoder_units=4, decoder_units=4)
    other.build()
    other.save(os.path.join(mismatched, "model.keras"))
    with pytest.raises(TranslateError, match="does not match the model"):
        Translator.load(mismatched)


def test_cli_errors_are_one_line(tmp_path, export_dir, capsys):
    assert cli.main(["export", "--model", str(tmp_path / "nowhere"), "--out", str(tmp_path)]) == 2
    assert cli.main(["translate", "--model", export_dir, "Hallo"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert errors[-2].startswith("error: model directory not found")
    assert errors[-1].startswith(f"error: {export_dir} is a SavedModel export")


# --------------------------------------------------------------------------- translate UX


def test_translate_file_keeps_lines_and_order(
    tmp_path, run_dir, translator, reference, monkeypatch
):
    # The session's translator, whose greedy graph is already compiled.
    monkeypatch.setattr(Translator, "load", classmethod(lambda cls, path: translator))
    source = tmp_path / "in.txt"
    source.write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    status = cli.main(["translate", "--model", run_dir, "-i", str(source), "-o", str(target),
                       "--format", "json", "--beam-size", "1"])
    assert status == 0
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in rows] == SENTENCES
    assert [r["translation"] for r in rows] == [t.text for t in reference["1"]]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_for_files_to_non_terminals(tmp_path, monkeypatch):
    source = tmp_path / "in.txt"
    source.write_text("a\nb\n\nc", encoding="utf-8")  # 4 lines, the last without newline
    args = cli._parser().parse_args(["translate", "--model", "m", "-i", str(source)])
    monkeypatch.setattr(sys, "stderr", _Terminal())
    bar = cli._progress_bar(args, io.StringIO())
    assert bar is not None and bar.total == 4
    bar.close()
    assert cli._progress_bar(args, _Terminal()) is None  # output on the terminal
    text_args = cli._parser().parse_args(["translate", "--model", "m", "hallo"])
    assert cli._progress_bar(text_args, io.StringIO()) is None
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # stderr redirected: no bar
    assert cli._progress_bar(args, io.StringIO()) is None


# --------------------------------------------------------------------------- in a subprocess
# Last in the file: the subprocess started by ``export_dir`` runs meanwhile.


def test_export_loads_with_only_tensorflow_and_tensorflow_text(subprocess_report):
    assert subprocess_report["modules"] == []
    for version in ("1", "2"):
        report = subprocess_report[version]
        assert report["inputs"] == ["text"]
        assert report["outputs"] == ["scores", "translations"]
        assert report["dtypes"] == ["string", "float32"]
        assert report["config_asset"]


@pytest.mark.parametrize("version,n_best", [("1", 1), ("2", 2)], ids=["greedy", "beam"])
def test_export_translates_like_the_translator(subprocess_report, reference, version, n_best):
    report = subprocess_report[version]
    expected = reference[version]
    assert len(report["translations"]) == len(SENTENCES)
    for sentence, got, scores, want in zip(
        SENTENCES, report["translations"], report["scores"], expected
    ):
        assert len(got) == n_best
        assert got == want.hypotheses, sentence
        np.testing.assert_allclose(scores, want.scores, rtol=1e-4, atol=1e-4)
    assert report["direct"] == report["translations"][:2]
    # The random model translates most sentences into something (the comparison is not vacuous).
    assert sum(bool(row[0]) for row in report["translations"]) > len(SENTENCES) // 2


def test_blank_inputs_give_empty_translations(subprocess_report):
    for version in ("1", "2"):
        report = subprocess_report[version]
        for sentence, row, scores in zip(SENTENCES, report["translations"], report["scores"]):
            if sentence in BLANKS:
                assert set(row) == {""} and set(scores) == {0.0}
        assert report["empty_shape"] == [0, 1 if version == "1" else 2]
