"""From raw YAML to checked config values: reading, dotted overrides, types, ranges, hints.

:mod:`translate.config.schema` says what a config holds (one frozen dataclass per
section); this module says how a raw value gets in. It reads YAML files with
:mod:`translate.config.strict_yaml` (strict: no tags, aliases, duplicate keys, ...,
and the line of every key), applies ``section.key=value`` overrides,
checks each value against its field's annotation (:func:`coerce`), the
allowed values and numeric ranges below (:func:`check_range`), and answers an
unknown key with the nearest valid one (:func:`unknown_key`). Every problem is
one :class:`~translate.TranslateError` naming the file and line (or the
``--set`` argument), the key and the value.

The rules are keyed by dotted name (``"model.attention"``), so this module
needs no import of the dataclasses it checks.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
import types
import typing
from typing import Any

import yaml

from translate import TranslateError
from translate.config.messages import shorten, shown
from translate.config.strict_yaml import MAX_BYTES, Located, read_config_text, read_value_text

# fmt: off
# Allowed values of string keys, checked after the types.
CHOICES = {
    "data.tokenizer_type": ("unigram", "bpe"),
    "model.attention": ("bahdanau", "luong"),
    "model.output_bias_init": ("unigram", "zeros"),
    "training.distribution": ("default", "mirrored", "multi_worker"),
    "training.cpu_kernels": ("auto", "on", "off"),
    "training.precision": ("auto", "float32", "mixed_bfloat16", "mixed_float16"),
    "decoding.precision": ("auto", "float32", "mixed_bfloat16", "mixed_float16"),
}
POSITIVE = {
    "data.vocab_size", "data.max_length", "model.embedding_dim", "model.encoder_units",
    "model.encoder_layers", "model.decoder_units", "model.decoder_layers",
    "training.epochs", "training.batch_size", "training.bucket_width",
    "training.learning_rate", "training.shuffle_buffer", "training.clip_norm",
    "decoding.beam_size", "decoding.n_best", "decoding.batch_size",
    "decoding.max_length_ratio", "data.tokenizer_sample",
    "decoding.sampling_temperature",
    "training.accumulate_steps",
}
PROBABILITY = {
    "model.dropout", "model.embedding_dropout", "training.label_smoothing",
    "training.lr_decay_factor",
}
NON_NEGATIVE = {
    "training.warmup_steps", "training.lr_patience", "training.min_learning_rate",
    "training.weight_decay", "training.early_stopping_patience", "training.max_steps",
    "training.max_minutes", "training.dev_sentences", "decoding.length_penalty",
    "decoding.coverage_penalty", "decoding.max_length_offset", "data.train_limit",
    "training.keep_checkpoints",
    "decoding.sampling_topk", "decoding.seed",
    "training.batch_tokens",
}
UNIT_INTERVAL = {"data.subword_sampling"}
# (keys, test, rule): the numeric range rules, in the order they are checked.
RANGES = (
    (POSITIVE, lambda v: v > 0, "must be > 0"),
    (PROBABILITY, lambda v: 0 <= v < 1, "must be in [0, 1)"),
    (NON_NEGATIVE, lambda v: v >= 0, "must be >= 0"),
    (UNIT_INTERVAL, lambda v: 0 <= v <= 1, "must be in [0, 1]"),
)
# Keys earlier versions had: key -> why it went. Dropped from files, refused as overrides.
REMOVED = {
    "decoding.compact": "search always steps only the growing hypotheses",
    "training.fused_optimizer": (
        "training uses Keras' Adam; the fused update saved under 3% of a step"
        " (docs/performance.md)"
    ),
}
# fmt: on

# Integers go into int32 tensors and seeds: larger ones are refused.
INT_LIMIT = 2**31 - 1
# YAML 1.1 reads 1e-3 (no dot) as a string; such a string is accepted for a float key.
_FLOAT_TEXT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def field_types(cls: type) -> dict[str, Any]:
    """The resolved type annotation of each field of a dataclass, in field order.

    Args:
        cls: A dataclass, e.g. :class:`~translate.config.schema.ModelConfig`.

    Returns:
        ``{field name: type}``.
    """
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def unknown_key(key: str, valid: list[str], where: str) -> TranslateError:
    """The error for an unknown key, with the nearest valid key or the list of them.

    Args:
        key: The key as given, e.g. ``"training.epoch"``.
        valid: Valid dotted keys to suggest from; compared by their last part.
        where: The origin (a file path) named in the message.

    Returns:
        The error to raise.
    """
    names = {name.rpartition(".")[2]: name for name in valid}  # Compare without "section.".
    close = difflib.get_close_matches(key.rpartition(".")[2], list(names), n=1)
    listed = ", ".join(valid[:5]) + (", ..." if len(valid) > 5 else "")
    hint = f"; did you mean '{names[close[0]]}'?" if close else f"; valid keys: {listed}"
    return TranslateError(f"{where}: unknown config key '{shorten(key)}'{hint}")


def coerce(key: str, value: Any, hint: Any, where: str) -> Any:
    """Checks ``value`` against the annotation ``hint`` (int, float, bool, str, optional).

    An int is taken for a float, a YAML 1.1 exponent string (``1e-3``) for a
    float, and a YAML 1.1 boolean (``on``/``off``) for a key whose choices
    include ``on``.

    Args:
        key: The dotted key, for messages and choices.
        value: The raw value.
        hint: The field's annotation.
        where: The origin named in the message.

    Returns:
        The value, as a float for a float field.

    Raises:
        TranslateError: On a wrong type or a float that is not finite.
    """
    optional = False
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        optional = len(args) < len(typing.get_args(hint))
        hint = args[0]
    if value is None and optional:
        return None
    ok = {
        bool: isinstance(value, bool),
        int: isinstance(value, int) and not isinstance(value, bool),
        float: isinstance(value, (int, float)) and not isinstance(value, bool),
        str: isinstance(value, str),
    }[hint]
    if not ok and hint is float and isinstance(value, str) and _FLOAT_TEXT.fullmatch(value.strip()):
        value, ok = float(value), True
    if not ok and hint is str and isinstance(value, bool) and "on" in CHOICES.get(key, ()):
        value, ok = ("on" if value else "off"), True  # YAML 1.1 reads on/off as booleans.
    if not ok:
        got = "null" if value is None else f"{shown(value)} ({type(value).__name__})"
        if isinstance(value, bool):
            got += "; YAML reads yes, no, on, off as booleans: quote text"
        raise TranslateError(
            f"{where}: config key '{key}' must be {hint.__name__}"
            f"{' or null' if optional else ''}, got {got}"
        )
    if hint is float and not math.isfinite(value):
        raise TranslateError(
            f"{where}: config key '{key}' is {shown(value)}; it must be a finite number"
        )
    return float(value) if hint is float else value


def range_problem(key: str, value: Any) -> str | None:
    """The numeric range rule (``"must be > 0"``, ...) that ``value`` breaks, or None."""
    if value is None:  # an optional key left null
        return None
    return next((rule for keys, ok, rule in RANGES if key in keys and not ok(value)), None)


def check_range(key: str, value: Any, where: str) -> None:
    """Checks a coerced value against the allowed values and ranges of its key.

    Raises:
        TranslateError: Naming the key, the value and the rule it breaks.
    """
    if key in CHOICES and value not in CHOICES[key]:
        raise TranslateError(
            f"{where}: config key '{key}' is {shown(value)}; allowed: {', '.join(CHOICES[key])}"
        )
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > INT_LIMIT:
        raise TranslateError(
            f"{where}: config key '{key}' is {shown(value)}; it must be at most {INT_LIMIT:,}"
        )
    if key == "data.cache" and not value.strip():
        raise TranslateError(
            f"{where}: config key '{key}' is empty; use memory, none or a file path prefix"
        )
    if key == "data.tokenizer_dir" and value is not None and not value.strip():
        raise TranslateError(
            f"{where}: config key '{key}' is empty; name a run's tokenizer folder or leave it out"
        )
    problem = range_problem(key, value)
    if problem:
        raise TranslateError(f"{where}: config key '{key}' is {shown(value)}; it {problem}")


def yaml_problem(error: yaml.YAMLError) -> str:
    """A YAML error on one line: what is wrong and where (1-based line and column)."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem


