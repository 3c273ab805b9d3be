"""Experiment configuration: frozen dataclasses read from YAML, with dotted overrides.

A config has four sections, ``data``, ``model``, ``training`` and ``decoding``.
Every key has a default, so a YAML file only names what it changes. Unknown
keys, wrong types and out-of-range values are rejected with a
:class:`~translate.errors.TranslateError` that names the key and the value.

Example:
    >>> config = load_config("configs/multi30k_de_en_quick.yaml",
    ...                      overrides=["training.epochs=3"])
    >>> config.training.epochs
    3
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


@dataclasses.dataclass(frozen=True)
class DataConfig:
    """Where the parallel corpus comes from and how it is split into subwords.

    Attributes:
        source: ``multi30k``, ``tfds:NAME[/CONFIG]`` or a folder of parallel files.
        src_lang: Source language code.
        tgt_lang: Target language code.
        dir: Local folder of the Multi30k ``.gz`` files (else env ``MULTI30K_DIR``).
        train_split: Split used for training and for the tokenizer.
        dev_split: Split used for dev BLEU during training.
        test_split: Split ``translate evaluate`` scores by default.
        vocab_size: SentencePiece vocabulary size.
        tokenizer_type: ``unigram`` or ``bpe``.
        joint_vocab: One subword model for both languages, else one per language.
        tokenizer_sample: Sentences per language used to train the tokenizer.
        max_length: Training pairs longer than this many subwords on either side
            are filtered out (and counted).
        train_limit: Use only the first N training pairs (0 = all).
        cache: Where the training pipeline keeps token ids after the first pass:
            ``memory`` (fast; grows with the corpus), ``none`` (tokenize again
            every epoch; memory stays flat for corpora of any size) or a file
            path prefix for a ``tf.data`` cache on disk (its folder must exist).
    """

    source: str = "multi30k"
    src_lang: str = "de"
    tgt_lang: str = "en"
    dir: str | None = None
    train_split: str = "train"
    dev_split: str = "val"
    test_split: str = "test_2016_flickr"
    vocab_size: int = 8000
    tokenizer_type: str = "unigram"
    joint_vocab: bool = True
    tokenizer_sample: int = 1_000_000
    max_length: int = 100
    train_limit: int = 0
    cache: str = "memory"


@dataclasses.dataclass(frozen=True)
class ModelConfig:
    """Shape of the LSTM encoder-decoder.

    Attributes:
        embedding_dim: Size of source and target embeddings.
        encoder_units: LSTM units per direction of the bidirectional encoder.
        encoder_layers: Stacked bidirectional LSTM layers.
        decoder_units: LSTM units of the decoder.
        decoder_layers: Stacked decoder LSTM layers.
        attention: ``bahdanau`` (additive) or ``luong`` (multiplicative).
        input_feeding: Feed the previous attentional vector into the decoder.
        dropout: Dropout between layers and on the attentional vector.
        embedding_dropout: Dropout on embeddings.
        tie_embeddings: Share the decoder input embedding with the output layer.
        output_bias_init: ``unigram`` starts the output layer's bias at the log
            frequencies of the training target subwords, so the first steps do
            not have to learn them through (and saturate) the recurrent state;
            ``zeros`` starts it at zero.
    """

    embedding_dim: int = 256
    encoder_units: int = 512
    encoder_layers: int = 1
    decoder_units: int = 512
    decoder_layers: int = 1
    attention: str = "bahdanau"
    input_feeding: bool = True
    dropout: float = 0.3
    embedding_dropout: float = 0.1
    tie_embeddings: bool = False
    output_bias_init: str = "unigram"


@dataclasses.dataclass(frozen=True)
class TrainingConfig:
    """How the model is trained.

    Attributes:
        epochs: Passes over the training data.
        batch_size: Sentence pairs per batch.
        bucket_width: Width in subwords of the length buckets batches are drawn from.
        learning_rate: Peak learning rate of Adam.
        warmup_steps: Linear warm-up steps.
        lr_decay_factor: Learning rate multiplier when dev BLEU stops improving.
        lr_patience: Epochs without dev improvement before the rate decays.
        min_learning_rate: Floor of the learning rate.
        clip_norm: Global gradient-norm clipping.
        weight_decay: Decoupled weight decay (AdamW); 0 disables it.
        label_smoothing: Label smoothing of the cross-entropy.
        early_stopping_patience: Epochs without dev improvement before stopping.
        keep_checkpoints: Epoch weight snapshots kept for ``translate average`` (0 = none).
        max_steps: Stop after this many optimizer steps (0 = no limit).
        max_minutes: Stop after this much wall time in minutes (0 = no limit).
        dev_sentences: Dev sentences decoded for dev BLEU each epoch (0 = all).
        seed: Random seed.
        jit_compile: Compile the training step with XLA.
        fused_optimizer: Update each weight with TensorFlow's fused Adam kernel,
            one pass over memory (see :mod:`translate.optimizers`); False for
            Keras' element-wise update. Same arithmetic, same checkpoints.
        shuffle_buffer: Pairs in the shuffle buffer.
        distribution: ``default``, ``mirrored`` or ``multi_worker``.
    """

    epochs: int = 20
    batch_size: int = 64
    bucket_width: int = 4
    learning_rate: float = 0.001
    warmup_steps: int = 200
    lr_decay_factor: float = 0.5
    lr_patience: int = 1
    min_learning_rate: float = 1e-5
    clip_norm: float = 1.0
    weight_decay: float = 0.0
    label_smoothing: float = 0.1
    early_stopping_patience: int = 4
    keep_checkpoints: int = 5
    max_steps: int = 0
    max_minutes: float = 0.0
    dev_sentences: int = 0
    seed: int = 1234
    jit_compile: bool = False
    fused_optimizer: bool = True
    shuffle_buffer: int = 50_000
    distribution: str = "default"


@dataclasses.dataclass(frozen=True)
class DecodingConfig:
    """How translations are searched for.

    Attributes:
        beam_size: Beams per sentence; 1 is greedy search.
        length_penalty: GNMT length penalty alpha.
        coverage_penalty: GNMT coverage penalty beta.
        n_best: Hypotheses returned per sentence.
        max_length_ratio: Output length limit as a multiple of the source length.
        max_length_offset: Tokens added to that limit.
        batch_size: Sentences translated together.
        compact: Step only the hypotheses still growing, leaving finished ones
            and sentences whose search has stopped out of the model's matrix
            products. The translations are the same either way; off is for
            measuring what it saves.
    """

    beam_size: int = 5
    length_penalty: float = 1.0
    coverage_penalty: float = 0.0
    n_best: int = 1
    max_length_ratio: float = 1.5
    max_length_offset: int = 10
    batch_size: int = 64
    compact: bool = True


@dataclasses.dataclass(frozen=True)
class Config:
    """A whole experiment."""

    data: DataConfig = dataclasses.field(default_factory=DataConfig)
    model: ModelConfig = dataclasses.field(default_factory=ModelConfig)
    training: TrainingConfig = dataclasses.field(default_factory=TrainingConfig)
    decoding: DecodingConfig = dataclasses.field(default_factory=DecodingConfig)


# Allowed values, checked after the types: key -> (predicate, description).
_CHOICES = {
    "data.tokenizer_type": ("unigram", "bpe"),
    "model.attention": ("bahdanau", "luong"),
    "model.output_bias_init": ("unigram", "zeros"),
    "training.distribution": ("default", "mirrored", "multi_worker"),
}
_POSITIVE = {
    "data.vocab_size", "data.max_length", "model.embedding_dim", "model.encoder_units",
    "model.encoder_layers", "model.decoder_units", "model.decoder_layers",
    "training.epochs", "training.batch_size", "training.bucket_width",
    "training.learning_rate", "training.shuffle_buffer", "training.clip_norm",
    "decoding.beam_size", "decoding.n_best", "decoding.batch_size",
    "decoding.max_length_ratio", "data.tokenizer_sample",
}
_PROBABILITY = {"model.dropout", "model.embedding_dropout", "training.label_smoothing",
                "training.lr_decay_factor"}
_NON_NEGATIVE = {
    "training.warmup_steps", "training.lr_patience", "training.min_learning_rate",
    "training.weight_decay", "training.early_stopping_patience", "training.max_steps",
    "training.max_minutes", "training.dev_sentences", "decoding.length_penalty",
    "decoding.coverage_penalty", "decoding.max_length_offset", "data.train_limit",
    "training.keep_checkpoints",
}


def _field_types(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _unknown_key(key: str, valid: list[str], where: str) -> TranslateError:
    names = {name.rpartition(".")[2]: name for name in valid}  # Compare without "section.".
    close = difflib.get_close_matches(key.rpartition(".")[2], list(names), n=1)
    hint = f"; did you mean '{names[close[0]]}'?" if close else f"; valid keys: {', '.join(valid)}"
    return TranslateError(f"{where}: unknown config key '{key}'{hint}")


_FLOAT_TEXT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _coerce(key: str, value: Any, hint: Any, where: str) -> Any:
    """Checks ``value`` against the annotation ``hint`` (int, float, bool, str, optional)."""
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
        value, ok = float(value), True  # YAML 1.1 reads 1e-3 (no dot) as a string.
    if not ok:
        raise TranslateError(
            f"{where}: config key '{key}' must be {hint.__name__}"
            f"{' or null' if optional else ''}, got {value!r} ({type(value).__name__})"
        )
    if hint is float and not math.isfinite(value):
        raise TranslateError(f"{where}: config key '{key}' is {value!r}; it must be a finite number")
    return float(value) if hint is float else value


def _check_range(key: str, value: Any, where: str) -> None:
    if key in _CHOICES and value not in _CHOICES[key]:
        raise TranslateError(
            f"{where}: config key '{key}' is {value!r}; allowed: {', '.join(_CHOICES[key])}"
        )
    if key in _POSITIVE and value <= 0:
        raise TranslateError(f"{where}: config key '{key}' is {value!r}; it must be > 0")
    if key == "data.cache" and not value.strip():
        raise TranslateError(
            f"{where}: config key '{key}' is empty; use memory, none or a file path prefix"
        )
    if key in _NON_NEGATIVE and value < 0:
        raise TranslateError(f"{where}: config key '{key}' is {value!r}; it must be >= 0")
    if key in _PROBABILITY and not 0 <= value < 1:
        raise TranslateError(f"{where}: config key '{key}' is {value!r}; it must be in [0, 1)")


def config_from_dict(raw: dict[str, Any], where: str = "config") -> Config:
    """Builds a checked :class:`Config` from nested dicts.

    Args:
        raw: ``{"data": {...}, "model": {...}, ...}``; missing keys take defaults.
        where: Name of the origin (a file path) used in error messages.

    Returns:
        The frozen config.

    Raises:
        TranslateError: On an unknown key, a wrong type or a value out of range.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise TranslateError(f"{where}: a config must be a mapping of sections, got {raw!r}")
    sections = _field_types(Config)
    built = {}
    for section, values in raw.items():
        if section not in sections:
            raise _unknown_key(str(section), list(sections), where)
        if values is None:
            values = {}
        if not isinstance(values, dict):
            raise TranslateError(f"{where}: section '{section}' must be a mapping, got {values!r}")
        fields = _field_types(sections[section])
        checked = {}
        for key, value in values.items():
            dotted = f"{section}.{key}"
            if key not in fields:
                owner = [name for name in sections if key in _field_types(sections[name])]
                valid = [f"{name}.{key}" for name in owner] or [f"{section}.{name}" for name in fields]
                raise _unknown_key(dotted, valid, where)
            checked[key] = _coerce(dotted, value, fields[key], where)
            _check_range(dotted, checked[key], where)
        built[section] = sections[section](**checked)
    config = Config(**built)
    if config.decoding.n_best > config.decoding.beam_size:
        raise TranslateError(
            f"{where}: decoding.n_best ({config.decoding.n_best}) cannot exceed "
            f"decoding.beam_size ({config.decoding.beam_size})"
        )
    return config


