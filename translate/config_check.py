"""From raw YAML to checked config values: reading, dotted overrides, types, ranges, hints.

:mod:`translate.config` says what a config holds (one frozen dataclass per
section); this module says how a raw value gets in. It reads YAML files with
``yaml.safe_load`` (no Python tags), applies ``section.key=value`` overrides,
checks each value against its field's annotation (:func:`coerce`), the
allowed values and numeric ranges below (:func:`check_range`), and answers an
unknown key with the nearest valid one (:func:`unknown_key`). Every problem is
one :class:`~translate.errors.TranslateError` naming the file or origin, the
key and the value.

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

from translate.errors import TranslateError

# fmt: off
# Allowed values of string keys, checked after the types.
CHOICES = {
    "data.tokenizer_type": ("unigram", "bpe"),
    "model.attention": ("bahdanau", "luong"),
    "model.output_bias_init": ("unigram", "zeros"),
    "training.distribution": ("default", "mirrored", "multi_worker"),
    "training.cpu_kernels": ("auto", "on", "off"),
}
POSITIVE = {
    "data.vocab_size", "data.max_length", "model.embedding_dim", "model.encoder_units",
    "model.encoder_layers", "model.decoder_units", "model.decoder_layers",
    "training.epochs", "training.batch_size", "training.bucket_width",
    "training.learning_rate", "training.shuffle_buffer", "training.clip_norm",
    "decoding.beam_size", "decoding.n_best", "decoding.batch_size",
    "decoding.max_length_ratio", "data.tokenizer_sample",
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
    "training.batch_tokens",
}
# (keys, test, rule): the numeric range rules, in the order they are checked.
RANGES = (
    (POSITIVE, lambda v: v > 0, "must be > 0"),
    (PROBABILITY, lambda v: 0 <= v < 1, "must be in [0, 1)"),
    (NON_NEGATIVE, lambda v: v >= 0, "must be >= 0"),
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

# YAML 1.1 reads 1e-3 (no dot) as a string; such a string is accepted for a float key.
_FLOAT_TEXT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def field_types(cls: type) -> dict[str, Any]:
    """The resolved type annotation of each field of a dataclass, in field order.

    Args:
        cls: A dataclass, e.g. :class:`~translate.config.ModelConfig`.

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
    hint = f"; did you mean '{names[close[0]]}'?" if close else f"; valid keys: {', '.join(valid)}"
    return TranslateError(f"{where}: unknown config key '{key}'{hint}")


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
        raise TranslateError(
            f"{where}: config key '{key}' must be {hint.__name__}"
            f"{' or null' if optional else ''}, got {value!r} ({type(value).__name__})"
        )
    if hint is float and not math.isfinite(value):
        raise TranslateError(
            f"{where}: config key '{key}' is {value!r}; it must be a finite number"
        )
    return float(value) if hint is float else value


def range_problem(key: str, value: Any) -> str | None:
    """The numeric range rule (``"must be > 0"``, ...) that ``value`` breaks, or None."""
    return next((rule for keys, ok, rule in RANGES if key in keys and not ok(value)), None)


def check_range(key: str, value: Any, where: str) -> None:
    """Checks a coerced value against the allowed values and ranges of its key.

    Raises:
        TranslateError: Naming the key, the value and the rule it breaks.
    """
    if key in CHOICES and value not in CHOICES[key]:
        raise TranslateError(
            f"{where}: config key '{key}' is {value!r}; allowed: {', '.join(CHOICES[key])}"
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
        raise TranslateError(f"{where}: config key '{key}' is {value!r}; it {problem}")


def check_n_best(beam_size: int, n_best: int, where: str) -> None:
    """Checks ``n_best <= beam_size`` (both already checked to be > 0).

    Raises:
        TranslateError: Naming both keys.
    """
    if n_best > beam_size:
        raise TranslateError(
            f"{where}: n-best (decoding.n_best) must be between 1 and the beam size "
            f"(decoding.beam_size = {beam_size}), got {n_best}"
        )


def check_batch_tokens(batch_tokens: int, max_length: int, where: str) -> None:
    """Checks that a token batch holds the longest pair the length filter keeps.

    A kept pair has up to ``max_length`` subwords on each side, so up to
    ``2 * max_length`` source plus target subwords.

    Raises:
        TranslateError: Naming both keys and values.
    """
    if batch_tokens and batch_tokens < 2 * max_length:
        raise TranslateError(
            f"{where}: training.batch_tokens={batch_tokens} is smaller than the longest pair "
            f"training keeps: data.max_length={max_length} subwords per side, "
            f"{2 * max_length} in all; raise training.batch_tokens or lower data.max_length"
        )


def yaml_problem(error: yaml.YAMLError) -> str:
    """A YAML error on one line: what is wrong and where (1-based line and column)."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem


def read_yaml(path: str | os.PathLike) -> dict[str, Any]:
    """Reads a YAML mapping with ``yaml.safe_load``, with clear errors.

    Args:
        path: The file.

    Returns:
        The parsed content; ``{}`` for an empty file. Whether it is a mapping
        of sections is left to :func:`translate.config.config_from_dict`.

    Raises:
        TranslateError: If the file is missing, unreadable, not UTF-8 or not YAML.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
    except FileNotFoundError:
        raise TranslateError(f"config file not found: {path}") from None
    except yaml.YAMLError as error:
        raise TranslateError(f"{path}: not valid YAML: {yaml_problem(error)}") from None
    except UnicodeDecodeError as error:
        raise TranslateError(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    except OSError as error:  # A directory, no permission, an I/O error.
        raise TranslateError(f"cannot read config file {path}: {error.strerror or error}") from None
    return raw or {}


def apply_overrides(raw: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Applies ``section.key=value`` overrides (values parsed as YAML) to nested dicts.

    Args:
        raw: Nested config dicts (not modified).
        overrides: Strings such as ``"training.epochs=3"``.

    Returns:
        A new nested dict with the overrides applied. A ``raw`` that is not a
        mapping, or a section that is not one, is passed on unchanged for
        :func:`translate.config.config_from_dict` to report.

    Raises:
        TranslateError: If an override is not of the form ``section.key=value``,
            names a removed key or has a value that is not YAML.
    """
    if not isinstance(raw or {}, dict):
        return raw
    merged = {
        section: dict(values or {}) if isinstance(values or {}, dict) else values
        for section, values in (raw or {}).items()
    }
    for item in overrides:
        dotted, sep, text = item.partition("=")
        parts = dotted.strip().split(".")
        if not sep or len(parts) != 2 or not all(parts):
            raise TranslateError(
                f"--set {item!r}: expected section.key=value, e.g. training.epochs=3"
            )
        removed = REMOVED.get(".".join(parts))
        if removed:
            raise TranslateError(f"--set {item!r}: this setting was removed; {removed}")
        try:
            value = yaml.safe_load(text) if text.strip() else None
        except yaml.YAMLError as error:
            problem = yaml_problem(error)
            raise TranslateError(f"--set {item!r}: value is not valid YAML: {problem}") from None
        section = merged.setdefault(parts[0], {})
        if isinstance(section, dict):
            section[parts[1]] = value
    return merged
