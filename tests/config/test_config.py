"""Tests of the experiment configuration: defaults, YAML files, overrides and errors."""

import dataclasses
import glob
import os

import pytest
import yaml
from helpers import config_error, write_yaml

from translate import TranslateError
from translate.config.schema import (
    Config,
    DataConfig,
    DecodingConfig,
    ModelConfig,
    TrainingConfig,
    config_from_dict,
    config_to_dict,
    key_table,
    load_config,
    replace_decoding,
    save_config,
)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# Defaults, files, overrides ---------------------------------------------------------


def test_defaults_load():
    config = load_config(None)
    assert config == Config()
    assert config.data == DataConfig()
    assert config.model == ModelConfig()
    assert config.training == TrainingConfig()
    assert config.decoding == DecodingConfig()
    assert config.data.src_lang == "de" and config.data.tgt_lang == "en"
    assert config.model.attention == "bahdanau"
    assert config.decoding.n_best <= config.decoding.beam_size


def test_config_is_frozen():
    config = load_config(None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.training.epochs = 3  # type: ignore[misc]


def test_yaml_file_overrides_only_named_keys(tmp_path):
    path = write_yaml(
        tmp_path / "c.yaml",
        "data:\n  src_lang: en\n  tgt_lang: fr\n"
        "model:\n  attention: luong\n  dropout: 0.25\n"
        "training:\n  epochs: 3\n  learning_rate: 0.002\n",
    )
    config = load_config(path)
    assert (config.data.src_lang, config.data.tgt_lang) == ("en", "fr")
    assert config.model.attention == "luong"
    assert config.model.dropout == 0.25
    assert config.training.epochs == 3
    assert config.training.learning_rate == 0.002
    # Everything else keeps its default.
    assert config.data.vocab_size == DataConfig().vocab_size
    assert config.decoding == DecodingConfig()


def test_empty_yaml_file_gives_defaults(tmp_path):
    path = write_yaml(tmp_path / "empty.yaml", "# nothing here\n")
    assert load_config(path) == Config()


def test_empty_section_gives_section_defaults(tmp_path):
    path = write_yaml(tmp_path / "c.yaml", "model:\ntraining:\n  epochs: 2\n")
    config = load_config(path)
    assert config.model == ModelConfig()
    assert config.training.epochs == 2


def test_load_config_applies_overrides_on_top_of_file(tmp_path):
    path = write_yaml(tmp_path / "c.yaml", "training:\n  epochs: 7\n  batch_size: 16\n")
    config = load_config(path, ["training.epochs=3", "model.attention=luong"])
    assert config.training.epochs == 3
    assert config.training.batch_size == 16
    assert config.model.attention == "luong"


def test_later_override_wins():
    config = load_config(None, ["training.epochs=3", "training.epochs=9"])
    assert config.training.epochs == 9


# Removed keys and checked decoding overrides ---------------------------------------


def test_a_config_with_the_removed_fused_optimizer_key_still_loads(tmp_path, capsys):
    path = write_yaml(tmp_path / "config.yaml", "training:\n  fused_optimizer: true\n")
    assert load_config(path) == load_config(None)
    err = capsys.readouterr().err
    assert "training.fused_optimizer" in err and "removed" in err and path in err, err
    assert load_config(path, saved=True) == load_config(None)


def test_a_config_with_the_removed_compact_key_still_loads(tmp_path, capsys):
    path = write_yaml(tmp_path / "config.yaml", "decoding:\n  beam_size: 3\n  compact: false\n")
    config = load_config(path)
    assert config.decoding == DecodingConfig(beam_size=3)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "decoding.compact" in err and path in err, err
    # A saved run's config.yaml (as earlier versions wrote it) loads without a note.
    assert load_config(path, saved=True) == config
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "overrides, expected",
    [
        (dict(beam_size=0), ["beam size must be > 0", "got 0", "decoding.beam_size"]),
        (dict(batch_size=-1), ["batch size must be > 0", "got -1"]),
        (dict(beam_size=2, n_best=3), ["n-best", "beam size", "= 2", "got 3"]),
        (dict(n_best=0), ["n-best must be > 0", "got 0"]),
        (dict(length_penalty=-1.0), ["length penalty must be >= 0", "got -1.0"]),
        (dict(coverage_penalty=-0.1), ["coverage penalty must be >= 0", "got -0.1"]),
        (dict(max_length_ratio=0.0), ["max length ratio must be > 0"]),
        (dict(max_length_offset=-1), ["max length offset must be >= 0"]),
        (dict(beam_size=2.5), ["decoding.beam_size", "must be int", "2.5"]),
        (dict(compact=False), ["removed", "growing hypotheses"]),
        (dict(beam_width=3), ["decoding.beam_width", "did you mean 'decoding.beam_size'"]),
    ],
)
def test_replace_decoding_checks_like_the_config(overrides, expected):
    with pytest.raises(TranslateError) as info:
        replace_decoding(DecodingConfig(), **overrides)
    for text in expected:
        assert text in str(info.value)


