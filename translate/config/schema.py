"""Experiment configuration: each key's type, default, rule and doc, written once.

Four sections, ``data``, ``model``, ``training`` and ``decoding``, are one frozen
dataclass each; a key is a field made by :func:`setting`, its type the
annotation, its doc, allowed values, numeric range and emptiness rule the
metadata. Reading (:mod:`~translate.config.strict_yaml`), ``--set``, the checks
and their one-line errors (:mod:`~translate.config.validation`) and
``docs/config.md`` (:func:`key_table`) all read them from here. Every key has a
default, so a file names only what it changes. A saved run's ``config.yaml`` is
read with ``saved=True``: keys this version removed (:data:`REMOVED`) are
dropped silently, so old runs still load.

Example:
    >>> config = load_config("configs/multi30k_de_en_quick.yaml",
    ...                      overrides=["training.epochs=3"])
    >>> config.training.epochs
    3
"""

import dataclasses
import json
import math
import os
import sys
from typing import Any

import yaml

from translate import TranslateError
from translate.config.messages import shorten, shown
from translate.config.strict_yaml import Located, read_value_text, read_yaml
from translate.config.validation import (
    AGREEMENT,
    INT_LIMIT,
    RANGES,
    check_agreement,
    check_value,
    coerce,
    fields_of,
    has_type,
    range_problem,
    type_name,
    unknown_key,
)
from translate.runs.fileio import write_text

# Keys earlier versions had: key -> why it went. Dropped from files, refused as overrides.
REMOVED = {
    "decoding.compact": "search always steps only the growing hypotheses",
    "training.fused_optimizer": (
        "training uses Keras' Adam; the fused update saved under 3% of a step (docs/performance.md)"
    ),
}
# The values of training.precision and decoding.precision: auto or a Keras dtype policy.
_PRECISIONS = ("auto", "float32", "mixed_bfloat16", "mixed_float16")


def setting(
    default: Any,
    doc: str,
    *,
    choices: tuple[str, ...] = (),
    range: str | None = None,
    if_empty: str | None = None,
) -> Any:
    """A config key: a field whose metadata holds its rules and its doc.

    Args:
        default: The value when a config does not name the key.
        doc: What the key means (``docs/config.md``, the section's docstring).
        choices: The allowed values of a string key; empty for any.
        range: The numeric rule, a key of :data:`~translate.config.validation.RANGES`.
        if_empty: Refuse an empty or blank string, with this hint.
    """
    metadata = {"doc": doc, "choices": choices, "range": range, "if_empty": if_empty}
    return dataclasses.field(default=default, metadata=metadata)


def _rule(field: dataclasses.Field) -> str:
    """A key's rule in words: ``"unigram, bpe"``, ``"> 0"``, ``"not empty"`` or ``""``."""
    if field.metadata["choices"]:
        return ", ".join(field.metadata["choices"])
    if field.metadata["range"]:
        return RANGES[field.metadata["range"]][1].removeprefix("must be ")
    return "not empty" if field.metadata["if_empty"] else ""


def _section(cls: type) -> type:
    """A frozen dataclass of config keys, their docs listed under ``Attributes:`` in its doc."""
    cls = dataclasses.dataclass(frozen=True)(cls)
    keys = "".join(
        f"\n        {f.name}: {f.metadata['doc']}" + (f" ({_rule(f)})" if _rule(f) else "")
        for f in dataclasses.fields(cls)
    )
    cls.__doc__ = f"{cls.__doc__.rstrip()}\n\n    Attributes:{keys}\n    "
    return cls


