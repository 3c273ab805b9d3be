"""Test aids shared by the test files: tiny models, tiny run directories, bad-input records.

One builder of each, as plain functions; ``conftest.py`` turns the run
directories into session fixtures.

* Tiny models: :func:`make_model` builds a seeded Seq2Seq with dropout off
  (:func:`cached_model` shares one per configuration); :data:`CONFIGS` covers
  every pair of model options; :func:`batch` is a padded batch to run them on.
* Optimizer steps: :func:`take_optimizer_steps` updates a tiny Keras model a
  few times with a given optimizer class, to compare optimizers by.
* Tiny run directories: :func:`make_run` writes one from a synthetic corpus
  (:func:`write_corpus`) and the config :data:`TINY_CONFIG`, either untrained
  (tokenizer and random model, as training writes them before its first step)
  or trained through ``translate train`` in this process, by default for
  ``training.max_steps=3`` steps. :func:`run_files` writes only the corpus
  and the config, for tests that start training themselves.
* Bad inputs: each one a test tries goes through :func:`bad_input` or
  :func:`survives`, which record it in :data:`CASES`; with env
  ``ROBUSTNESS_CASES=FILE`` the record is written there at the end of the
  session (``benchmarks/robustness_report.py`` counts it).
* Commands and runs under test: :func:`run_cli` runs the command line in this
  process, :func:`one_error_line` checks a failed command's one ``error:`` line,
  :func:`copy_run` copies the tiny run to change its files, and
  :data:`ODD_LINES` are odd but valid lines to translate.

TensorFlow, Keras and this package are imported inside the functions that
need them: ``conftest.py`` imports this module before any test does.
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import json
import os
import random
import shutil
from collections.abc import Sequence
from unittest import mock

import pytest
import yaml

from translate import TranslateError
from translate.config.schema import load_config

# Bad-input bookkeeping -------------------------------------------------------------------

CASES: list[dict] = []


class _Kept:
    """The bytes of an output file before a command, to count what the command lost.

    ``lost_bytes``: the size of the previous file if it is not byte-identical
    afterwards (or gone), else 0. ``temporaries``: files left beside it whose
    names hold ``.tmp`` (a temporary of an atomic write), and the file itself if
    it was not there before (a half-written output).
    """

    def __init__(self, path):
        self.path = os.fspath(path) if path else None
        self.before = self._read()

    def _read(self):
        try:
            with open(self.path, "rb") as handle:
                return handle.read()
        except (OSError, TypeError):
            return None

    def record(self) -> dict:
        if self.path is None:
            return {}
        after = self._read()
        lost = 0 if self.before is None or after == self.before else len(self.before)
        folder = os.path.dirname(os.path.abspath(self.path))
        leftovers = (
            sorted(n for n in os.listdir(folder) if ".tmp" in n) if os.path.isdir(folder) else []
        )
        appeared = self.before is None and after is not None  # a failed command's half file
        return {
            "output": self.path,
            "lost_bytes": lost,
            "temporaries": leftovers + appeared * [self.path],
        }


@contextlib.contextmanager
def bad_input(category: str, name: str, *expected: str, keeps=None):
    """Runs one bad input: it must raise a one-line TranslateError containing ``expected``.

    Anything else raised counts as a crash; no error at all counts as accepted.

    Args:
        category: The group the case is counted in (``config``, ``corpus``, ...).
        name: The case.
        *expected: Parts the error message must contain.
        keeps: An output file the failed command must leave byte-identical, with
            no temporary beside it (recorded as ``lost_bytes`` and ``temporaries``).
    """
    outcome, detail, kept, output = "crashed", "", _Kept(keeps), {}
    try:
        yield
        outcome = "accepted"
    except TranslateError as error:
        detail = str(error)
        missing = [part for part in expected if part not in detail]
        outcome = "unclear" if missing or "\n" in detail else "clean"
    except BaseException as error:
        detail = f"{type(error).__name__}: {error}"
        raise
    finally:
        output = kept.record()
        CASES.append(
            {"category": category, "case": name, "outcome": outcome, "message": detail[:300]}
            | output
        )
    assert outcome == "clean", f"{name}: {outcome}: {detail!r} should name {expected}"
    assert not output.get("lost_bytes") and not output.get("temporaries"), (name, output)


@contextlib.contextmanager
def survives(category: str, name: str, keeps=None):
    """Runs one odd input that must be handled without any exception.

    Args:
        category: The group the case is counted in.
        name: The case.
        keeps: As for :func:`bad_input`.
    """
    outcome, kept, output = "crashed", _Kept(keeps), {}
    try:
        yield
        outcome = "clean"
    finally:
        output = kept.record()
        CASES.append(
            {"category": category, "case": name, "outcome": outcome, "message": ""} | output
        )
    assert not output.get("lost_bytes") and not output.get("temporaries"), (name, output)


def write_cases(path: str) -> None:
    """Writes :data:`CASES` as JSON to ``path``."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(CASES, handle, indent=1, ensure_ascii=False)


