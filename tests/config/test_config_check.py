"""Tests of :mod:`translate.config.validation`: reading YAML, dotted overrides, types, ranges,
choices and the "did you mean" hints, each one clear :class:`TranslateError`.

Most go through :func:`translate.config.schema.load_config`, the way a user meets them.
"""

import dataclasses

import pytest
from helpers import config_error, write_yaml

from translate.config import validation
from translate.config.schema import REMOVED, Config, apply_overrides, load_config

# Overrides ----------------------------------------------------------------------------


def test_apply_overrides_parses_values_as_yaml_and_does_not_modify_input():
    raw = {"training": {"epochs": 5}, "model": None}
    merged = apply_overrides(
        raw,
        [
            "training.epochs=3",
            "model.input_feeding=false",
            "model.dropout=0.5",
            "data.src_lang=fr",
            "data.dir=null",
            "decoding.beam_size= 4",
        ],
    )
    assert merged["training"]["epochs"] == 3
    assert merged["model"]["input_feeding"] is False
    assert merged["model"]["dropout"] == 0.5
    assert merged["data"]["src_lang"] == "fr"
    assert merged["data"]["dir"] is None
    assert merged["decoding"]["beam_size"] == 4
    assert raw == {"training": {"epochs": 5}, "model": None}


def test_apply_overrides_value_may_contain_equals_sign():
    merged = apply_overrides({}, ["data.source=/tmp/a=b"])
    assert merged["data"]["source"] == "/tmp/a=b"


@pytest.mark.parametrize(
    "bad", ["training.epochs", "epochs=3", "a.b.c=1", ".epochs=3", "training.=3"]
)
def test_malformed_override_is_anconfig_error(bad):
    message = config_error([bad])
    assert message.startswith(f"--set {bad}: ")
    assert "section.key=value" in message


def test_override_with_invalid_yaml_value():
    message = config_error(["data.src_lang=[unclosed"])
    assert "data.src_lang" in message
    assert "YAML" in message


def test_setting_the_removed_compact_key_is_an_error_that_says_why():
    message = config_error(["decoding.compact=false"])
    assert "decoding.compact" in message and "removed" in message
    assert "growing hypotheses" in message


# Files --------------------------------------------------------------------------------


def test_missing_file_names_path(tmp_path):
    path = str(tmp_path / "nope" / "missing.yaml")
    message = config_error([], path)
    assert path in message
    assert "not found" in message


def test_invalid_yaml_names_path(tmp_path):
    path = write_yaml(tmp_path / "bad.yaml", "training:\n  epochs: [1, 2\n  batch: {\n")
    message = config_error([], path)
    assert path in message
    assert "YAML" in message