@_section
class DataConfig:
    """Where the parallel corpus comes from and how it is split into subwords."""

    source: str = setting(
        "multi30k", "``multi30k``, ``tfds:NAME[/CONFIG]`` or a folder of parallel files."
    )
    src_lang: str = setting("de", "Source language code.")
    tgt_lang: str = setting("en", "Target language code.")
    dir: str | None = setting(
        None,
        "Local folder of the Multi30k ``.gz`` files (else env ``MULTI30K_DIR``); for "
        "``tfds:NAME``, a folder of its files downloaded by hand (TFDS's ``manual_dir``).",
    )
    train_split: str = setting("train", "Split used for training and for the tokenizer.")
    dev_split: str = setting("val", "Split used for dev BLEU during training.")
    test_split: str = setting("test_2016_flickr", "Split ``translate evaluate`` scores by default.")
    vocab_size: int = setting(8000, "SentencePiece vocabulary size.", range="> 0")
    tokenizer_type: str = setting("unigram", "SentencePiece model.", choices=("unigram", "bpe"))
    joint_vocab: bool = setting(True, "One subword model for both languages, else one each.")
    tokenizer_sample: int = setting(
        1_000_000, "Sentences per language used to train the tokenizer.", range="> 0"
    )
    max_length: int = setting(
        100,
        "Training pairs longer than this many subwords on either side are filtered out "
        "(and counted).",
        range="> 0",
    )
    train_limit: int = setting(0, "Use only the first N training pairs (0 = all).", range=">= 0")
    cache: str = setting(
        "memory",
        "Where the training pipeline keeps token ids after the first pass: ``memory`` "
        "(fast; grows with the corpus), ``none`` (tokenize again every epoch; memory stays "
        "flat for corpora of any size) or a file path prefix for a ``tf.data`` cache on "
        "disk (its folder must exist).",
        if_empty="use memory, none or a file path prefix",
    )
    tokenizer_dir: str | None = setting(
        None,
        "The ``tokenizer`` folder of an existing run to train with (its files are copied "
        "byte for byte into the new run), e.g. so that the members of an ensemble share one "
        "target vocabulary; null trains a new tokenizer (then ``vocab_size``, "
        "``tokenizer_type``, ``joint_vocab`` and ``tokenizer_sample`` apply).",
        if_empty="name a run's tokenizer folder or leave it out",
    )
    sentencepiece_model: str | None = setting(
        None,
        "A SentencePiece ``.model`` file of your own to tokenize both languages with "
        "(copied into the run and its export) instead of training one; it needs the ids "
        "``<pad>`` 0, ``<unk>`` 1, ``<s>`` 2, ``</s>`` 3. Then ``vocab_size``, "
        "``tokenizer_type`` and ``tokenizer_sample`` do not apply and ``joint_vocab`` must "
        "be true.",
        if_empty="name a SentencePiece .model file or leave it out",
    )
    source_sentencepiece_model: str | None = setting(
        None,
        "The source side's own SentencePiece ``.model`` file (with "
        "``target_sentencepiece_model``; ``joint_vocab`` must be false), as "
        "``sentencepiece_model``.",
        if_empty="name a SentencePiece .model file or leave it out",
    )
    target_sentencepiece_model: str | None = setting(
        None,
        "The target side's SentencePiece ``.model`` file (see ``source_sentencepiece_model``).",
        if_empty="name a SentencePiece .model file or leave it out",
    )
    subword_sampling: float = setting(
        0.0,
        "Subword regularisation (Kudo, 2018): the SentencePiece smoothing ``alpha`` with "
        "which each epoch draws a new segmentation of both sides of every training pair "
        "from a ``unigram`` tokenizer (0 = off, the best one; dev, test and translation "
        "always use that). ``cache`` then keeps the text pairs, not token ids.",
        range="[0, 1]",
    )


@_section
class ModelConfig:
    """Shape of the LSTM encoder-decoder."""

    embedding_dim: int = setting(256, "Size of source and target embeddings.", range="> 0")
    encoder_units: int = setting(512, "LSTM units per direction of the encoder.", range="> 0")
    encoder_layers: int = setting(1, "Stacked bidirectional LSTM layers.", range="> 0")
    decoder_units: int = setting(512, "LSTM units of the decoder.", range="> 0")
    decoder_layers: int = setting(1, "Stacked decoder LSTM layers.", range="> 0")
    attention: str = setting(
        "bahdanau",
        "``bahdanau`` (additive) or ``luong`` (multiplicative).",
        choices=("bahdanau", "luong"),
    )
    input_feeding: bool = setting(True, "Feed the previous attentional vector into the decoder.")
    dropout: float = setting(
        0.3, "Dropout between layers and on the attentional vector.", range="[0, 1)"
    )
    embedding_dropout: float = setting(0.1, "Dropout on embeddings.", range="[0, 1)")
    tie_embeddings: bool = setting(False, "Tie the decoder input embedding to the output layer.")
    share_embeddings: bool = setting(
        False,
        "The encoder reads the source with the decoder's target embedding: one matrix for "
        "both languages (needs ``data.joint_vocab``); with ``tie_embeddings``, one matrix "
        "for source, target and output.",
    )
    output_bias_init: str = setting(
        "unigram",
        "``unigram`` starts the output layer's bias at the log frequencies of the training "
        "target subwords, so the first steps do not have to learn them through (and "
        "saturate) the recurrent state; ``zeros`` starts it at zero.",
        choices=("unigram", "zeros"),
    )