# Commands and runs under test --------------------------------------------------------------


def run_cli(argv, capsys):
    """Runs the command line in this process.

    Args:
        argv: The arguments after ``translate``.
        capsys: pytest's ``capsys`` fixture, to read what the command printed.

    Returns:
        ``(exit_status, stdout, stderr)``; a usage error's ``SystemExit`` gives its status.
    """
    from translate.cli import commands

    try:
        status = commands.main(argv)
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err.strip()


def one_error_line(status, err) -> str:
    """Checks a failed command (status 2, one ``error:`` line, no traceback); returns the line."""
    assert status == 2 and "Traceback" not in err, (status, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def copy_run(tiny_run, tmp_path) -> str:
    """Copies the run directory of the ``tiny_run`` fixture into ``tmp_path``, to change it.

    Args:
        tiny_run: The ``tiny_run`` fixture.
        tmp_path: The folder to copy into.

    Returns:
        The path of the copy.
    """
    target = os.path.join(tmp_path, "run")
    shutil.copytree(tiny_run["run_dir"], target)
    return target


# Odd but valid lines to translate: each must give one valid one-line translation.
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


# Tiny models -----------------------------------------------------------------------------

SRC_VOCAB, TGT_VOCAB = 23, 29
ATOL = 1e-5


def make_model(attention="bahdanau", layers=1, tie=False, feeding=True, seed=0, **overrides):
    """Builds a tiny Seq2Seq with dropout off and all weights created.

    Args:
        attention: ``bahdanau`` or ``luong``.
        layers: Encoder and decoder layers.
        tie: Tie the target embedding and the output layer.
        feeding: Input feeding.
        seed: Weight initialization seed.
        **overrides: Other constructor arguments of
            :class:`~translate.model.Seq2Seq`, e.g. ``source_vocab_size`` or
            ``decoder_units``.

    Returns:
        The built model: vocabularies of :data:`SRC_VOCAB` and :data:`TGT_VOCAB`
        and widths 6 (embeddings), 5 (encoder) and 8 (decoder) unless
        overridden. The widths differ on purpose, so a mix-up of memory and
        state sizes shows as a shape error.
    """
    import keras

    from translate.model import Seq2Seq

    keras.utils.set_random_seed(seed)
    arguments = dict(
        source_vocab_size=SRC_VOCAB,
        target_vocab_size=TGT_VOCAB,
        embedding_dim=6,
        encoder_units=5,
        encoder_layers=layers,
        decoder_units=8,
        decoder_layers=layers,
        attention=attention,
        input_feeding=feeding,
        dropout=0.0,
        embedding_dropout=0.0,
        tie_embeddings=tie,
    )
    arguments.update(overrides)
    model = Seq2Seq(**arguments)
    model.build()
    return model


def sharpen_outputs(model, factor: float = 8.0) -> None:
    """Scales the output layer's kernel of a random model, so no two tokens nearly tie.

    Comparisons of two decoding paths are then not at the mercy of rounding.

    Args:
        model: A built Seq2Seq.
        factor: The scale.
    """
    output = model.decoder.output_layer
    output.kernel.assign(output.kernel * factor)


def batch():
    """A padded batch of two sentence pairs of different lengths.

    Returns:
        ``(inputs, source_lengths, target_lengths)``: ``inputs`` holds int32
        ``source (2, 6)`` ending in eos (3) and ``target_in (2, 5)`` starting with
        bos (2), both 0-padded.
    """
    import tensorflow as tf

    source = tf.constant([[5, 6, 7, 8, 9, 3], [10, 11, 3, 0, 0, 0]], tf.int32)
    target_in = tf.constant([[2, 4, 5, 6, 7], [2, 8, 9, 0, 0]], tf.int32)
    return {"source": source, "target_in": target_in}, [6, 3], [5, 3]


def pad(x, length):
    """Right-pads a ``(batch, time)`` int tensor with zeros.

    Args:
        x: The tensor.
        length: The new time length (>= the old one).

    Returns:
        The padded tensor.
    """
    import tensorflow as tf

    return tf.pad(x, [[0, 0], [0, length - x.shape[1]]])


# Every pair of option values (attention x layers x tying x input feeding) occurs
# in at least one of these six models: a pairwise covering of the 16 combinations.
CONFIGS = [
    dict(attention=a, layers=n, tie=t, feeding=f)
    for a, n, t, f in [
        ("bahdanau", 1, False, True),
        ("bahdanau", 2, True, False),
        ("luong", 1, True, True),
        ("luong", 2, False, False),
        ("bahdanau", 1, True, False),
        ("luong", 2, True, True),
    ]
]


def slow_after(values: list, count: int) -> list:
    """The first ``count`` values as they are, the others marked slow.

    For parametrizations whose every value is worth checking in CI's slow run,
    while the quick run checks a few.
    """
    slow = pytest.mark.slow
    return [v if i < count else pytest.param(v, marks=slow) for i, v in enumerate(values)]


def configs_cover_every_pair_of_options() -> bool:
    """Whether :data:`CONFIGS` holds every pair of values of every two options."""
    options = [(c["attention"], c["layers"], c["tie"], c["feeding"]) for c in CONFIGS]
    values = [sorted(set(column)) for column in zip(*options)]
    if [len(v) for v in values] != [2, 2, 2, 2]:
        return False
    return all(
        {(o[i], o[j]) for o in options} == set(itertools.product(values[i], values[j]))
        for i, j in itertools.combinations(range(4), 2)
    )


@functools.lru_cache(maxsize=None)
def _cached(attention, layers, tie, feeding):
    """Memoized :func:`make_model` (arguments as there)."""
    return make_model(attention, layers, tie, feeding)


def cached_model(config):
    """A model built once per configuration and shared by the tests that only read it.

    Args:
        config: Keyword arguments of :func:`make_model` (one of :data:`CONFIGS`).

    Returns:
        The shared model (do not modify its weights; restore its loop if you set one).
    """
    return _cached(config["attention"], config["layers"], config["tie"], config["feeding"])


def config_id(config):
    """A readable test id for a model configuration.

    Args:
        config: Keyword arguments of :func:`make_model`.

    Returns:
        E.g. ``luong-2l-tied-nofeed``.
    """
    return "-".join(
        [
            config["attention"],
            f"{config['layers']}l",
            "tied" if config["tie"] else "untied",
            "feed" if config["feeding"] else "nofeed",
        ]
    )


# Optimizer steps -------------------------------------------------------------------------


def take_optimizer_steps(optimizer_class, steps=5, **options):
    """A few optimizer steps on a dense kernel and an embedding (sparse gradients).

    Args:
        optimizer_class: An Adam-like Keras optimizer class.
        steps: How many updates.
        **options: Further constructor arguments (learning rate 0.01 and
            ``global_clipnorm=1.0`` are set).

    Returns:
        The model after ``steps`` updates, and the optimizer.
    """
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.layers.Embedding(11, 4), keras.layers.Dense(3)])
    tokens = tf.constant([[1, 2, 3], [4, 5, 1]])
    model(tokens)
    optimizer = optimizer_class(learning_rate=0.01, global_clipnorm=1.0, **options)
    for step in range(steps):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.sin(model(tokens) * (step + 1.0)))
        optimizer.apply(tape.gradient(loss, model.trainable_variables), model.trainable_variables)
    return model, optimizer