def test_non_utf8_file_names_path(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("data:\n  src_lang: 'd\xe9'\n".encode("latin-1"))
    message = config_error([], str(path))
    assert str(path) in message
    assert "UTF-8" in message


# Types --------------------------------------------------------------------------------


def test_int_is_accepted_for_float_and_stored_as_float():
    config = load_config(None, ["training.learning_rate=1", "model.dropout=0"])
    assert config.training.learning_rate == 1.0
    assert isinstance(config.training.learning_rate, float)
    assert isinstance(config.model.dropout, float)


def test_scientific_notation_float_is_accepted(tmp_path):
    """``1e-4`` is how everyone writes a learning rate (PyYAML reads it as a string)."""
    config = load_config(None, ["training.learning_rate=1e-4"])
    assert config.training.learning_rate == pytest.approx(1e-4)
    path = write_yaml(tmp_path / "c.yaml", "training:\n  min_learning_rate: 1e-6\n")
    assert load_config(path).training.min_learning_rate == pytest.approx(1e-6)


@pytest.mark.parametrize(
    "override, key, value, type_name",
    [
        ("training.epochs=abc", "training.epochs", "'abc'", "int"),
        ("training.epochs=true", "training.epochs", "True", "int"),
        ("training.epochs=2.5", "training.epochs", "2.5", "int"),
        ("model.dropout=high", "model.dropout", "'high'", "float"),
        ("model.input_feeding=1", "model.input_feeding", "1", "bool"),
        ("data.src_lang=3", "data.src_lang", "3", "str"),
    ],
)
def test_wrong_type_names_key_value_and_type(override, key, value, type_name):
    message = config_error([override])
    assert key in message
    assert value in message
    assert type_name in message


def test_wrong_type_in_yaml_file(tmp_path):
    path = write_yaml(tmp_path / "c.yaml", "training:\n  batch_size: '64'\n")
    message = config_error([], path)
    assert path in message and "training.batch_size" in message
    assert "'64'" in message and "int" in message


# Unknown keys -------------------------------------------------------------------------


def test_unknown_key_suggests_nearest_valid_key():
    message = config_error(["training.epoch=3"])
    assert "training.epoch" in message
    assert "training.epochs" in message
    assert "did you mean" in message


def test_unknown_key_in_file_names_file_and_nearest_key(tmp_path):
    path = write_yaml(tmp_path / "c.yaml", "model:\n  atention: luong\n")
    message = config_error([], path)
    assert path in message
    assert "model.atention" in message
    assert "model.attention" in message


def test_unknown_section_suggests_nearest_section():
    message = config_error(["trainig.epochs=3"])
    assert "'trainig'" in message
    assert "'training'" in message


def test_unrelated_unknown_section_lists_valid_sections():
    message = config_error(["zzz.epochs=3"])
    assert "zzz" in message
    for section in ("data", "model", "training", "decoding"):
        assert section in message


# Ranges and choices -------------------------------------------------------------------


@pytest.mark.parametrize(
    "override, key, expected",
    [
        ("model.dropout=-0.1", "model.dropout", "[0, 1)"),
        ("model.dropout=1.0", "model.dropout", "[0, 1)"),
        ("training.label_smoothing=1.5", "training.label_smoothing", "[0, 1)"),
        ("decoding.beam_size=0", "decoding.beam_size", "> 0"),
        ("training.epochs=-1", "training.epochs", "> 0"),
        ("training.max_steps=-5", "training.max_steps", ">= 0"),
        ("data.vocab_size=0", "data.vocab_size", "> 0"),
    ],
)
def test_out_of_range_names_key_and_allowed_range(override, key, expected):
    message = config_error([override])
    assert key in message
    assert expected in message


@pytest.mark.parametrize(
    "override, allowed",
    [
        ("model.attention=foo", ("bahdanau", "luong")),
        ("data.tokenizer_type=wordpiece", ("unigram", "bpe")),
        ("training.distribution=tpu", ("default", "mirrored", "multi_worker")),
    ],
)
def test_bad_choice_names_allowed_values(override, allowed):
    message = config_error([override])
    key, _, value = override.partition("=")
    assert key in message
    assert value in message
    for choice in allowed:
        assert choice in message


def test_n_best_cannot_exceed_beam_size():
    message = config_error(["decoding.beam_size=2", "decoding.n_best=3"])
    assert "decoding.n_best" in message and "decoding.beam_size" in message
    assert "3" in message and "2" in message
    # Equal is fine.
    assert load_config(None, ["decoding.beam_size=3", "decoding.n_best=3"]).decoding.n_best == 3


def test_every_rule_is_a_known_one_and_every_removed_key_is_gone():
    sections = [section.default_factory for section in dataclasses.fields(Config)]
    keys = {
        f"{section.name}.{field.name}"
        for section in dataclasses.fields(Config)
        for field in dataclasses.fields(section.default_factory)
    }
    for field in (field for section in sections for field in dataclasses.fields(section)):
        assert field.metadata["doc"], field.name  # every key says what it means
        assert field.metadata["range"] in (None, *validation.RANGES), field.name
        assert all(isinstance(choice, str) for choice in field.metadata["choices"]), field.name
    assert set(validation.AGREEMENT) <= keys
    assert not set(REMOVED) & keys  # a removed key is not a key any more
