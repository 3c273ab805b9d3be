"""Bad configs get one clear answer: one line naming the file, line, key or value.

* Config files: unknown keys (with "did you mean"), wrong types, values out of
  range, unknown choices, keys that disagree, and everything YAML can say that a
  config must not (duplicate keys, anchors, aliases, merge keys, tags, non-name
  keys, deep nesting, base-60 numbers, several documents, long lines, ...) are
  refused with one short line naming the file, the line and the key. Python tags
  are never executed.
* Odd but meaningful YAML loads as written.
* ``--set`` overrides: an error names the ``--set`` argument, not the file.

Every case goes through ``bad_input`` or ``survives`` of ``helpers.py``, which
record it; with env ``ROBUSTNESS_CASES=FILE`` the record is written there at the
end of the session (``benchmarks/robustness_report.py`` counts it).
"""

from __future__ import annotations

import pytest
from helpers import (
    bad_input,
    survives,
)

from translate import TranslateError
from translate.config.schema import load_config
from translate.config.strict_yaml import MAX_BYTES

# Every message of a refused config stays this short, whatever the input.
MAX_MESSAGE = 300


# Config files -------------------------------------------------------------------------


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


# (case, YAML text, parts the message must name besides the file). Each names the line.
YAML_CASES = [
    ("duplicate key", "training:\n  epochs: 3\n  epochs: 4\n", ["line 3", "training.epochs"]),
    ("duplicate section", "training:\n  seed: 1\ntraining:\n  seed: 2\n", ["line 3", "training"]),
    ("anchor", "training:\n  epochs: &n 3\n", ["line 2", "training.epochs", "anchor"]),
    (
        "alias",
        "training:\n  epochs: 3\n  warmup_steps: *n\n",
        ["line 3", "training.warmup_steps", "alias"],
    ),
    ("merge key", "training:\n  <<: {epochs: 3}\n", ["line 2", "<<", "training"]),
    ("binary tag", "data:\n  source: !!binary aGVsbG8=\n", ["line 2", "data.source", "!!binary"]),
    ("set tag", "data:\n  source: !!set {a, b}\n", ["line 2", "data.source", "!!set"]),
    ("timestamp tag", "training:\n  seed: !!timestamp 2024-01-01\n", ["line 2", "!!timestamp"]),
    ("custom tag", "data:\n  source: !path corpus\n", ["line 2", "data.source", "!path"]),
    (
        "python tag in a key",
        "training:\n  epochs: !!python/object/apply:os.getpid []\n",
        ["line 2", "training.epochs", "python/object/apply"],
    ),
    ("integer key", "training:\n  1: 3\n", ["line 2", "key 1", "training"]),
    ("null key", "training:\n  null: 3\n", ["line 2", "key null"]),
    ("boolean key", "yes:\n  epochs: 3\n", ["line 1", "key yes"]),
    ("list key", "training:\n  ? [a]\n  : 3\n", ["line 2", "not a name"]),
    ("deep nesting", "training:\n  epochs: " + "[" * 200 + "]" * 200 + "\n", ["line 2", "deeply"]),
    (
        "deep nesting over many lines",
        "training:\n  epochs:\n" + "".join(" " * 4 + "[\n" for _ in range(5000)),
        ["line 6", "deeply", "training.epochs"],
    ),
    ("NaN", "training:\n  learning_rate: .nan\n", ["line 2", "training.learning_rate", "finite"]),
    ("infinity for int", "training:\n  epochs: .inf\n", ["line 2", "training.epochs", "int"]),
    ("yes for int", "training:\n  batch_size: yes\n", ["line 2", "training.batch_size", "boolean"]),
    ("on for str", "data:\n  source: on\n", ["line 2", "data.source", "boolean"]),
    ("no for a language", "data:\n  src_lang: no\n", ["line 2", "data.src_lang", "quote"]),
    (
        "date for int",
        "training:\n  seed: 2024-01-01\n",
        ["line 2", "training.seed", "'2024-01-01'"],
    ),
    ("null for int", "training:\n  epochs:\n", ["line 2", "training.epochs", "got null"]),
    ("tilde for float", "training:\n  clip_norm: ~\n", ["line 2", "training.clip_norm", "null"]),
    ("base 60 number", "training:\n  max_minutes: 1:30\n", ["line 2", "max_minutes", "90"]),
    ("octal number", "training:\n  seed: 010\n", ["line 2", "training.seed", "8"]),
    ("huge integer", "training:\n  epochs: " + "9" * 400 + "\n", ["line 2", "at most"]),
    ("two documents", "training:\n  epochs: 3\n---\nmodel: {}\n", ["line 3", "document"]),
    ("scalar document", "just text\n", ["line 1", "mapping"]),
    ("list document", "- training\n", ["line 1", "mapping"]),
    ("tab indentation", "training:\n\tepochs: 3\n", ["line 2", "not valid YAML"]),
    ("tab after a colon", "training:\n  epochs:\t3\n", ["line 2", "not valid YAML"]),
    ("long line", "data:\n  source: " + "x" * 100_000 + "\n", ["line 2", "characters long"]),
    ("long value", "data:\n  tokenizer_type: " + "x" * 900 + "\n", ["line 2", "tokenizer_type"]),
    ("long key", "training:\n  " + "k" * 900 + ": 3\n", ["line 2", "unknown config key"]),
    ("key with line break", 'training:\n  "a\\nb": 3\n', ["line 2", "unknown config key"]),
    ("control character", "data:\n  source: \x07\n", ["line 2", "U+0007"]),
    ("BOM inside", "training:\n  epochs: 3\ufeff\n", ["line 2"]),
    ("unknown key on its line", "data:\n  vocab_size: 8\n  vocab: 9\n", ["line 3", "data.vocab"]),
    ("bad choice on its line", "model:\n\n  attention: dot\n", ["line 3", "model.attention"]),
]


