"""Checking config values by their keys' rules, and the keys that must agree.

A key's rules are its field in :mod:`translate.config.schema`: the annotation
and the metadata (``choices``, ``range``, ``if_empty``). Every key is checked
the same way: its type (:func:`coerce`), then its allowed values, the integer
limit, emptiness and range (:func:`check_value`); an unknown key gets the
nearest valid one (:func:`unknown_key`); keys that must agree are checked on the
built config (:func:`check_agreement`). Each problem is one
:class:`~translate.TranslateError` naming where the key was set (file and line,
or the ``--set`` argument), the key and the value. The checks are given the
fields, so this module imports nothing from the schema.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import types
from collections.abc import Callable
from typing import Any

from translate import TranslateError
from translate.config.messages import shorten, shown

# Integers go into int32 tensors and seeds: larger ones are refused.
INT_LIMIT = 2**31 - 1
# The numeric rules a key's ``range`` may name: rule -> (test, what a message says).
RANGES = {
    "> 0": (lambda v: v > 0, "must be > 0"),
    "[0, 1)": (lambda v: 0 <= v < 1, "must be in [0, 1)"),
    ">= 0": (lambda v: v >= 0, "must be >= 0"),
    "[0, 1]": (lambda v: 0 <= v <= 1, "must be in [0, 1]"),
}
# YAML 1.1 reads 1e-3 (no dot) as a string; such a string is accepted for a float key.
_FLOAT_TEXT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def fields_of(cls: type) -> dict[str, dataclasses.Field]:
    """The fields of a dataclass by name, in order (the keys of a config section)."""
    return {field.name: field for field in dataclasses.fields(cls)}


def _base_type(hint: Any) -> tuple[type, bool]:
    """``(int, True)`` for ``int | None``: the type and whether null is allowed."""
    if isinstance(hint, types.UnionType):
        args = [arg for arg in hint.__args__ if arg is not type(None)]
        return args[0], len(args) < len(hint.__args__)
    return hint, False


def type_name(hint: Any) -> str:
    """How messages and ``docs/config.md`` name a key's type: ``int``, ``str or null``."""
    base, optional = _base_type(hint)
    return base.__name__ + (" or null" if optional else "")


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


def has_type(value: Any, field: dataclasses.Field) -> bool:
    """Whether ``value`` is of the type of ``field`` as it is (an int counts as a float).

    Args:
        value: The value, e.g. read from a JSON file.
        field: The key's field in the schema.

    Returns:
        True for a value of the field's type, or null for an optional key; a bool
        is not an int, and a string is never a number.
    """
    hint, optional = _base_type(field.type)
    if value is None:
        return optional
    return {
        bool: isinstance(value, bool),
        int: isinstance(value, int) and not isinstance(value, bool),
        float: isinstance(value, (int, float)) and not isinstance(value, bool),
        str: isinstance(value, str),
    }[hint]


def coerce(key: str, value: Any, field: dataclasses.Field, where: str) -> Any:
    """Checks ``value`` against the type of ``field`` (int, float, bool, str, or null).

    An int is taken for a float, a YAML 1.1 exponent string (``1e-3``) for a
    float, and a YAML 1.1 boolean (``on``/``off``) for a key whose choices
    include ``on``.

    Args:
        key: The dotted key, for messages.
        value: The raw value.
        field: The key's field in the schema.
        where: The origin named in the message.

    Returns:
        The value, as a float for a float field.

    Raises:
        TranslateError: On a wrong type or a float that is not finite.
    """
    hint, optional = _base_type(field.type)
    if value is None and optional:
        return None
    ok = has_type(value, field)
    if not ok and hint is float and isinstance(value, str) and _FLOAT_TEXT.fullmatch(value.strip()):
        value, ok = float(value), True
    if not ok and hint is str and isinstance(value, bool) and "on" in field.metadata["choices"]:
        value, ok = ("on" if value else "off"), True  # YAML 1.1 reads on/off as booleans.
    if not ok:
        got = "null" if value is None else f"{shown(value)} ({type(value).__name__})"
        if isinstance(value, bool):
            got += "; YAML reads yes, no, on, off as booleans: quote text"
        raise TranslateError(
            f"{where}: config key '{key}' must be {type_name(field.type)}, got {got}"
        )
    if hint is float and not math.isfinite(value):
        raise TranslateError(
            f"{where}: config key '{key}' is {shown(value)}; it must be a finite number"
        )
    return float(value) if hint is float else value


def range_problem(field: dataclasses.Field, value: Any) -> str | None:
    """The numeric rule (``"must be > 0"``, ...) that ``value`` breaks, or None."""
    rule = field.metadata["range"]
    if value is None or rule is None:  # an optional key left null, or no rule
        return None
    test, text = RANGES[rule]
    return None if test(value) else text


