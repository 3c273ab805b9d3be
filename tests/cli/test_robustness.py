"""Bad input gets one clear answer; odd text is translated, never crashed on.

Every user mistake must end in one :class:`~translate.TranslateError`
whose one-line message names the file, line, key or value at fault (the CLI
prints it as ``error: ...`` and exits with status 2). Odd but valid text --
empty, whitespace, 10,000 characters, control characters, emoji, other
scripts, replacement characters, lone surrogates -- must be translated, one
output line per input line, in order.

Each bad input is run through ``bad_input`` or ``survives`` of ``helpers.py``,
which record it; with env ``ROBUSTNESS_CASES=FILE`` the record is written there
at the end of the session (``benchmarks/robustness_report.py`` counts it).

The tiny trained run is the ``tiny_run`` fixture of ``conftest.py``; tests
that change its files work on a copy.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import gzip
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from unittest import mock

import hypothesis
import pytest
from helpers import (
    TRAIN_PAIRS_EMPTY,
    TRAIN_PAIRS_KEPT,
    TRAIN_PAIRS_LONG,
    bad_input,
    survives,
    write_parallel,
)

from translate import TranslateError
from translate.cli import commands as cli
from translate.cli import interrupts
from translate.cli.parser import build_parser
from translate.config.schema import load_config


@pytest.fixture(scope="session")
def translator(tiny_run):
    from translate.inference.translator import Translator

    return Translator.load(tiny_run["run_dir"])


def _copy_run(tiny_run, tmp_path) -> str:
    target = os.path.join(tmp_path, "run")
    shutil.copytree(tiny_run["run_dir"], target)
    return target


def _sha(path) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _run_cli(argv, capsys):
    """Runs the command line in this process.

    Returns:
        ``(exit_status, stdout, stderr)``; a usage error's ``SystemExit`` gives its status.
    """
    try:
        status = cli.main(argv)
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err.strip()


# Configs ------------------------------------------------------------------------------


CONFIG_CASES = [
    (
        "unknown key",
        "training:\n  epoch: 3\n",
        ["training.epoch", "did you mean 'training.epochs'"],
    ),
    ("unknown section", "trainig:\n  epochs: 3\n", ["'trainig'", "did you mean 'training'"]),
    (
        "key in the wrong section",
        "training:\n  beam_size: 3\n",
        ["training.beam_size", "did you mean 'decoding.beam_size'"],
    ),
    (
        "unknown key, nothing close",
        "model:\n  qqqqzz: 1\n",
        ["model.qqqqzz", "valid keys: model.embedding_dim"],
    ),
    (
        "string for int",
        "training:\n  epochs: three\n",
        ["training.epochs", "must be int", "'three'"],
    ),
    ("float for int", "training:\n  epochs: 2.5\n", ["training.epochs", "must be int", "2.5"]),
    (
        "bool for int",
        "training:\n  batch_size: yes\n",
        ["training.batch_size", "must be int", "True"],
    ),
    (
        "string for bool",
        "model:\n  input_feeding: maybe\n",
        ["model.input_feeding", "must be bool"],
    ),
    (
        "list for float",
        "training:\n  learning_rate: [1]\n",
        ["training.learning_rate", "must be float"],
    ),
    ("zero epochs", "training:\n  epochs: 0\n", ["training.epochs", "0", "> 0"]),
    (
        "negative rate",
        "training:\n  learning_rate: -0.1\n",
        ["training.learning_rate", "-0.1", "> 0"],
    ),
    ("nan rate", "training:\n  learning_rate: .nan\n", ["training.learning_rate", "nan", "finite"]),
    ("infinite clip", "training:\n  clip_norm: .inf\n", ["training.clip_norm", "inf", "finite"]),
    ("dropout of 1", "model:\n  dropout: 1.0\n", ["model.dropout", "1.0", "[0, 1)"]),
    ("negative limit", "data:\n  train_limit: -5\n", ["data.train_limit", "-5", ">= 0"]),
    (
        "unknown choice",
        "model:\n  attention: dot\n",
        ["model.attention", "'dot'", "bahdanau, luong"],
    ),
    (
        "unknown tokenizer",
        "data:\n  tokenizer_type: wordpiece\n",
        ["data.tokenizer_type", "unigram, bpe"],
    ),
    (
        "n-best over beam",
        "decoding:\n  beam_size: 2\n  n_best: 3\n",
        ["decoding.n_best", "decoding.beam_size"],
    ),
    ("section not a mapping", "training: 3\n", ["section 'training'", "mapping"]),
    ("file not a mapping", "- a\n- b\n", ["must be a mapping"]),
    (
        "python object tag",
        "training: !!python/object/apply:os.system ['echo unsafe']\n",
        ["not valid YAML", "python/object/apply:os.system", "line 1"],
    ),
    (
        "python name tag",
        "model: !!python/name:os.system\n",
        ["not valid YAML", "python/name:os.system"],
    ),
    ("broken YAML", "training:\n  epochs: [3\n", ["not valid YAML", "line"]),
    ("tab indentation", "training:\n\tepochs: 3\n", ["not valid YAML"]),
]


@pytest.mark.parametrize("name,text,expected", CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_bad_config_file_is_one_clear_error(tmp_path, name, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with bad_input("config", name, str(path), *expected):
        load_config(path)


def test_yaml_1_1_exponent_is_a_float_but_junk_strings_are_not(tmp_path):
    path = tmp_path / "rate.yaml"
    path.write_text(
        "training:\n  learning_rate: 3e-4\n  min_learning_rate: 1E-6\n", encoding="utf-8"
    )
    config = load_config(path)
    assert (config.training.learning_rate, config.training.min_learning_rate) == (3e-4, 1e-6)
    path.write_text("training:\n  learning_rate: 3e-4x\n", encoding="utf-8")
    with bad_input("config", "junk float string", "training.learning_rate", "'3e-4x'"):
        load_config(path)


def test_python_tags_are_never_executed(tmp_path):
    marker = tmp_path / "executed"
    path = tmp_path / "evil.yaml"
    path.write_text(
        f"training: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    with bad_input("config", "python tag runs nothing", "not valid YAML"):
        load_config(path)
    assert not marker.exists()


def test_unreadable_config_files(tmp_path):
    with bad_input("config", "missing file", "config file not found", str(tmp_path / "nope.yaml")):
        load_config(tmp_path / "nope.yaml")
    with bad_input("config", "directory as file", "cannot read config file", str(tmp_path)):
        load_config(tmp_path)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("training:\n  seed: 1 # Größe\n".encode("latin-1"))
    with bad_input("config", "not UTF-8", str(latin1), "not UTF-8"):
        load_config(latin1)


OVERRIDE_CASES = [
    ("override without value", "training.epochs", ["training.epochs", "section.key=value"]),
    ("override without section", "epochs=3", ["epochs=3", "section.key=value"]),
    ("override too deep", "a.b.c=1", ["a.b.c=1", "section.key=value"]),
    (
        "override unknown key",
        "training.epoch=3",
        ["training.epoch", "did you mean 'training.epochs'"],
    ),
    ("override bad YAML", "training.epochs=[3", ["training.epochs=[3", "not valid YAML"]),
    ("override python tag", "training.seed=!!python/object/apply:os.getpid []", ["not valid YAML"]),
    ("override wrong type", "training.epochs=many", ["training.epochs", "'many'"]),
]


@pytest.mark.parametrize(
    "name,override,expected", OVERRIDE_CASES, ids=[c[0] for c in OVERRIDE_CASES]
)
def test_bad_override_is_one_clear_error(name, override, expected):
    with bad_input("config", name, *expected):
        load_config(None, [override])


def test_cli_prints_one_error_line_and_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("training:\n  epoch: 3\n", encoding="utf-8")
    with bad_input("cli", "train with unknown key", "training.epoch"):
        status = cli.main(["train", "--config", str(bad), "--run-dir", str(tmp_path / "run")])
        err = capsys.readouterr().err
        assert status == 2
        assert err.startswith("error: ") and err.count("\n") == 1, err
        raise TranslateError(err.strip())
    assert not (tmp_path / "run").exists()  # nothing was created for a bad config


@pytest.mark.slow
def test_cli_exit_status_in_a_real_process(tmp_path):
    """The installed entry point: ``python -m translate`` exits 2 with one line on stderr."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "translate",
            "train",
            "--config",
            str(tmp_path / "missing.yaml"),
            "--run-dir",
            str(tmp_path / "run"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    with bad_input(
        "cli", "missing config in a subprocess", "config file not found", "missing.yaml"
    ):
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        assert len(errors) == 1, result.stderr
        raise TranslateError(errors[0])


# Corpora ----------------------------------------------------------------------------


def _load(folder, split="train"):
    from translate.data import sources

    return sources.load_parallel(os.fspath(folder), "de", "en", split)


def test_mismatched_line_counts_name_both_files_and_counts(tmp_path):
    (tmp_path / "train.de").write_text("a\nb\nc\n", encoding="utf-8")
    (tmp_path / "train.en").write_text("a\nb\n", encoding="utf-8")
    with bad_input(
        "corpus", "mismatched line counts", "train.de", "has 3 lines", "train.en", "has 2"
    ):
        _load(tmp_path)


def test_last_line_without_newline_still_counts(tmp_path):
    (tmp_path / "train.de").write_text("a\nb", encoding="utf-8")
    (tmp_path / "train.en").write_text("x\ny\n", encoding="utf-8")
    with survives("corpus", "missing final newline"):
        pairs = list(_load(tmp_path).as_numpy_iterator())
    assert pairs == [(b"a", b"x"), (b"b", b"y")]


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_invalid_utf8_names_file_and_line(tmp_path, compress):
    good, bad = b"ein hund\nzwei\n", b"a dog\n\xff\xfe broken\n"
    suffix = ".gz" if compress else ""
    for lang, data in (("de", good), ("en", bad)):
        path = tmp_path / f"train.{lang}{suffix}"
        path.write_bytes(gzip.compress(data) if compress else data)
    with bad_input(
        "corpus",
        f"invalid UTF-8 ({'gzip' if compress else 'plain'})",
        f"train.en{suffix}, line 2",
        "invalid UTF-8",
    ):
        _load(tmp_path)


def test_damaged_gzip_is_a_clear_error(tmp_path):
    data = gzip.compress("".join(f"satz {i}\n" for i in range(2000)).encode())
    (tmp_path / "train.en.gz").write_bytes(
        gzip.compress("".join(f"line {i}\n" for i in range(2000)).encode())
    )
    (tmp_path / "train.de.gz").write_bytes(data[: len(data) // 2])  # truncated
    with bad_input("corpus", "truncated gzip", "cannot read", "train.de.gz"):
        _load(tmp_path)
    damaged = bytearray(data)
    damaged[40:60] = b"\x00" * 20  # garbage inside the deflate stream
    (tmp_path / "train.de.gz").write_bytes(bytes(damaged))
    with bad_input("corpus", "corrupted gzip", "cannot read", "train.de.gz"):
        _load(tmp_path)
    (tmp_path / "train.de.gz").write_bytes(b"not gzip at all\n")
    with bad_input("corpus", "not gzip", "cannot read", "train.de.gz"):
        _load(tmp_path)


def test_empty_and_missing_corpora(tmp_path):
    (tmp_path / "train.de").write_text("", encoding="utf-8")
    (tmp_path / "train.en").write_text("", encoding="utf-8")
    with bad_input("corpus", "empty corpus", "train.de", "is empty"):
        _load(tmp_path)
    (tmp_path / "val.de").write_text("nur eine Seite\n", encoding="utf-8")
    with bad_input("corpus", "one side missing", "no val corpus", "val.en"):
        _load(tmp_path, "val")
    with bad_input("corpus", "not a folder", str(tmp_path / "nowhere"), "neither"):
        _load(tmp_path / "nowhere")
    (tmp_path / "test.tsv").write_text("a\tb\nc\td\te\n", encoding="utf-8")
    with bad_input("corpus", "tsv with 2 tabs", "test.tsv, line 2", "2 tabs"):
        _load(tmp_path, "test")
    from translate.data import sources

    with bad_input("corpus", "same language twice", "'de'"):
        sources.load_parallel(os.fspath(tmp_path), "de", "de", "train")


def test_empty_and_overlong_pairs_are_filtered_and_counted(tiny_run, tmp_path):
    from translate.data.pipeline import training_batches
    from translate.data.tokenizer import SubwordTokenizer

    tokenizer = SubwordTokenizer.load(os.path.join(tiny_run["run_dir"], "tokenizer"))
    pairs = [
        ("ein hund .", "a dog ."),
        ("", "x"),
        ("y", ""),
        (" \t ", "z"),
        ("hund " * 50, "dog ."),
        ("die katze .", "the cat ."),
        ("\u200b", "w"),
    ]
    write_parallel(tmp_path, "train", pairs)
    with survives("corpus", "empty and over-long pairs"):
        _, counts = training_batches(
            _load(tmp_path),
            tokenizer,
            batch_size=4,
            max_length=20,
            bucket_width=4,
            shuffle_buffer=10,
            seed=1,
        )
    # "\u200b" normalizes to nothing, so it is an empty side too.
    assert (counts.kept, counts.empty, counts.too_long) == (2, 4, 1), counts
    assert "2 training pairs kept; dropped 4 with an empty side and 1 longer" in counts.describe()
    write_parallel(tmp_path, "train", [("", "x"), ("hund " * 50, "dog .")])
    with bad_input(
        "corpus", "nothing left after filtering", "no training pairs left", "max_length=20"
    ):
        training_batches(
            _load(tmp_path),
            tokenizer,
            batch_size=4,
            max_length=20,
            bucket_width=4,
            shuffle_buffer=10,
            seed=1,
        )
    # The trained run reported its own filter counts.
    assert (
        f"{TRAIN_PAIRS_KEPT} training pairs kept; dropped {TRAIN_PAIRS_EMPTY} with an empty "
        f"side and {TRAIN_PAIRS_LONG} longer"
    ) in tiny_run["log"]


def test_tokenizer_needs_text():
    from translate.data.tokenizer import SubwordTokenizer

    with bad_input("corpus", "blank corpus for the tokenizer", "no text"):
        SubwordTokenizer.train(["", "  "], ["\t", ""], vocab_size=300)


# Translating odd text -----------------------------------------------------------------

ODD_LINES = {
    "empty": "",
    "spaces": "   ",
    "tabs and newlines": "\t\n\r\x0b\x0c",
    "unicode spaces": "\u00a0\u2003\u3000\u2028",
    "control characters": "ein\x00hund\x07\x1b[31m läuft\x7f",
    "emoji": "ein 🐕 läuft 🏃‍♂️👍🏽",
    "chinese": "一只狗在公园里跑。",
    "arabic": "كلب يركض في الحديقة",
    "mixed scripts and combining marks": "Zoë ﬁndet Ⅻ Ｈｕｎｄｅ e\u0301\u0301\u0301",
    "zero-width": "\u200b\u200c\u200d\ufeff",
    "replacement characters": bytes(range(128, 256)).decode("utf-8", errors="replace"),
    "random bytes": random.Random(1).randbytes(300).decode("utf-8", errors="replace"),
    "lone surrogates": "hund \ud800 katze \udfff",
    "surrogate pair as two code units": "hund \ud83d\udc15",
    "surrogate-escaped bytes": b"hund \xff\xfe".decode("utf-8", errors="surrogateescape"),
    "private use and noncharacters": "\ue000\uf8ff\U0010fffd\ufffe\uffff",
    "one character": "x",
    "only punctuation": "?!.,;:-",
    "very long word": "Donaudampfschifffahrtsgesellschaftskapitän" * 20,
}


def _check_one_line_each(sources_in, translations):
    assert len(translations) == len(sources_in)
    for source, translation in zip(sources_in, translations):
        translation.source.encode("utf-8")  # valid Unicode out, whatever came in (else raises)
        assert translation.text == (translation.hypotheses[0] if translation.hypotheses else "")
        assert all("\n" not in h and "\r" not in h for h in translation.hypotheses)
        assert len(translation.text.splitlines()) <= 1


def test_odd_lines_are_translated_in_order(translator):
    names, lines = list(ODD_LINES), list(ODD_LINES.values())
    ordered = ["ein hund läuft ."] + lines + ["die katze ."]
    with survives("translate", "all odd lines in one batch"):
        translations = translator.translate(ordered)
    _check_one_line_each(ordered, translations)
    assert translations[0].source == ordered[0] and translations[-1].source == ordered[-1]
    for name, line, translation in zip(names, lines, translations[1:-1]):
        assert translation.source.replace("\ufffd", "") == line.encode(
            "utf-16", "surrogatepass"
        ).decode("utf-16", "replace").replace("\ufffd", ""), name
        if not line.strip():
            assert translation.text == "" and translation.hypotheses == [""], name
    for name, line in ODD_LINES.items():  # each alone too (same compiled search: no retracing)
        with survives("translate", name):
            alone = translator.translate([line])
        _check_one_line_each([line], alone)


def test_ten_thousand_characters_are_truncated_with_a_flag(translator):
    from translate.inference.translator import MAX_OUTPUT_TOKENS, MAX_SOURCE_TOKENS

    long_line = ("ein großer hund läuft im park mit einem roten ball . " * 200)[:10_000]
    with survives("translate", "10,000-character line"):
        short, long_, also_short = translator.translate(["ein hund .", long_line, "die katze ."])
    assert long_.truncated and not short.truncated and not also_short.truncated
    with survives("translate", "10,000-character line with attention"):
        detailed = translator.translate([long_line], with_attention=True)[0]
    assert len(detailed.target_pieces) <= MAX_OUTPUT_TOKENS
    assert len(detailed.source_pieces) == MAX_SOURCE_TOKENS
    assert detailed.source_pieces[-1] == "</s>"  # the cut source still ends like training data


def test_truncation_boundary_is_exact(translator):
    import tensorflow as tf

    from translate.inference.translator import MAX_SOURCE_TOKENS

    def length(k):
        return int(translator.tokenizer.encode_source(tf.constant(["x" * k])).row_lengths()[0])

    k = next(
        k
        for k in range(MAX_SOURCE_TOKENS - 10, MAX_SOURCE_TOKENS + 10)
        if length(k) == MAX_SOURCE_TOKENS
    )
    fits, too_long = translator.translate(["x" * k, "x" * (k + 1)])
    assert length(k + 1) == MAX_SOURCE_TOKENS + 1
    assert not fits.truncated and too_long.truncated


def test_line_breaks_and_bad_bytes_in_a_translation_stay_on_one_line(translator, monkeypatch):
    """Byte-fallback pieces can spell ``\\n`` or invalid UTF-8; the output stays one valid line."""
    import tensorflow as tf

    from translate.inference.translator import Translator

    spelled = b"a dog\nruns\r\n\xe2\x80\xa8 \xff."  # what the detokenizer gives, in the graph
    fresh = Translator(translator.model, translator.tokenizer, translator.decoding)  # own graphs
    monkeypatch.setattr(
        fresh.tokenizer,
        "decode_target",
        lambda ids: tf.fill(tf.shape(ids)[:1], tf.constant(spelled)),
    )
    with survives("translate", "newline and invalid UTF-8 in the model output"):
        translation = fresh.translate(["ein hund"], beam_size=1)[0]
    assert translation.text == "a dog runs \ufffd."


def test_translate_rejects_a_bare_string(translator):
    with pytest.raises(TypeError, match="sequence of strings"):
        translator.translate("ein hund")


def test_cli_keeps_line_count_and_warns_about_truncation(tiny_run, tmp_path, capsys):
    odd = [line for name, line in ODD_LINES.items() if name != "very long word"]
    lines = ["ein hund ."] + odd + ["x" * 10_000, "", "die katze ."]
    raw = b"".join(line.encode("utf-8", "surrogatepass") + b"\n" for line in lines)
    raw = raw.replace(b"\r", b" ").replace(b"\n\n", b"\nbad \xff\xfe\xc3 bytes\n", 1)
    long_number = raw.split(b"\n").index(b"x" * 10_000) + 1  # 1-based line number
    expected_lines = raw.count(b"\n")
    source = tmp_path / "in.txt"
    source.write_bytes(raw)
    out = tmp_path / "out.jsonl"
    with survives("cli", "translate -i FILE --format json"):
        status = cli.main(
            [
                "translate",
                "--model",
                tiny_run["run_dir"],
                "-i",
                str(source),
                "-o",
                str(out),
                "--format",
                "json",
                "--beam-size",
                "1",
            ]
        )
    err = capsys.readouterr().err
    assert status == 0, err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n")[:-1]]
    assert len(records) == expected_lines
    assert records[0]["source"] == "ein hund ." and records[-1]["source"] == "die katze ."
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: line {long_number} is longer than 256 subwords; "
        "only its beginning was translated"
    ], err

    # Standard input: undecodable bytes and stray carriage returns change no line count.
    stdin = io.TextIOWrapper(
        io.BytesIO(b"ein hund\r\n\xff\xfe\n\rkatze\r zwei\n\n"), encoding="utf-8"
    )
    with (
        mock.patch.object(sys, "stdin", stdin),
        survives("cli", "translate from stdin with bad bytes"),
    ):
        status = cli.main(["translate", "--model", tiny_run["run_dir"], "--beam-size", "1"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert captured.out.count("\n") == 4, captured.out


TRANSLATE_OPTION_CASES = [
    ("beam size 0", ["--beam-size", "0"], ["--beam-size", "got '0'"]),
    ("negative batch size", ["--batch-size", "-1"], ["--batch-size", "got '-1'"]),
    ("batch size 0", ["--batch-size", "0"], ["--batch-size", "got '0'"]),
    ("n-best over beam", ["--beam-size", "2", "--n-best", "3"], ["n-best", "got 3"]),
    ("missing input file", ["-i", "{tmp}/nope.txt"], ["cannot read", "nope.txt"]),
    ("output in a missing folder", ["-o", "{tmp}/no/such/out.txt"], ["cannot write", "out.txt"]),
    ("model dir missing", ["--model", "{tmp}/nowhere"], ["model directory not found", "nowhere"]),
]


@pytest.mark.parametrize(
    "name,options,expected", TRANSLATE_OPTION_CASES, ids=[c[0] for c in TRANSLATE_OPTION_CASES]
)
def test_cli_translate_option_errors(tiny_run, tmp_path, capsys, name, options, expected):
    options = [option.replace("{tmp}", str(tmp_path)) for option in options]
    model = [] if "--model" in options else ["--model", tiny_run["run_dir"]]
    with bad_input("cli", f"translate {name}", *expected):
        text = [] if "-i" in options else ["ein hund ."]  # text arguments win over -i
        status, _, err = _run_cli(["translate", *model, *options, *text], capsys)
        assert status == 2 and err.startswith("error: ") and "\n" not in err, (status, err)
        raise TranslateError(err)


# Property-based: any Unicode text -------------------------------------------------------

st = hypothesis.strategies
# st.text() never yields surrogates, whatever its alphabet; joined characters do.
_any_char = st.one_of(
    st.characters(),
    st.characters(categories=["Cs"]),  # lone surrogates (and, by chance, pairs)
    st.sampled_from(["\n", "\r", "\x00", "\x85", "\u2028", "\u2581", "\u200b", "\ufeff", "\ufffd"]),
)
any_text = st.lists(_any_char, max_size=60).map("".join)


@hypothesis.settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
@hypothesis.given(texts=st.lists(any_text, max_size=6))
def test_translate_never_raises_and_keeps_count(translator, texts):
    with survives("translate", "hypothesis text list"):
        translations = translator.translate(texts)
    _check_one_line_each(texts, translations)


@hypothesis.settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
@hypothesis.given(blob=st.binary(max_size=200))
def test_translate_random_bytes(translator, blob):
    text = blob.decode("utf-8", errors="replace")
    with survives("translate", "hypothesis random bytes"):
        translations = translator.translate(text.split("\n"))
    _check_one_line_each(text.split("\n"), translations)


def sentencepiece_normal_form(processor, text: str) -> str:
    """What a SentencePiece round trip gives back: its own ``normalize`` with spaces restored.

    The default ``nmt_nfkc`` rule is NFKC plus more: it drops most control
    characters, treats U+2581 as a space, collapses whitespace runs to one space
    and strips both ends. So NFKC with collapsed whitespace is only a close
    approximation (checked below on text without control characters).
    """
    return processor.normalize(text).replace("\u2581", " ").strip(" ")


@hypothesis.settings(max_examples=100, deadline=None, derandomize=True)
@hypothesis.given(text=st.text(max_size=80))
def test_tokenizer_round_trip_is_sentencepiece_normalization(translator, text):
    import sentencepiece as spm
    import tensorflow as tf

    tokenizer = translator.tokenizer
    processor = spm.SentencePieceProcessor(model_proto=tokenizer.target_model)
    with survives("tokenizer", "hypothesis round trip"):
        ids = tokenizer.encode_target(tf.constant([text]))
        back = tokenizer.decode_target(ids).numpy()[0].decode("utf-8")
    assert back == processor.decode(processor.encode(text))
    assert back == sentencepiece_normal_form(processor, text)
    if (
        all(unicodedata.category(c)[0] not in "CZ" or c == " " for c in text)
        and "\u2581" not in text
    ):
        assert back == " ".join(unicodedata.normalize("NFKC", text).split())


# Damaged artifacts ---------------------------------------------------------------------


def _load_translator(run_dir):
    from translate.inference.translator import Translator

    return Translator.load(run_dir)


def test_truncated_and_corrupted_model_files(tiny_run, tmp_path):
    run_dir = _copy_run(tiny_run, tmp_path)
    model = os.path.join(run_dir, "model.keras")
    original = open(model, "rb").read()
    with open(model, "wb") as handle:
        handle.write(original[: len(original) // 2])
    with bad_input("artifact", "truncated model.keras", model):
        _load_translator(run_dir)
    with open(model, "wb") as handle:
        handle.write(b"")
    with bad_input("artifact", "empty model.keras", model):
        _load_translator(run_dir)
    # Damage the weights inside an otherwise intact archive.
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    weights = next(name for name in members if name.endswith(".h5"))
    members[weights] = members[weights][:2048] + os.urandom(len(members[weights]) - 2048)
    with zipfile.ZipFile(model, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with bad_input("artifact", "model.keras with damaged weights", model):
        _load_translator(run_dir)
    with zipfile.ZipFile(model, "w") as archive:
        archive.writestr("config.json", "{not json")
    with bad_input("artifact", "model.keras with damaged config", model):
        _load_translator(run_dir)
    os.remove(model)
    with bad_input("artifact", "model.keras missing", "missing model.keras"):
        _load_translator(run_dir)


def test_model_loading_is_safe_mode(tiny_run, tmp_path):
    import keras

    from translate.inference import translator as translator_module

    run_dir = _copy_run(tiny_run, tmp_path)
    model = os.path.join(run_dir, "model.keras")
    calls = []
    real = keras.models.load_model

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    with mock.patch.object(keras.models, "load_model", spy):
        translator_module.load_model(model)
    assert calls and all(call.get("safe_mode") is True for call in calls)

    # A model with a Lambda layer (arbitrary Python bytecode) is refused, never run.
    marker = tmp_path / "lambda-ran"
    lambda_model = keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Lambda(lambda x, path=str(marker): (open(path, "w").close(), x)[1]),
        ]
    )
    os.remove(model)
    lambda_model.save(model)
    marker.unlink(missing_ok=True)  # building the model above ran the lambda once
    with bad_input("artifact", "model.keras holding a Lambda layer", model):
        _load_translator(run_dir)
    with pytest.raises(ValueError, match="(?i)lambda|safe_mode"):
        keras.models.load_model(model, safe_mode=True)  # what the check stands in front of
    assert not marker.exists()


def test_damaged_tokenizer_and_config_in_run_dir(tiny_run, tmp_path):
    run_dir = _copy_run(tiny_run, tmp_path)
    tokenizer = os.path.join(run_dir, "tokenizer", "joint.model")
    with open(tokenizer, "wb") as handle:
        handle.write(b"\x00garbage" * 10)
    with bad_input("artifact", "damaged tokenizer model", tokenizer, "not a SentencePiece model"):
        _load_translator(run_dir)
    os.remove(tokenizer)
    with open(os.path.join(run_dir, "tokenizer", "source.model"), "wb") as handle:
        handle.write(
            open(os.path.join(tiny_run["run_dir"], "tokenizer", "joint.model"), "rb").read()
        )
    with bad_input("artifact", "source tokenizer without target", "target.model"):
        _load_translator(run_dir)
    config = os.path.join(run_dir, "config.yaml")
    with open(config, "w", encoding="utf-8") as handle:
        handle.write("model:\n  units: [\n")
    with bad_input("artifact", "damaged config.yaml", config, "not valid YAML"):
        _load_translator(run_dir)
    with bad_input("artifact", "run dir missing", "model directory not found"):
        _load_translator(os.path.join(tmp_path, "nowhere"))


STATE_DAMAGE = [
    ("not JSON", b'{"epoch": 3,', ["damaged training state"]),
    ("empty", b"", ["damaged training state"]),
    ("a list", b"[1, 2]", ["expected a JSON object"]),
    ("unknown field", b'{"epoch": 1, "colour": "red"}', ["unknown field 'colour'"]),
    ("wrong type", b'{"epoch": "three"}', ["field 'epoch' is 'three'"]),
    ("bool for int", b'{"step": true}', ["field 'step' is True"]),
    ("not UTF-8", b'{"stop_reason": "\xff"}', ["damaged training state"]),
]


@pytest.mark.parametrize("name,content,expected", STATE_DAMAGE, ids=[c[0] for c in STATE_DAMAGE])
def test_damaged_state_json_is_a_clear_error(tiny_run, tmp_path, name, content, expected):
    from translate.training.train import train

    run_dir = _copy_run(tiny_run, tmp_path)
    state = os.path.join(run_dir, "checkpoint", "state.json")
    with open(state, "wb") as handle:
        handle.write(content)
    with bad_input("artifact", f"state.json {name}", state, *expected):
        train(load_config(os.path.join(run_dir, "config.yaml")), run_dir)


def test_damaged_checkpoint_weights_are_a_clear_error(tiny_run, tmp_path):
    from translate.training.train import train

    run_dir = _copy_run(tiny_run, tmp_path)
    weights = os.path.join(run_dir, "checkpoint", "last.weights.h5")
    with open(weights, "r+b") as handle:
        handle.truncate(os.path.getsize(weights) // 3)
    # A raised step limit: the finished run resumes, from the damaged checkpoint.
    config = load_config(os.path.join(run_dir, "config.yaml"), ["training.max_steps=6"])
    with (
        bad_input(
            "artifact", "truncated checkpoint weights", weights, "cannot load the checkpoint"
        ),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        train(config, run_dir)


# Disks --------------------------------------------------------------------------------


def test_unwritable_run_dir_fails_before_training(tiny_run, tmp_path):
    from translate.training.train import train

    config = load_config(tiny_run["config"])
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    with bad_input("disk", "run dir below a file", str(blocker / "run"), "not writable"):
        train(config, str(blocker / "run"))
    with bad_input("disk", "run dir is a file", str(blocker), "is a file"):
        train(config, str(blocker))
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with bad_input("disk", "read-only parent", "not writable", "Permission denied"):
            train(config, str(locked / "run"))


def test_full_disk_fails_before_training(tiny_run, tmp_path):
    from translate.runs import rundir
    from translate.training import train as training

    run_dir = tmp_path / "run"
    usage = shutil.disk_usage(tmp_path)
    tiny = usage._replace(free=1_000_000)
    with (
        mock.patch.object(rundir.shutil, "disk_usage", return_value=tiny),
        bad_input(
            "disk", "not enough disk space", str(run_dir), "not enough free disk space", "1 MB free"
        ),
    ):
        training.train(load_config(tiny_run["config"]), str(run_dir))
    assert os.listdir(run_dir) == []  # stopped before writing anything


def test_disk_full_during_a_save_keeps_the_previous_checkpoint(tiny_run, tmp_path):
    from translate.inference.translator import load_model
    from translate.runs.rundir import RunDir
    from translate.training.state import TrainingState

    run_dir = _copy_run(tiny_run, tmp_path)
    weights = os.path.join(run_dir, "checkpoint", "last.weights.h5")
    state = os.path.join(run_dir, "checkpoint", "state.json")
    before = (_sha(weights), _sha(state))
    model = load_model(os.path.join(run_dir, "model.keras"))

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    new_state = dataclasses.replace(TrainingState(), epoch=4, step=99)
    with (
        mock.patch.object(type(model), "save_weights", no_space),
        bad_input(
            "disk",
            "ENOSPC while saving the checkpoint",
            "No space left on device",
            "previous checkpoint is kept",
        ),
    ):
        RunDir(run_dir).save_checkpoint(model, new_state)
    with (
        mock.patch.object(type(model), "save", no_space),
        bad_input("disk", "ENOSPC while saving model.keras", "model.keras", "No space left"),
    ):
        RunDir(run_dir).save_model(model)
    assert (_sha(weights), _sha(state)) == before
    _load_translator(run_dir)  # still a working run directory


# Outputs: every file written whole or not at all --------------------------------------
#
# Each case that may touch an output passes it as ``keeps``: the previous file must be
# byte-identical afterwards with no temporary beside it (``lost_bytes`` in the report).

PREVIOUS = "previous output, kept byte for byte\n"


def _previous(path) -> str:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(PREVIOUS)
    return str(path)


def _one_error_line(status, err) -> str:
    """Checks a failed command (status 2, one ``error:`` line, no traceback); returns the line."""
    assert status == 2 and "Traceback" not in err, (status, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


NUMERIC_OPTION_CASES = [
    ("translate", "--beam-size", "0", ">= 1"),
    ("translate", "--beam-size", "-1", ">= 1"),
    ("translate", "--beam-size", "1.5", "an integer"),
    ("translate", "--beam-size", "inf", "an integer"),
    ("translate", "--n-best", "0", ">= 1"),
    ("translate", "--n-best", "nan", "an integer"),
    ("translate", "--batch-size", "0", ">= 1"),
    ("translate", "--length-penalty", "nan", "finite"),
    ("translate", "--length-penalty", "-5", ">= 0"),
    ("translate", "--length-penalty", "inf", "finite"),
    ("translate", "--coverage-penalty", "nan", "finite"),
    ("translate", "--coverage-penalty", "-0.5", ">= 0"),
    ("translate", "--length-penalty", "x", "a number"),
    ("evaluate", "--limit", "-1", ">= 0"),
    ("evaluate", "--limit", "nan", "an integer"),
    ("evaluate", "--limit", "2.5", "an integer"),
    ("evaluate", "--plots", "-1", ">= 0"),
    ("evaluate", "--beam-size", "0", ">= 1"),
    ("evaluate", "--length-penalty=", "-inf", "finite"),
    ("evaluate", "--batch-size", "-8", ">= 1"),
    ("export", "--version", "0", ">= 1"),
    ("export", "--version", "-3", ">= 1"),
    ("export", "--beam-size", "0", ">= 1"),
    ("average", "--last", "0", ">= 1"),
    ("average", "--last", "inf", "an integer"),
]


@pytest.mark.parametrize(
    "command,option,value,rule",
    NUMERIC_OPTION_CASES,
    ids=[f"{c[0]} {c[1]} {c[2]}" for c in NUMERIC_OPTION_CASES],
)
def test_numeric_options_are_checked_before_any_work(
    tmp_path, capsys, command, option, value, rule
):
    option = option.rstrip("=")  # --option=-inf: argparse takes -inf alone for an option
    argv = [command, "--model", str(tmp_path / "never-read"), f"{option}={value}"]
    argv += ["--out", str(tmp_path / "out")] if command == "export" else []
    with bad_input("cli option", f"{command} {option} {value}", option, repr(value), rule):
        status, out, err = _run_cli(argv, capsys)
        raise TranslateError(_one_error_line(status, err))
    assert not (tmp_path / "out").exists()


@pytest.fixture()
def out_dir(tmp_path):
    folder = tmp_path / "outputs"
    folder.mkdir()
    return folder


def _translate(run_dir, *options):
    return ["translate", "--model", run_dir, "--beam-size", "1", *options]


@pytest.fixture()
def shared_translators(translator, random_translator, tiny_run, random_run, monkeypatch):
    """The commands below take the session's translators instead of loading their own.

    Each command gets a shallow copy (its search settings are its own; the model
    and the compiled graphs are shared), which saves seconds of loading per command.
    """
    import copy

    from translate.inference import evaluation

    by_run = {tiny_run["run_dir"]: translator, random_run: random_translator}

    def load(run_dir, config=None):
        return copy.copy(by_run[os.fspath(run_dir)])

    monkeypatch.setattr(cli, "_load_translator", lambda args: load(args.model[0]))
    monkeypatch.setattr(evaluation.Translator, "load", staticmethod(load))
    return by_run


def test_unwritable_translation_outputs(shared_translators, tiny_run, out_dir, capsys):
    run = tiny_run["run_dir"]
    blocker = out_dir / "a-file"
    blocker.write_text("", encoding="utf-8")
    (out_dir / "folder").mkdir()
    cases = [
        ("-o in a missing folder", str(out_dir / "no" / "out.txt"), ["no folder"]),
        ("-o below a file", str(blocker / "out.txt"), ["is not a folder"]),
        ("-o is a folder", str(out_dir / "folder"), ["it is a folder"]),
        ("-o /dev/full", "/dev/full", ["No space left on device"]),
    ]
    for name, path, expected in cases:
        with bad_input("output", f"translate {name}", "cannot write", path, *expected):
            status, _, err = _run_cli(_translate(run, "-o", path, "Ein Hund."), capsys)
            raise TranslateError(_one_error_line(status, err))
    assert sorted(p.name for p in out_dir.iterdir()) == ["a-file", "folder"]


def test_a_write_error_in_mid_file_keeps_the_previous_output(
    tiny_run, out_dir, capsys, monkeypatch
):
    output = _previous(out_dir / "out.txt")

    def half_then_full_disk(out, translator, options, args):
        out.write("half of the translations\n")
        out.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(cli, "_translate_to", half_then_full_disk)
    with bad_input(
        "output",
        "ENOSPC in mid-translation",
        "cannot write",
        "out.txt",
        "No space left on device",
        "previous file is kept",
        keeps=output,
    ):
        status, _, err = _run_cli(_translate(tiny_run["run_dir"], "-o", output, "x"), capsys)
        raise TranslateError(_one_error_line(status, err))


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_interrupted_translation_keeps_the_previous_output(
    shared_translators, tiny_run, out_dir, capsys, monkeypatch, signal_name
):
    """The signal arrives in mid-translation: the real handler runs (SIGTERM's is the CLI's)."""
    import signal

    output = _previous(out_dir / "out.txt")
    source = out_dir / "in.de"
    source.write_text("Ein Hund.\nEin Kind.\n", encoding="utf-8")
    translator = cli._load_translator(build_parser().parse_args(_translate(tiny_run["run_dir"])))
    real_stream = type(translator).translate_stream  # a copy: patched for this test only

    def stream_then_signal(self, lines, **options):
        for number, translation in enumerate(real_stream(self, lines, **options)):
            yield translation
            if number == 0:
                os.kill(os.getpid(), getattr(signal, signal_name))

    monkeypatch.setattr(type(translator), "translate_stream", stream_then_signal)
    monkeypatch.setattr(cli, "_load_translator", lambda args: translator)
    # Ctrl-C's usual handler, even where this test runs with SIGINT ignored (a background job).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    argv = _translate(tiny_run["run_dir"], "-i", str(source), "-o", output)
    try:
        with survives("output", f"{signal_name} in mid-translation", keeps=output):
            status, _, err = _run_cli(argv, capsys)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert status == (130 if signal_name == "SIGINT" else 143), err
    assert err.splitlines()[-1] == f"interrupted; {output} was left as it was", err
    assert signal.getsignal(signal.SIGTERM) is not interrupts._handle  # handler restored


def test_the_input_is_never_the_outputs_temporary(shared_translators, tiny_run, out_dir, capsys):
    """``-i out.tmp.txt -o out.txt``: the temporary of out.txt takes another name."""
    source = out_dir / "out.tmp.txt"
    source.write_text("Ein Hund.\nEin Kind.\n", encoding="utf-8")
    before = source.read_bytes()
    output = out_dir / "out.txt"
    argv = _translate(tiny_run["run_dir"], "-i", str(source), "-o", str(output))
    with survives("output", "input named as the output's temporary"):
        status, _, err = _run_cli(argv, capsys)
    assert status == 0, err
    assert source.read_bytes() == before
    assert output.read_text(encoding="utf-8").count("\n") == 2
    assert sorted(p.name for p in out_dir.iterdir()) == ["out.tmp.txt", "out.txt"]


class _ClosedStream(io.TextIOBase):
    """A standard output whose writes fail like a closed pipe or a full disk."""

    def __init__(self, error: OSError):
        self.error = error

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise self.error

    def flush(self) -> None:
        raise self.error


def test_closed_pipe_and_full_standard_output(shared_translators, tiny_run, capsys, monkeypatch):
    argv = _translate(tiny_run["run_dir"], "Ein Hund.", "Ein Kind.")
    monkeypatch.setattr(sys, "stdout", _ClosedStream(BrokenPipeError(errno.EPIPE, "Broken pipe")))
    with survives("output", "standard output closed (| head)"):
        status = cli.main(argv)
    assert status == 141 and capsys.readouterr().err == ""  # quiet, like cat
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(sys, "stdout", _ClosedStream(full))
    with bad_input("output", "standard output full", "cannot write standard output", "No space"):
        status = cli.main(argv)
        raise TranslateError(_one_error_line(status, capsys.readouterr().err))


@pytest.mark.slow  # draws with matplotlib after compiling the attention graph: ~7 s
def test_attention_plot_errors_come_before_any_output(
    shared_translators, random_run, out_dir, capsys
):
    output = _previous(out_dir / "out.txt")
    plot = _previous(out_dir / "attention.png")
    for name, path, expected in [
        ("unsupported --attention-plot extension", out_dir / "a.xyz", "'xyz' is not supported"),
        ("--attention-plot in a missing folder", out_dir / "no" / "a.png", "no folder"),
    ]:
        argv = _translate(random_run, "-o", output, "--attention-plot", str(path), "Ein Hund.")
        with bad_input("output", name, str(path), expected, keeps=output):
            status, _, err = _run_cli(argv, capsys)
            raise TranslateError(_one_error_line(status, err))
    argv = _translate(random_run, "--attention-plot", plot, "Ein Hund sieht einen Ball.")
    with survives("output", "attention plot replaces the previous image"):
        status, _, err = _run_cli(argv, capsys)
    assert status == 0, err
    with open(plot, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in out_dir.iterdir()) == ["attention.png", "out.txt"]


def test_an_empty_first_translation_skips_its_plot_with_a_warning(
    shared_translators, tiny_run, out_dir, capsys, monkeypatch
):
    """No attention to draw (an empty translation): no plot, but every line is translated."""
    import numpy as np

    from translate.inference.translator import Translation, Translator

    def empty(self, texts, with_attention=False, **options):
        attention = np.zeros((0, 3), np.float32) if with_attention else None
        return [Translation(text, [""], [0.0], attention=attention) for text in texts]

    monkeypatch.setattr(Translator, "translate", empty)
    plot, output = out_dir / "a.png", out_dir / "out.txt"
    argv = _translate(tiny_run["run_dir"], "--attention-plot", str(plot), "-o", str(output))
    with survives("output", "attention plot of an empty translation"):
        status, _, err = _run_cli([*argv, "Ein Hund.", "Ein Kind."], capsys)
    assert status == 0 and err.startswith("warning: no attention plot"), err
    assert output.read_text(encoding="utf-8").count("\n") == 2 and not plot.exists()


def _evaluate(run_dir, *options):
    return ["evaluate", "--model", run_dir, "--beam-size", "1", *options]


@pytest.mark.slow  # four evaluations: ~7 s
def test_a_limited_evaluation_never_replaces_the_full_one(
    shared_translators, random_run, random_translator, tmp_path, capsys
):
    run_dir = shutil.copytree(random_run, tmp_path / "run")
    shared_translators[str(run_dir)] = random_translator
    status, out, err = _run_cli(_evaluate(str(run_dir)), capsys)
    assert status == 0, err
    full = run_dir / "test.beam1.lp1.hyp"
    assert f"hypotheses in {full}" in out and full.read_text(encoding="utf-8").count("\n") == 12
    for options in (["--limit", "3"], ["--length-penalty", "0.5"], ["--limit", "0"]):
        with survives("output", f"evaluate {' '.join(options)} after a full one", keeps=full):
            status, out, err = _run_cli(_evaluate(str(run_dir), *options), capsys)
        assert status == 0, err
    names = sorted(p.name for p in run_dir.glob("*.hyp"))
    assert names == ["test.beam1.lp0.5.hyp", "test.beam1.lp1.first3.hyp", "test.beam1.lp1.hyp"]
    assert "hypotheses in " + str(run_dir / "test.beam1.lp1.first3.hyp") not in out


def test_unwritable_evaluation_outputs_fail_before_translating(
    random_run, tmp_path, capsys, monkeypatch
):
    from translate.inference import evaluation

    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    previous = _previous(tmp_path / "scores.json")
    monkeypatch.setattr(evaluation.Translator, "load", mock.Mock(side_effect=AssertionError))
    cases = [
        ("--attention-plots below a file", ["--attention-plots", str(blocker / "plots")]),
        ("--attention-plots is a file", ["--attention-plots", str(blocker)]),
        ("--json is a folder", ["--json", str(tmp_path / "folder")]),
        ("--json below a file", ["--json", str(blocker / "s.json")]),
        ("--hypotheses is a folder", ["--hypotheses", str(tmp_path / "folder")]),
        ("--hypotheses below a file", ["--hypotheses", str(blocker / "no" / "h.txt")]),
    ]
    for name, options in cases:
        with bad_input("output", f"evaluate {name}", options[0], options[1], keeps=previous):
            status, _, err = _run_cli(_evaluate(random_run, *options), capsys)
            raise TranslateError(_one_error_line(status, err))


@pytest.fixture()
def snapshot_run(random_run, random_translator, tmp_path):
    """A copy of the random run with weight snapshots of epochs 1-3."""
    from translate.runs.rundir import RunDir

    run = RunDir(shutil.copytree(random_run, tmp_path / "run"))
    for epoch in (1, 2, 3):
        run.save_snapshot(random_translator.model, epoch, keep=3)
    return run


def _damage(path, how: str) -> None:
    data = open(path, "rb").read()
    with open(path, "wb") as handle:
        handle.write(
            {
                "truncated": data[: len(data) // 2],
                "empty": b"",
                "not a zip": b"not a zip file at all",
                "zip of text": _zip_of_text(),
                "one byte changed": data[:100] + bytes([data[100] ^ 0xFF]) + data[101:],
            }[how]
        )


def _zip_of_text() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "no arrays here")
    return buffer.getvalue()


@pytest.mark.slow  # six averages, each loading and saving a model: ~5 s
def test_average_over_damaged_snapshots_names_the_file_and_keeps_the_previous(snapshot_run, capsys):
    out = os.path.join(snapshot_run.path, "averaged")
    status, stdout, err = _run_cli(
        ["average", "--model", snapshot_run.path, "--last", "2"]
        + [
            "--out",
            out,
        ],
        capsys,
    )
    assert status == 0, err
    model = os.path.join(out, "model.keras")
    newest = snapshot_run.snapshot_file(3)
    pristine = open(newest, "rb").read()
    for how in ("truncated", "empty", "not a zip", "zip of text", "one byte changed"):
        with open(newest, "wb") as handle:
            handle.write(pristine)
        _damage(newest, how)
        argv = ["average", "--model", snapshot_run.path, "--last", "2", "--out", out]
        with bad_input("output", f"average over a {how} snapshot", newest, keeps=model):
            status, _, err = _run_cli(argv, capsys)
            raise TranslateError(_one_error_line(status, err))
    assert sorted(os.listdir(out)) == ["config.yaml", "model.keras", "tokenizer"]


def test_average_refuses_outputs_it_would_destroy(snapshot_run, tmp_path, capsys):
    others = tmp_path / "my-files"
    others.mkdir()
    keep = _previous(others / "notes.txt")
    cases = [
        ("a folder of other files", str(others), ["other files"]),
        ("the folder holding the run", str(tmp_path), ["must differ", "not hold it"]),
        ("the run itself", snapshot_run.path, ["must differ"]),
    ]
    for name, out, expected in cases:
        argv = ["average", "--model", snapshot_run.path, "--last", "2", "--out", out]
        with bad_input("output", f"average --out {name}", out, *expected, keeps=keep):
            status, _, err = _run_cli(argv, capsys)
            raise TranslateError(_one_error_line(status, err))


def test_export_to_an_unwritable_folder_fails_before_loading(random_run, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    argv = ["export", "--model", random_run, "--out", str(blocker / "exports")]
    with bad_input("output", "export --out below a file", "cannot write", str(blocker)):
        status, _, err = _run_cli(argv, capsys)
        raise TranslateError(_one_error_line(status, err))


def test_a_second_training_on_a_locked_run_dir_is_refused_naming_the_pid(
    tiny_run, tmp_path, capsys
):
    from translate.runs.rundir import RunDir

    run_dir = _copy_run(tiny_run, tmp_path)
    argv = ["train", "--config", tiny_run["config"], "--run-dir", run_dir]
    with (
        RunDir(run_dir).lock(),
        bad_input("train", "second training on a locked run directory", run_dir, str(os.getpid())),
    ):
        status, _, err = _run_cli(argv, capsys)
        raise TranslateError(_one_error_line(status, err))


# The same in real processes ----------------------------------------------------------


def _command(*argv) -> list[str]:
    return [sys.executable, "-m", "translate", *argv]


def _environment(**extra) -> dict:
    env = {**os.environ, **extra}
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # the command sets its own
    return env


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_a_killed_translation_process_leaves_the_previous_output(random_run, tmp_path, signal_name):
    """The signal comes once the first block of translations is in the temporary file."""
    import signal
    import time

    source = tmp_path / "in.de"
    source.write_text("Ein Mann fährt ein rotes Auto im Park.\n" * 5_000, encoding="utf-8")
    output = _previous(tmp_path / "out.txt")
    temporary = tmp_path / "out.tmp.txt"
    argv = _translate(random_run, "-i", str(source), "-o", output)
    with survives("output", f"{signal_name} to a translating process", keeps=output):
        process = subprocess.Popen(
            _command(*argv),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_environment(),
            # Ctrl-C's usual disposition, even where the tests run as a background job
            # (which starts with SIGINT ignored, and passes that on).
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        deadline = time.monotonic() + 240
        while not (temporary.exists() and temporary.stat().st_size) and process.poll() is None:
            assert time.monotonic() < deadline, "no translation was written"
            time.sleep(0.1)
        process.send_signal(getattr(signal, signal_name))
        _, err = process.communicate(timeout=120)
        err = err.decode("utf-8")
        assert "Traceback" not in err, err
        expected = 130 if signal_name == "SIGINT" else -signal.SIGTERM
        assert process.returncode == expected, (process.returncode, err)
        assert err.strip().splitlines()[-1] == f"interrupted; {output} was left as it was", err


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly_in_a_real_process(tiny_run, tmp_path):
    source = tmp_path / "in.de"
    source.write_text("Ein Hund.\n" * 3000, encoding="utf-8")
    argv = _translate(tiny_run["run_dir"], "-i", str(source))
    with survives("output", "translate | head -1 in a real process"):
        process = subprocess.Popen(
            _command(*argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_environment()
        )
        process.stdout.readline()
        process.stdout.close()  # what head does after its line
        err = process.stderr.read().decode("utf-8")
        process.wait(timeout=240)
        assert err == "" and process.returncode == 141, (process.returncode, err)


@pytest.mark.slow
def test_full_disk_outputs_in_a_real_process(tiny_run):
    for name, extra in [("-o /dev/full", ["-o", "/dev/full"]), ("> /dev/full", [])]:
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                _command(*_translate(tiny_run["run_dir"], *extra, "Ein Hund.")),
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                timeout=240,
                env=_environment(),
            )
        with bad_input("output", f"{name} in a real process", "cannot write", "No space left"):
            raise TranslateError(_one_error_line(result.returncode, result.stderr))


@pytest.mark.slow
def test_tensorflow_start_up_messages_only_with_verbose(tiny_run):
    chatter = ("cuInit", "oneDNN", "absl", "cuda", "I0000", "E0000", "W0000")
    for verbose in ([], ["--verbose"]):
        result = subprocess.run(
            _command(*verbose, *_translate(tiny_run["run_dir"], "Ein Hund.")),
            capture_output=True,
            text=True,
            timeout=240,
            env=_environment(),
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.count("\n") == 1
        noisy = [line for line in result.stderr.splitlines() if any(c in line for c in chatter)]
        if verbose:
            assert noisy, result.stderr  # TensorFlow's own lines are shown when asked for
        else:
            assert result.stderr == "", result.stderr