@_section
class TrainingConfig:
    """How the model is trained."""

    epochs: int = setting(20, "Passes over the training data.", range="> 0")
    batch_size: int = setting(64, "Pairs per batch (when ``batch_tokens`` is 0).", range="> 0")
    batch_tokens: int = setting(
        0,
        "Fill each batch with up to about this many source plus target subwords, padding "
        "included, instead of ``batch_size`` pairs: batches of short sentences hold more "
        "pairs (0 = off). Global under ``distribution``, like ``batch_size``.",
        range=">= 0",
    )
    accumulate_steps: int = setting(
        1,
        "Batches whose gradients make one optimizer update; the loss is the token loss "
        "summed over them divided by their total target token count (1 = an update per "
        "batch). ``max_steps``, ``warmup_steps`` and the logs count updates.",
        range="> 0",
    )
    bucket_width: int = setting(
        4, "Width in subwords of the length buckets batches are drawn from.", range="> 0"
    )
    learning_rate: float = setting(0.001, "Peak learning rate of Adam.", range="> 0")
    warmup_steps: int = setting(200, "Linear warm-up steps.", range=">= 0")
    lr_decay_factor: float = setting(
        0.5, "Learning rate multiplier when dev BLEU stops improving.", range="[0, 1)"
    )
    lr_patience: int = setting(1, "Epochs without dev improvement before a decay.", range=">= 0")
    min_learning_rate: float = setting(1e-5, "Floor of the learning rate.", range=">= 0")
    clip_norm: float = setting(1.0, "Global gradient-norm clipping.", range="> 0")
    weight_decay: float = setting(0.0, "Decoupled weight decay (AdamW); 0 = off.", range=">= 0")
    label_smoothing: float = setting(0.1, "Label smoothing of the cross-entropy.", range="[0, 1)")
    early_stopping_patience: int = setting(
        4, "Epochs without dev improvement before stopping.", range=">= 0"
    )
    keep_checkpoints: int = setting(
        5, "Epoch weight snapshots kept for ``translate average`` (0 = none).", range=">= 0"
    )
    max_steps: int = setting(0, "Stop after N optimizer steps (0 = no limit).", range=">= 0")
    max_minutes: float = setting(
        0.0, "Stop after this much wall time in minutes (0 = no limit).", range=">= 0"
    )
    dev_sentences: int = setting(
        0, "Dev sentences decoded for dev BLEU each epoch (0 = all).", range=">= 0"
    )
    seed: int = setting(1234, "Random seed.")
    jit_compile: bool = setting(False, "Compile the training step with XLA.")
    cpu_kernels: str = setting(
        "auto",
        "The CPU speed devices of ``translate/training/speed.py``, same values and "
        "gradients; ``auto`` turns them on when TensorFlow sees no GPU.",
        choices=("auto", "on", "off"),
    )
    shuffle_buffer: int = setting(50_000, "Pairs in the shuffle buffer.", range="> 0")
    distribution: str = setting(
        "default",
        "How training is spread over devices and machines (``docs/distributed.md``).",
        choices=("default", "mirrored", "multi_worker"),
    )
    init_from: str | None = setting(
        None,
        "A finished run directory to start this new run from: its best model's weights "
        "(``model.keras``) and its tokenizer (copied, like ``data.tokenizer_dir``), with a "
        "fresh optimizer, learning-rate schedule, step count, best score and early "
        "stopping. Model keys that shape a weight must match that run's; ``dropout``, "
        "``embedding_dropout`` and ``output_bias_init`` may differ. A resumed run goes on "
        "from its own checkpoint.",
        if_empty="name a trained run directory or leave it out",
    )
    precision: str = setting(
        "float32",
        "The Keras dtype policy of training (``auto``: measured per machine); weights stay "
        "float32 (``translate/training/precision.py``, ``docs/precision.md``).",
        choices=_PRECISIONS,
    )