def check_value(key: str, value: Any, field: dataclasses.Field, where: str | None) -> None:
    """Checks a value of the right type against its key's allowed values, limits and range.

    Args:
        key: The dotted key.
        value: The value, after :func:`coerce`.
        field: The key's field in the schema.
        where: The origin named first in a message; None names only the key.

    Raises:
        TranslateError: Naming the key, the value and the rule it breaks.
    """
    choices, if_empty, problem = field.metadata["choices"], field.metadata["if_empty"], None
    if choices and value not in choices:
        problem = f"is {shown(value)}; allowed: {', '.join(choices)}"
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > INT_LIMIT:
        problem = f"is {shown(value)}; it must be at most {INT_LIMIT:,}"
    elif if_empty and value is not None and not value.strip():
        problem = f"is empty; {if_empty}"
    elif range_problem(field, value):
        problem = f"is {shown(value)}; it {range_problem(field, value)}"
    if problem:
        prefix = f"{where}: " if where else ""
        raise TranslateError(f"{prefix}config key '{key}' {problem}")


# Keys that must agree --------------------------------------------------------------------
# Each rule takes a whole config and returns what is wrong, or None; its docstring is
# its line in docs/config.md.


def _n_best_within_beam(config: Any) -> str | None:
    """``decoding.n_best`` is at most ``decoding.beam_size``."""
    beam_size, n_best = config.decoding.beam_size, config.decoding.n_best
    if n_best > beam_size:
        return (
            f"n-best (decoding.n_best) must be between 1 and the beam size "
            f"(decoding.beam_size = {beam_size}), got {n_best}"
        )


def _sampling_alone(config: Any) -> str | None:
    """With ``decoding.sampling_topk`` set, ``decoding.beam_size`` and ``decoding.n_best`` are 1."""
    decoding = config.decoding
    if decoding.sampling_topk is not None and (decoding.beam_size > 1 or decoding.n_best > 1):
        return (
            f"random sampling (decoding.sampling_topk = {decoding.sampling_topk}) keeps one "
            f"hypothesis and does not combine with beam search or n-best (decoding.beam_size "
            f"= {decoding.beam_size}, decoding.n_best = {decoding.n_best}); set both to 1"
        )


def _batch_holds_longest_pair(config: Any) -> str | None:
    """``training.batch_tokens`` is 0 or holds a longest kept pair, 2 x ``data.max_length``."""
    batch_tokens, max_length = config.training.batch_tokens, config.data.max_length
    if batch_tokens and batch_tokens < 2 * max_length:
        return (
            f"training.batch_tokens={batch_tokens} is smaller than the longest pair "
            f"training keeps: data.max_length={max_length} subwords per side, "
            f"{2 * max_length} in all; raise training.batch_tokens or lower data.max_length"
        )


def _one_embedding_one_vocabulary(config: Any) -> str | None:
    """``model.share_embeddings`` (one matrix for both languages) needs ``data.joint_vocab``."""
    if config.model.share_embeddings and not config.data.joint_vocab:
        return (
            "model.share_embeddings=true embeds both languages with one matrix and needs one "
            "joint vocabulary, but data.joint_vocab=false; set data.joint_vocab: true or "
            "model.share_embeddings: false"
        )


def _sampling_from_unigram(config: Any) -> str | None:
    """``data.subword_sampling`` needs a ``unigram`` tokenizer.

    One copied from ``data.tokenizer_dir`` is checked when training loads it.
    """
    data = config.data
    if data.subword_sampling and data.tokenizer_dir is None and data.tokenizer_type != "unigram":
        return (
            f"data.subword_sampling={data.subword_sampling} samples segmentations "
            f"of a unigram model, but data.tokenizer_type={data.tokenizer_type}; set "
            "data.tokenizer_type: unigram or data.subword_sampling: 0"
        )


# The key an error is reported at -> its rule, in the order they are checked.
AGREEMENT: dict[str, Callable[[Any], str | None]] = {
    "decoding.n_best": _n_best_within_beam,
    "decoding.sampling_topk": _sampling_alone,
    "training.batch_tokens": _batch_holds_longest_pair,
    "model.share_embeddings": _one_embedding_one_vocabulary,
    "data.subword_sampling": _sampling_from_unigram,
}


def check_agreement(
    config: Any, where_of: Callable[[str], str], section: str | None = None
) -> None:
    """Checks the keys that must agree with each other.

    Args:
        config: A :class:`~translate.config.schema.Config`, its keys each checked.
        where_of: Where a key was set (``"FILE, line N"``, ``"--set ..."``), by its dotted name.
        section: Check only the rules reported at this section's keys (``"decoding"``).

    Raises:
        TranslateError: The first rule broken, naming its keys and values.
    """
    for key, rule in AGREEMENT.items():
        problem = None if section and not key.startswith(f"{section}.") else rule(config)
        if problem:
            raise TranslateError(f"{where_of(key)}: {problem}")