# Tiny run directories --------------------------------------------------------------------

_SUBJECTS = [
    ("Ein Mann", "A man"), ("Eine Frau", "A woman"), ("Ein Kind", "A child"),
    ("Zwei Hunde", "Two dogs"), ("Ein Mädchen", "A girl"), ("Drei Jungen", "Three boys"),
]  # fmt: skip
_VERBS = [("fährt", "rides"), ("sieht", "sees"), ("trägt", "carries"), ("hält", "holds")]
_OBJECTS = [
    ("ein Fahrrad", "a bike"), ("einen Ball", "a ball"), ("eine Tasche", "a bag"),
    ("einen großen Hut", "a big hat"), ("ein rotes Auto", "a red car"),
]  # fmt: skip
_PLACES = [("", ""), (" im Park", " in the park"), (" auf der Straße", " on the street")]

# Sentences to translate with a tiny run: ordinary, blank (BLANKS), odd and long ones.
SENTENCES = [
    "Ein Mann fährt Fahrrad.",
    "Zwei Hunde spielen im Schnee.",
    "",
    "Eine Frau mit einem roten Hut liest ein Buch am Strand.",
    "   ",
    "Kinder.",
    "Ein Mädchen trägt eine große Tasche über die Straße, während es regnet.",
    "\u3000",
    "Drei Jungen sehen ein rotes Auto.",
    "Ümläute: äöü ÄÖÜ ß",
    "Emoji 🙂 und 中文 Zeichen",
    "\t",
    "Ein Kind hält einen Ball im Park und lacht laut.",
    "x",
    "Eine Gruppe von Männern lädt Baumwolle auf einen Lastwagen",
    "Ein Hund läuft.",
    " Ein Mann schläft in einem grünen Raum auf einem Sofa. ",
    "Zwei Männer stehen am Herd und bereiten Essen zu.",
    "Hund Hund Hund Hund Hund Hund Hund Hund Hund Hund Hund Hund",
    "Ein Junge mit Kopfhörern sitzt auf den Schultern einer Frau.",
]
BLANKS = {"", "   ", "\u3000", "\t"}