@_section
class DecodingConfig:
    """How translations are searched for.

    Checked like every section (``n_best <= beam_size`` included) when read
    from YAML, and by :func:`replace_decoding` when options override it.
    """

    beam_size: int = setting(5, "Beams per sentence; 1 is greedy search.", range="> 0")
    length_penalty: float = setting(1.0, "GNMT length penalty alpha.", range=">= 0")
    coverage_penalty: float = setting(0.0, "GNMT coverage penalty beta.", range=">= 0")
    n_best: int = setting(1, "Hypotheses returned per sentence.", range="> 0")
    max_length_ratio: float = setting(
        1.5, "Output length limit as a multiple of the source length.", range="> 0"
    )
    max_length_offset: int = setting(10, "Tokens added to that limit.", range=">= 0")
    batch_size: int = setting(64, "Sentences translated together.", range="> 0")
    sampling_topk: int | None = setting(
        None,
        "Random sampling instead of search when not null: draw each token from the ``K`` "
        "most probable ones (0 = the whole distribution). Sampling keeps one hypothesis, "
        "so it needs ``beam_size`` and ``n_best`` 1.",
        range=">= 0",
    )
    sampling_temperature: float = setting(
        1.0,
        "Divides the log-probabilities before sampling (below 1 sharpens, above 1 flattens).",
        range="> 0",
    )
    seed: int = setting(
        0,
        "Keys sampling's random stream together with the line number and the step, so a "
        "line's sample is the same in any batch.",
        range=">= 0",
    )
    precision: str = setting(
        "float32",
        "The Keras dtype policy translation runs in (``translate/training/precision.py``).",
        choices=_PRECISIONS,
    )


@dataclasses.dataclass(frozen=True)
class Config:
    """A whole experiment."""

    data: DataConfig = dataclasses.field(default_factory=DataConfig)
    model: ModelConfig = dataclasses.field(default_factory=ModelConfig)
    training: TrainingConfig = dataclasses.field(default_factory=TrainingConfig)
    decoding: DecodingConfig = dataclasses.field(default_factory=DecodingConfig)


def _field(key: str) -> dataclasses.Field:
    """The field of a dotted key such as ``"training.precision"``."""
    section, _, name = key.partition(".")
    return fields_of(fields_of(Config)[section].type)[name]


def allowed(key: str) -> tuple[str, ...]:
    """The allowed values of a string key, e.g. ``allowed("training.cpu_kernels")``."""
    return _field(key).metadata["choices"]


def check_key(key: str, value: Any, where: str | None = None) -> None:
    """Checks a value that did not come through :func:`load_config` (settings built by hand).

    Args:
        key: The dotted key, e.g. ``"training.precision"``.
        value: Its value.
        where: The origin named first in a message; None names only the key.

    Raises:
        TranslateError: E.g. ``config key 'training.precision' is 'bf16'; allowed: ...``.
    """
    check_value(key, value, _field(key), where)


def check_saved_value(key: str, value: Any, where: str) -> None:
    """Checks a value read back from a saved file (JSON): its exact type, then its key's rules.

    Unlike a YAML value nothing is converted: a string is not taken for a
    number, nor an object (a serialized Keras object, say) for a plain value.

    Args:
        key: The dotted key whose rules the value follows, e.g. ``"model.dropout"``.
        value: The value as read.
        where: The file and field named first in a message.

    Raises:
        TranslateError: E.g. ``F: field 'dropout' must be float, got 'x' (str)``.
    """
    field = _field(key)
    if not has_type(value, field):
        kind = "a serialized object" if isinstance(value, dict) else type(value).__name__
        got = "null" if value is None else f"{shown(value)} ({kind})"
        raise TranslateError(f"{where} must be {type_name(field.type)} (as '{key}'), got {got}")
    if isinstance(value, float) and not math.isfinite(value):
        raise TranslateError(f"{where} is {shown(value)}; it must be a finite number")
    try:
        check_value(key, value, field, None)
    except TranslateError as error:
        raise TranslateError(f"{where}: {error}") from None