def read_yaml(path: str | os.PathLike) -> dict[str, Any]:
    """Reads a config file strictly (:func:`translate.config.strict_yaml.read_config_text`).

    Args:
        path: The file.

    Returns:
        The parsed mapping, with the line of each key in its ``origins``;
        empty for an empty file. Whether each section is a mapping is left to
        :func:`translate.config.schema.config_from_dict`.

    Raises:
        TranslateError: If the file is missing, unreadable, not UTF-8, larger
            than ``MAX_BYTES``, not YAML, or YAML a config must not use
            (duplicate keys, aliases, tags, ...), naming the line.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise TranslateError(f"config file not found: {path}") from None
    except UnicodeDecodeError as error:
        raise TranslateError(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    except OSError as error:  # A directory, no permission, an I/O error.
        raise TranslateError(f"cannot read config file {path}: {error.strerror or error}") from None
    if len(text) > MAX_BYTES:
        raise TranslateError(
            f"{path}: larger than {MAX_BYTES:,} characters; a config is a few lines"
        )
    return read_config_text(text, str(path))


def apply_overrides(raw: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Applies ``section.key=value`` overrides (values parsed as YAML) to nested dicts.

    Args:
        raw: Nested config dicts (not modified).
        overrides: Strings such as ``"training.epochs=3"``.

    Returns:
        A new nested dict with the overrides applied. A ``raw`` that is not a
        mapping, or a section that is not one, is passed on unchanged for
        :func:`translate.config.schema.config_from_dict` to report.

    Raises:
        TranslateError: If an override is not of the form ``section.key=value``,
            names a removed key or has a value that is not YAML.
    """
    if not isinstance(raw or {}, dict):
        return raw
    merged = Located(
        {
            section: dict(values or {}) if isinstance(values or {}, dict) else values
            for section, values in (raw or {}).items()
        },
        origins=getattr(raw, "origins", None),
    )
    for item in overrides:
        origin = f"--set {shorten(item)}"
        dotted, sep, text = item.partition("=")
        parts = dotted.strip().split(".")
        if not sep or len(parts) != 2 or not all(parts):
            raise TranslateError(f"{origin}: expected section.key=value, e.g. training.epochs=3")
        removed = REMOVED.get(".".join(parts))
        if removed:
            raise TranslateError(f"{origin}: this setting was removed; {removed}")
        value = read_value_text(text, origin, ".".join(parts)) if text.strip() else None
        section = merged.setdefault(parts[0], {})
        merged.origins.setdefault(parts[0], origin)
        merged.origins[".".join(parts)] = origin
        if isinstance(section, dict):
            section[parts[1]] = value
    return merged