# The training split of write_corpus: every pair of the sentence template is kept;
# some have an empty side, some are longer than data.max_length subwords.
TRAIN_PAIRS_KEPT, TRAIN_PAIRS_EMPTY, TRAIN_PAIRS_LONG = 360, 3, 2
DEV_PAIRS, TEST_PAIRS = 10, 12

# The config of every tiny run (the corpus path is added by run_files). Training stops
# at max_steps inside epoch 1 of 2 (6 or so steps of 64 pairs): raising the limit resumes.
TINY_CONFIG = {
    "data": {"vocab_size": 400, "max_length": 40, "test_split": "test"},
    "model": {
        "embedding_dim": 16,
        "encoder_units": 16,
        "decoder_units": 16,
        "dropout": 0.0,
        "embedding_dropout": 0.0,
    },
    "training": {
        "epochs": 2,
        "max_steps": 3,
        "batch_size": 64,
        "warmup_steps": 5,
        "early_stopping_patience": 10,
        "dev_sentences": DEV_PAIRS,
        "jit_compile": False,
        "shuffle_buffer": 1000,
        "keep_checkpoints": 1,
        "seed": 7,
    },
    "decoding": {"beam_size": 3, "batch_size": 16},
}


def template_pairs() -> list[tuple[str, str]]:
    """The 360 German-English sentence pairs of the template (subject, verb, object, place)."""
    return [
        (f"{s} {v} {o}{p}.", f"{s_en} {v_en} {o_en}{p_en}.")
        for (s, s_en), (v, v_en), (o, o_en), (p, p_en) in itertools.product(
            _SUBJECTS, _VERBS, _OBJECTS, _PLACES
        )
    ]


def write_parallel(folder, split: str, pairs, langs=("de", "en")) -> None:
    """Writes ``{split}.de`` and ``{split}.en``, one sentence per line.

    Args:
        folder: The corpus folder (created if missing).
        split: The split name, e.g. ``train``.
        pairs: ``(source, target)`` strings.
        langs: The two file suffixes.
    """
    os.makedirs(folder, exist_ok=True)
    for side, lang in enumerate(langs):
        with open(os.path.join(folder, f"{split}.{lang}"), "w", encoding="utf-8") as handle:
            handle.writelines(pair[side] + "\n" for pair in pairs)


def write_lines(path, lines, compress: bool = False) -> str:
    """Writes one line per string (UTF-8, each ending in a line break), gzipped if asked.

    Args:
        path: The file.
        lines: The lines, without line breaks.
        compress: Write gzip.

    Returns:
        The path, as a string.
    """
    import gzip

    data = "".join(line + "\n" for line in lines).encode("utf-8")
    with (gzip.open if compress else open)(path, "wb") as handle:
        handle.write(data)
    return str(path)


def write_corpus(folder) -> str:
    """A synthetic de-en corpus folder with ``train``, ``val`` and ``test`` splits.

    ``train`` holds the :data:`TRAIN_PAIRS_KEPT` template pairs, and
    :data:`TRAIN_PAIRS_EMPTY` pairs with an empty side and
    :data:`TRAIN_PAIRS_LONG` pairs over 40 subwords mixed in; ``val`` and
    ``test`` are :data:`DEV_PAIRS` and :data:`TEST_PAIRS` template pairs.

    Args:
        folder: Where to write ``{split}.de`` and ``{split}.en``.

    Returns:
        The folder, as a string.
    """
    pairs = template_pairs()
    train = list(pairs)
    train[10:10] = [("", "A dog."), ("Ein Hund.", ""), ("   ", "A cat.")]
    long_pair = tuple(" ".join(side) for side in zip(*pairs[:12]))
    train[20:20] = [long_pair, long_pair[::-1]]
    write_parallel(folder, "train", train)
    write_parallel(folder, "val", pairs[5::37][:DEV_PAIRS])
    write_parallel(folder, "test", pairs[11::29][:TEST_PAIRS])
    return os.fspath(folder)


