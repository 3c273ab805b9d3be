"""Experiment configuration: frozen dataclasses read from YAML, with dotted overrides.

A config has four sections, ``data``, ``model``, ``training`` and ``decoding``,
one frozen dataclass each, whose docstring documents every key. Every key has
a default, so a YAML file only names what it changes. Unknown keys, wrong
types and out-of-range values are rejected with a
:class:`~translate.TranslateError` that names the key and the value;
the rules (types, allowed values, ranges, "did you mean") and the YAML reading
live in :mod:`translate.config.checks`, the keys that must agree in
:mod:`translate.config.agreement`.

A run directory's saved ``config.yaml`` is read with ``saved=True``
(:meth:`translate.runs.rundir.RunDir.load_config`): keys an earlier version wrote
and this one removed are dropped silently, so old runs still load.

Example:
    >>> config = load_config("configs/multi30k_de_en_quick.yaml",
    ...                      overrides=["training.epochs=3"])
    >>> config.training.epochs
    3
"""

from __future__ import annotations

import dataclasses
import os
import sys
from typing import Any

import yaml

from translate import TranslateError
from translate.config.agreement import check_combinations, check_decoding
from translate.config.checks import (
    CHOICES,
    REMOVED,
    apply_overrides,
    check_range,
    coerce,
    field_types,
    range_problem,
    read_yaml,
    unknown_key,
)
from translate.config.messages import shorten, shown
from translate.runs.fileio import write_text

__all__ = [
    "Config",
    "DataConfig",
    "DecodingConfig",
    "ModelConfig",
    "TrainingConfig",
    "apply_overrides",
    "config_from_dict",
    "config_to_dict",
    "load_config",
    "read_yaml",
    "replace_decoding",
    "save_config",
]


@dataclasses.dataclass(frozen=True)
class DataConfig:
    """Where the parallel corpus comes from and how it is split into subwords.

    Attributes:
        source: ``multi30k``, ``tfds:NAME[/CONFIG]`` or a folder of parallel files.
        src_lang: Source language code.
        tgt_lang: Target language code.
        dir: Local folder of the Multi30k ``.gz`` files (else env ``MULTI30K_DIR``);
            for ``tfds:NAME``, a folder of its files downloaded by hand (TFDS's
            ``manual_dir``).
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
        tokenizer_dir: The ``tokenizer`` folder of an existing run to train with
            (its files are copied byte for byte into the new run), e.g. so that
            the members of an ensemble share one target vocabulary; None trains a
            new tokenizer (then ``vocab_size``, ``tokenizer_type``, ``joint_vocab``
            and ``tokenizer_sample`` apply).
        subword_sampling: Subword regularisation (Kudo, 2018): the SentencePiece
            smoothing ``alpha`` in ``[0, 1]`` with which each epoch draws a new
            segmentation of both sides of every training pair from a ``unigram``
            tokenizer (0 = off, the best one; dev, test and translation always use
            that). ``cache`` then keeps the text pairs, not token ids.
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
    tokenizer_dir: str | None = None
    subword_sampling: float = 0.0


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
        share_embeddings: The encoder reads the source with the decoder's target
            embedding: one matrix for both languages (needs ``data.joint_vocab``);
            with ``tie_embeddings``, one matrix for source, target and output.
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
    share_embeddings: bool = False
    output_bias_init: str = "unigram"


@dataclasses.dataclass(frozen=True)
class TrainingConfig:
    """How the model is trained.

    Attributes:
        epochs: Passes over the training data.
        batch_size: Sentence pairs per batch (when ``batch_tokens`` is 0).
        batch_tokens: Fill each batch with up to about this many source plus
            target subwords, padding included, instead of ``batch_size`` pairs:
            batches of short sentences hold more pairs (0 = off). Global under
            ``distribution``, like ``batch_size``.
        accumulate_steps: Batches whose gradients make one optimizer update;
            the loss is the token loss summed over them divided by their total
            target token count (1 = an update per batch). ``max_steps``,
            ``warmup_steps`` and the logs count updates.
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
        cpu_kernels: ``auto``, ``on`` or ``off``: the CPU speed devices of
            :mod:`translate.training.speed`, same values and gradients; ``auto`` turns
            them on when TensorFlow sees no GPU.
        shuffle_buffer: Pairs in the shuffle buffer.
        distribution: ``default``, ``mirrored`` or ``multi_worker``.
        precision: ``float32``, ``mixed_bfloat16``, ``mixed_float16`` or ``auto``
            (measured per machine): the Keras dtype policy of training; weights
            stay float32 (:mod:`translate.training.precision`, ``docs/precision.md``).
    """

    epochs: int = 20
    batch_size: int = 64
    batch_tokens: int = 0
    accumulate_steps: int = 1
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
    cpu_kernels: str = "auto"
    shuffle_buffer: int = 50_000
    distribution: str = "default"
    precision: str = "float32"


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
        sampling_topk: Random sampling instead of search when not null: draw each
            token from the ``K`` most probable ones (0 = the whole distribution).
            Sampling keeps one hypothesis, so it needs ``beam_size`` and ``n_best`` 1.
        sampling_temperature: Divides the log-probabilities before sampling
            (> 0; below 1 sharpens, above 1 flattens).
        seed: Keys sampling's random stream together with the line number and
            the step, so a line's sample is the same in any batch.
        precision: ``float32``, ``mixed_bfloat16``, ``mixed_float16`` or ``auto``:
            the Keras dtype policy translation runs in (:mod:`translate.training.precision`).

    Checked like every section (``n_best <= beam_size`` included) when read
    from YAML, and by :func:`replace_decoding` when options override it.
    """

    beam_size: int = 5
    length_penalty: float = 1.0
    coverage_penalty: float = 0.0
    n_best: int = 1
    max_length_ratio: float = 1.5
    max_length_offset: int = 10
    batch_size: int = 64
    sampling_topk: int | None = None
    sampling_temperature: float = 1.0
    seed: int = 0
    precision: str = "float32"