@pytest.mark.parametrize("name,text,expected", YAML_CASES, ids=[c[0] for c in YAML_CASES])
def test_config_yaml_a_config_must_not_use_is_refused(tmp_path, name, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with bad_input("config", name, f"{path}, ", *expected):
        try:
            load_config(path)
        except TranslateError as error:
            assert len(str(error)) <= MAX_MESSAGE, str(error)
            raise


def test_config_file_too_large_is_refused_without_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("# padding\n" * (MAX_BYTES // 10 + 10), encoding="utf-8")
    with bad_input("config", "file over 1 MiB", str(path), "larger than"):
        load_config(path)


# Odd but meaningful YAML that must load as written.
GOOD_CASES = [
    ("leading BOM", "\ufefftraining:\n  epochs: 3\n", ("training", "epochs"), 3),
    ("date for a folder", "data:\n  dir: 2024-01-01\n", ("data", "dir"), "2024-01-01"),
    ("exponent float", "training:\n  learning_rate: 3e-4\n", ("training", "learning_rate"), 3e-4),
    ("on for a switch", "training:\n  cpu_kernels: on\n", ("training", "cpu_kernels"), "on"),
    ("yes for a bool", "model:\n  input_feeding: no\n", ("model", "input_feeding"), False),
    ("explicit str tag", "data:\n  src_lang: !!str de\n", ("data", "src_lang"), "de"),
    ("empty section", "training:\ndata:\n  src_lang: de\n", ("data", "src_lang"), "de"),
    ("comments only", "# nothing here\n", ("training", "epochs"), 20),
]


@pytest.mark.parametrize("name,text,key,value", GOOD_CASES, ids=[c[0] for c in GOOD_CASES])
def test_config_odd_but_meaningful_yaml_loads(tmp_path, name, text, key, value):
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    with survives("config", name):
        config = load_config(path)
    assert getattr(getattr(config, key[0]), key[1]) == value


SET_CASES = [
    ("--set wrong type", "training.batch_size=abc", ["must be int", "'abc'"]),
    ("--set anchor", "training.epochs=&a 3", ["anchor", "training.epochs"]),
    ("--set tag", "training.epochs=!!binary aGk=", ["!!binary", "training.epochs"]),
    ("--set boolean for text", "data.src_lang=no", ["data.src_lang", "boolean"]),
    ("--set base 60", "training.seed=1:30", ["training.seed", "90"]),
    ("--set huge number", "training.epochs=" + "9" * 500, ["at most"]),
    ("--set deep list", "data.source=" + "[" * 50 + "]" * 50, ["deeply"]),
    ("--set unknown key", "training.epoch=3", ["training.epoch", "did you mean"]),
    ("--set null", "training.epochs=", ["training.epochs", "null"]),
]


@pytest.mark.parametrize("name,override,expected", SET_CASES, ids=[c[0] for c in SET_CASES])
def test_set_errors_name_the_set_argument(tmp_path, name, override, expected):
    path = tmp_path / "good.yaml"
    path.write_text("training:\n  epochs: 3\n", encoding="utf-8")
    shown = override if len(override) <= 60 else override[:57] + "..."
    with bad_input("config", name, f"--set {shown}: ", *expected):
        try:
            load_config(path, [override])
        except TranslateError as error:
            assert str(path) not in str(error) and len(str(error)) <= MAX_MESSAGE, str(error)
            raise


def test_set_overrides_a_file_key_and_errors_on_other_keys_still_name_the_file(tmp_path):
    path = tmp_path / "mixed.yaml"
    path.write_text("training:\n  epochs: 3\n  seed: x\n", encoding="utf-8")
    with bad_input("config", "file error beside a --set", f"{path}, line 3", "training.seed"):
        load_config(path, ["training.epochs=4"])
    with survives("config", "--set mends a file's bad value"):
        config = load_config(path, ["training.seed=5"])
    assert (config.training.epochs, config.training.seed) == (3, 5)


# --set overrides ----------------------------------------------------------------------


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