def replace_decoding(decoding: DecodingConfig, **overrides: Any) -> DecodingConfig:
    """``decoding`` with the non-None ``overrides`` applied and checked by the config's rules.

    Args:
        decoding: Checked settings, e.g. a run's ``config.decoding``.
        **overrides: Field values (``beam_size=3``, ``n_best=None``, ...); None keeps a field.

    Returns:
        The new frozen settings. A bad value raises a :class:`TranslateError`
        naming it, e.g. ``beam size must be > 0, got 0 (decoding.beam_size)``.
    """
    fields, checked, where = fields_of(DecodingConfig), {}, "search options"
    for name, value in overrides.items():
        key = f"decoding.{name}"
        if value is None:
            continue
        if key in REMOVED:
            raise TranslateError(f"search option '{name}' was removed: {REMOVED[key]}")
        if name not in fields:
            raise unknown_key(key, [f"decoding.{field}" for field in fields], where)
        checked[name] = coerce(key, value, fields[name], where)
        if fields[name].metadata["choices"]:
            check_value(key, checked[name], fields[name], where)
        problem = range_problem(fields[name], checked[name])
        if problem:
            label = "n-best" if name == "n_best" else name.replace("_", " ")
            raise TranslateError(f"{label} {problem}, got {value!r} ({key})")
    decoding = dataclasses.replace(decoding, **checked)
    check_agreement(Config(decoding=decoding), lambda key: where, section="decoding")
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
    sections = {name: field.type for name, field in fields_of(Config).items()}
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
        fields = fields_of(sections[section])
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
                owner = [name for name in sections if key in fields_of(sections[name])]
                valid = [f"{name}.{key}" for name in owner]
                valid = valid or [f"{section}.{name}" for name in fields]
                raise unknown_key(dotted, valid, where_key)
            checked[key] = coerce(dotted, value, fields[key], where_key)
            check_value(dotted, checked[key], fields[key], where_key)
        built[section] = sections[section](**checked)
    config = Config(**built)
    check_agreement(config, lambda key: origins.get(key, where))
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


def key_table() -> str:
    """``docs/config.md``: every key's type, default, allowed values and doc, from the schema.

    Returns:
        The Markdown text (``python -m translate.config > docs/config.md`` writes it).
    """
    lines = [
        "# Configuration keys",
        "",
        "Generated from `translate/config/schema.py` by `python -m translate.config > "
        "docs/config.md`; edit the schema, not this file. Integers are at most "
        f"{INT_LIMIT:,}; floats are finite.",
    ]
    for name, section in fields_of(Config).items():
        lines += ["", f"## {name}", "", section.type.__doc__.split("\n")[0], ""]
        lines += ["| key | type | default | allowed | meaning |", "| --- | --- | --- | --- | --- |"]
        for key, field in fields_of(section.type).items():
            default = field.default
            default = default if isinstance(default, str) else json.dumps(default)
            rule = ", ".join(f"`{part}`" for part in field.metadata["choices"])
            rule = rule or (f"`{_rule(field)}`" if _rule(field) else "")
            lines.append(
                f"| `{name}.{key}` | {type_name(field.type)} | `{default}` | {rule} "
                f"| {field.metadata['doc']} |"
            )
    lines += ["", "## Keys that must agree", ""]
    lines += [f"- {' '.join(rule.__doc__.split())}" for rule in AGREEMENT.values()]
    lines += ["", "## Removed keys", "", "Ignored in a file (with a note), refused by `--set`.", ""]
    lines += [f"- `{key}`: {why}." for key, why in REMOVED.items()]
    return "\n".join(lines) + "\n"