@dataclasses.dataclass(frozen=True)
class Config:
    """A whole experiment."""

    data: DataConfig = dataclasses.field(default_factory=DataConfig)
    model: ModelConfig = dataclasses.field(default_factory=ModelConfig)
    training: TrainingConfig = dataclasses.field(default_factory=TrainingConfig)
    decoding: DecodingConfig = dataclasses.field(default_factory=DecodingConfig)


def replace_decoding(decoding: DecodingConfig, **overrides: Any) -> DecodingConfig:
    """``decoding`` with the non-None ``overrides`` applied and checked by the config's rules.

    Args:
        decoding: Checked settings, e.g. a run's ``config.decoding``.
        **overrides: Field values (``beam_size=3``, ``n_best=None``, ...); None keeps a field.

    Returns:
        The new frozen settings. A bad value raises a :class:`TranslateError`
        naming it, e.g. ``beam size must be > 0, got 0 (decoding.beam_size)``.
    """
    fields, checked = field_types(DecodingConfig), {}
    for name, value in overrides.items():
        key = f"decoding.{name}"
        if value is None:
            continue
        if key in REMOVED:
            raise TranslateError(f"search option '{name}' was removed: {REMOVED[key]}")
        if name not in fields:
            raise unknown_key(key, [f"decoding.{field}" for field in fields], "search options")
        checked[name] = coerce(key, value, fields[name], "search options")
        if key in CHOICES:
            check_range(key, checked[name], "search options")
        problem = range_problem(key, checked[name])
        if problem:
            label = "n-best" if name == "n_best" else name.replace("_", " ")
            raise TranslateError(f"{label} {problem}, got {value!r} ({key})")
    decoding = dataclasses.replace(decoding, **checked)
    check_decoding(decoding, lambda key: "search options")
    return decoding


def config_from_dict(raw: dict[str, Any], where: str = "config", *, saved: bool = False) -> Config:
    """Builds a checked :class:`Config` from nested dicts.

    A key that earlier versions had and this one dropped (``decoding.compact``)
    is ignored, with a one-line note on stderr unless ``saved``.

    Args:
        raw: ``{"data": {...}, "model": {...}, ...}``; missing keys take defaults.
        where: Name of the origin (a file path) used in error messages.
        saved: The config of a saved run directory: drop removed keys silently.

    Returns:
        The frozen config.

    Raises:
        TranslateError: On an unknown key, a wrong type or a value out of range.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise TranslateError(f"{where}: a config must be a mapping of sections, got {shown(raw)}")
    origins = getattr(raw, "origins", {})  # "section.key" -> "FILE, line N" or "--set ..."
    sections = field_types(Config)
    built = {}
    for section, values in raw.items():
        section_where = origins.get(str(section), where)
        if section not in sections:
            raise unknown_key(str(section), list(sections), section_where)
        if values is None:
            values = {}
        if not isinstance(values, dict):
            name = shorten(str(section))
            raise TranslateError(
                f"{section_where}: section '{name}' must be a mapping, got {shown(values)}"
            )
        fields = field_types(sections[section])
        checked = {}
        for key, value in values.items():
            dotted = f"{section}.{key}"
            where_key = origins.get(dotted, where)
            if dotted in REMOVED:
                if not saved:
                    print(
                        f"note: {where_key}: ignoring '{dotted}', which was removed: "
                        f"{REMOVED[dotted]}",
                        file=sys.stderr,
                    )
                continue
            if key not in fields:
                owner = [name for name in sections if key in field_types(sections[name])]
                valid = [f"{name}.{key}" for name in owner]
                valid = valid or [f"{section}.{name}" for name in fields]
                raise unknown_key(dotted, valid, where_key)
            checked[key] = coerce(dotted, value, fields[key], where_key)
            check_range(dotted, checked[key], where_key)
        built[section] = sections[section](**checked)
    config = Config(**built)
    check_decoding(config.decoding, lambda key: origins.get(key, where))
    check_combinations(config, lambda key: origins.get(key, where))
    return config


def load_config(
    path: str | os.PathLike | None, overrides: list[str] | None = None, *, saved: bool = False
) -> Config:
    """Loads a YAML config file (or defaults when ``path`` is None) with overrides.

    Args:
        path: YAML file, or None for the defaults.
        overrides: ``section.key=value`` strings applied on top.
        saved: ``path`` is a saved run's ``config.yaml``: keys an earlier version
            wrote and this one removed are dropped without a note.

    Returns:
        The frozen, checked config.
    """
    raw = read_yaml(path) if path is not None else {}
    where = str(path) if path is not None else "config"
    return config_from_dict(apply_overrides(raw, overrides or []), where, saved=saved)


def config_to_dict(config: Config) -> dict[str, Any]:
    """The config as nested plain dicts, ready for ``yaml.safe_dump``."""
    return dataclasses.asdict(config)


def save_config(config: Config, path: str | os.PathLike) -> None:
    """Writes the resolved config as YAML, atomically (:func:`translate.runs.fileio.write_text`).

    Args:
        config: The config.
        path: The file, e.g. a run directory's ``config.yaml``.
    """
    write_text(path, yaml.safe_dump(config_to_dict(config), sort_keys=False))