def test_replace_decoding_applies_only_the_given_values():
    base = DecodingConfig(beam_size=4, n_best=2)
    assert replace_decoding(base, beam_size=None, n_best=None) == base
    changed = replace_decoding(base, beam_size=1, n_best=1, length_penalty=0)
    assert changed == dataclasses.replace(base, beam_size=1, n_best=1, length_penalty=0.0)
    assert isinstance(changed.length_penalty, float)


# Sections that are not mappings ---------------------------------------------------


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n"])
def test_top_level_must_be_a_mapping(tmp_path, text):
    path = write_yaml(tmp_path / "c.yaml", text)
    message = config_error([], path)
    assert path in message
    assert "mapping" in message


def test_section_must_be_a_mapping(tmp_path):
    path = write_yaml(tmp_path / "c.yaml", "training: 5\n")
    message = config_error([], path)
    assert "training" in message and "mapping" in message


def test_config_from_dict_rejects_unknown_key_with_origin():
    with pytest.raises(
        TranslateError, match=r"my-origin.*decoding\.beam_sise.*decoding\.beam_size"
    ):
        config_from_dict({"decoding": {"beam_sise": 3}}, where="my-origin")


# Round trips ------------------------------------------------------------------------


def test_save_then_load_round_trip(tmp_path):
    config = load_config(
        None,
        [
            "data.src_lang=en",
            "data.tgt_lang=de",
            "data.dir=/data/multi30k",
            "data.joint_vocab=false",
            "model.attention=luong",
            "model.tie_embeddings=true",
            "training.epochs=3",
            "training.min_learning_rate=0.00001",
            "decoding.beam_size=4",
            "decoding.n_best=2",
        ],
    )
    path = tmp_path / "config.yaml"
    save_config(config, path)
    loaded = load_config(path)
    assert loaded == config
    assert config_to_dict(loaded) == config_to_dict(config)
    # The file is plain YAML with every section and key.
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(raw) == {"data", "model", "training", "decoding"}
    assert set(raw["training"]) == {f.name for f in dataclasses.fields(TrainingConfig)}


def test_defaults_round_trip(tmp_path):
    path = tmp_path / "config.yaml"
    save_config(Config(), path)
    assert load_config(path) == Config()


def test_config_to_dict_is_nested_plain_data():
    raw = config_to_dict(Config())
    assert raw["model"]["attention"] == "bahdanau"
    assert config_from_dict(raw) == Config()


CONFIG_FILES = sorted(glob.glob(os.path.join(REPO, "configs", "*.yaml")))


def test_there_are_config_files():
    assert CONFIG_FILES, "configs/*.yaml should ship with the project"


@pytest.mark.parametrize("path", CONFIG_FILES, ids=os.path.basename)
def test_every_shipped_config_loads(path):
    config = load_config(path)
    assert config.data.src_lang != config.data.tgt_lang
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    assert raw  # the file says something: it is not silently all defaults
    for section, values in raw.items():
        for key, value in values.items():  # and the config holds what it says
            assert getattr(getattr(config, section), key) == value, f"{section}.{key}"


def test_save_config_leaves_no_temporary_file(tmp_path):
    save_config(Config(), tmp_path / "config.yaml")
    save_config(load_config(None, ["training.epochs=2"]), tmp_path / "config.yaml")
    assert os.listdir(tmp_path) == ["config.yaml"]
    assert load_config(tmp_path / "config.yaml").training.epochs == 2


def test_the_key_table_in_the_docs_is_the_schema():
    with open(os.path.join(REPO, "docs", "config.md"), encoding="utf-8") as handle:
        assert handle.read() == key_table(), "run: python -m translate.config > docs/config.md"