def apply_overrides(raw: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Applies ``section.key=value`` overrides (values parsed as YAML) to nested dicts.

    Args:
        raw: Nested config dicts (not modified).
        overrides: Strings such as ``"training.epochs=3"``.

    Returns:
        A new nested dict with the overrides applied. A ``raw`` that is not a
        mapping, or a section that is not one, is passed on unchanged for
        :func:`config_from_dict` to report.

    Raises:
        TranslateError: If an override is not of the form ``section.key=value``.
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
            raise TranslateError(f"--set {item!r}: expected section.key=value, e.g. training.epochs=3")
        try:
            value = yaml.safe_load(text) if text.strip() else None
        except yaml.YAMLError as error:
            raise TranslateError(f"--set {item!r}: value is not valid YAML: {_yaml_problem(error)}") from None
        section = merged.setdefault(parts[0], {})
        if isinstance(section, dict):
            section[parts[1]] = value
    return merged


def _yaml_problem(error: yaml.YAMLError) -> str:
    """A YAML error on one line: what is wrong and where (1-based line and column)."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem


def read_yaml(path: str | os.PathLike) -> dict[str, Any]:
    """Reads a YAML mapping with ``yaml.safe_load``, with clear errors."""
    try:
        with open(path, encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
    except FileNotFoundError:
        raise TranslateError(f"config file not found: {path}") from None
    except yaml.YAMLError as error:
        raise TranslateError(f"{path}: not valid YAML: {_yaml_problem(error)}") from None
    except UnicodeDecodeError as error:
        raise TranslateError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:  # A directory, no permission, an I/O error.
        raise TranslateError(f"cannot read config file {path}: {error.strerror or error}") from None
    return raw or {}


def load_config(path: str | os.PathLike | None, overrides: list[str] | None = None) -> Config:
    """Loads a YAML config file (or defaults when ``path`` is None) with overrides.

    Args:
        path: YAML file, or None for the defaults.
        overrides: ``section.key=value`` strings applied on top.

    Returns:
        The frozen, checked config.
    """
    raw = read_yaml(path) if path is not None else {}
    where = str(path) if path is not None else "config"
    return config_from_dict(apply_overrides(raw, overrides or []), where)


def config_to_dict(config: Config) -> dict[str, Any]:
    """The config as nested plain dicts, ready for ``yaml.safe_dump``."""
    return dataclasses.asdict(config)


def save_config(config: Config, path: str | os.PathLike) -> None:
    """Writes the resolved config as YAML (to a temporary file renamed into place)."""
    temporary = f"{os.fspath(path)}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        yaml.safe_dump(config_to_dict(config), handle, sort_keys=False)
    os.replace(temporary, path)