def run_files(base, name: str = "tiny", overrides: Sequence[str] = ()) -> dict:
    """Writes (once) the corpus and the config file of a tiny run under ``base``.

    Args:
        base: The folder, e.g. pytest's session temp folder.
        name: The run's name: its config is ``{name}.yaml``, its run directory ``{name}-run``.
        overrides: ``section.key=value`` changes of :data:`TINY_CONFIG`, written into the file.

    Returns:
        ``{"base", "corpus", "config", "run_dir"}`` paths.
    """
    base = os.fspath(base)
    corpus = os.path.join(base, "tiny-corpus")
    config = os.path.join(base, f"{name}.yaml")
    if not os.path.isdir(corpus):
        write_corpus(corpus + ".tmp")
        os.replace(corpus + ".tmp", corpus)
    if not os.path.exists(config):
        raw = {section: dict(values) for section, values in TINY_CONFIG.items()}
        raw["data"]["source"] = corpus
        for override in overrides:
            key, value = override.split("=", 1)
            section, field = key.split(".")
            raw[section][field] = yaml.safe_load(value)
        with open(config + ".tmp", "w", encoding="utf-8") as handle:
            yaml.safe_dump(raw, handle)
        os.replace(config + ".tmp", config)
    return {
        "base": base,
        "corpus": corpus,
        "config": config,
        "run_dir": os.path.join(base, f"{name}-run"),
    }


def make_run(base, name: str = "tiny", *, trained: bool = True, overrides=()) -> dict:
    """A tiny run directory under ``base``, built once (a no-op when it is already there).

    Args:
        base: The folder, e.g. pytest's session temp folder.
        name: The run's name (see :func:`run_files`).
        trained: True: ``translate train --config C --run-dir R`` in this process,
            which stops at ``training.max_steps`` (3 unless overridden). False: the
            tokenizer and a random-weight model, written with training's own
            functions before any step, with :func:`sharpen_outputs` applied.
        overrides: ``section.key=value`` changes of :data:`TINY_CONFIG`.

    Returns:
        What :func:`run_files` returns, and ``"log"``: what the training printed
        (kept in ``{name}.log`` under ``base``; empty for an untrained run).
    """
    files = run_files(base, name, overrides)
    log_path = os.path.join(files["base"], f"{name}.log")
    if not os.path.exists(log_path):
        if trained:
            log = _train_with_the_cli(files)
        else:
            _write_untrained(files)
            log = ""
        with open(log_path, "w", encoding="utf-8") as handle:
            handle.write(log)
    with open(log_path, encoding="utf-8") as handle:
        return {**files, "log": handle.read()}


def _train_with_the_cli(files: dict) -> str:
    """Runs ``translate train`` on ``files`` in this process; returns what it printed."""
    from translate.cli import commands as cli

    printed = io.StringIO()
    argv = ["train", "--config", files["config"], "--run-dir", files["run_dir"]]
    with (
        mock.patch.dict(os.environ, {"TRANSLATE_PROGRESS": "0"}),
        contextlib.redirect_stdout(printed),
    ):
        status = cli.main(argv)
    assert status == 0, printed.getvalue()
    return printed.getvalue()


def _write_untrained(files: dict) -> None:
    """Writes config, tokenizer and a random model (seed 7) into ``files["run_dir"]``."""
    import keras

    from translate.runs.rundir import RunDir
    from translate.training.train import build_model, train_tokenizer

    config = load_config(files["config"])
    # Seed first: tf.random.set_seed clears the eager kernel cache, which destroys the
    # kernel-owned SentencePiece resources of tokenizers made before it.
    keras.utils.set_random_seed(config.training.seed)
    tokenizer = train_tokenizer(config)
    model = build_model(config, tokenizer)
    sharpen_outputs(model)
    run = RunDir(files["run_dir"] + ".tmp")
    os.makedirs(run.path)
    run.save_config(config)
    run.save_tokenizer(tokenizer)
    run.save_model(model)
    os.replace(run.path, files["run_dir"])


def write_yaml(path, text):
    """Writes a YAML file.

    Args:
        path: A ``pathlib.Path`` to write.
        text: The file's text.

    Returns:
        The path as a string.
    """
    path.write_text(text, encoding="utf-8")
    return str(path)


def config_error(overrides, path=None):
    """Loads a config that must be rejected and returns the error message.

    Args:
        overrides: ``section.key=value`` strings.
        path: Optional YAML file.

    Returns:
        The text of the raised :class:`~translate.TranslateError`.
    """
    with pytest.raises(TranslateError) as info:
        load_config(path, overrides)
    return str(info.value)
