"""Test aids shared by several test files: run directories to test on, and bad-input records.

Two run directories, both tiny:

* :func:`write_random_run`: a tokenizer and a random-weight model written as
  training writes them, in a second and without a corpus (the ``random_run``
  fixture of ``conftest.py``). For tests of loading and translating.
* :func:`robust_files` and :func:`ensure_tiny_run`: a synthetic corpus and a
  config, trained for 3 epochs through the CLI (the ``tiny_run`` fixture). For
  tests that need a real checkpoint, metrics and a model that learned a little.
  ``test_resume.py`` compares interrupted runs with this uninterrupted one.

Each bad input a test tries goes through :func:`bad_input` or :func:`survives`,
which record it in :data:`CASES`; with env ``ROBUSTNESS_CASES=FILE`` the record
is written there at the end of the session (``benchmarks/robustness_report.py``
counts it).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import random
from unittest import mock

import yaml

from translate import cli
from translate.config import Config, DecodingConfig, ModelConfig
from translate.errors import TranslateError

# Bad-input bookkeeping -------------------------------------------------------------------

CASES: list[dict] = []


@contextlib.contextmanager
def bad_input(category: str, name: str, *expected: str):
    """Runs one bad input: it must raise a one-line TranslateError containing ``expected``.

    Anything else raised counts as a crash; no error at all counts as accepted.

    Args:
        category: The group the case is counted in (``config``, ``corpus``, ...).
        name: The case.
        *expected: Parts the error message must contain.
    """
    outcome, detail = "crashed", ""
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
        CASES.append(
            {"category": category, "case": name, "outcome": outcome, "message": detail[:300]}
        )
    assert outcome == "clean", f"{name}: {outcome}: {detail!r} should name {expected}"


@contextlib.contextmanager
def survives(category: str, name: str):
    """Runs one odd input that must be handled without any exception.

    Args:
        category: The group the case is counted in.
        name: The case.
    """
    outcome = "crashed"
    try:
        yield
        outcome = "clean"
    finally:
        CASES.append({"category": category, "case": name, "outcome": outcome, "message": ""})


def write_cases(path: str) -> None:
    """Writes :data:`CASES` as JSON to ``path``."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(CASES, handle, indent=1, ensure_ascii=False)


# A random-weight run directory -----------------------------------------------------------

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

# Sentences to translate with it: ordinary, blank (BLANKS), odd and long ones.
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


def _random_run_corpus():
    for (s, s_en), (v, v_en), (o, o_en), (p, p_en) in itertools.product(
        _SUBJECTS, _VERBS, _OBJECTS, _PLACES
    ):
        yield f"{s} {v} {o}{p}.", f"{s_en} {v_en} {o_en}{p_en}."


def write_random_run(path, seed: int = 7, vocab_size: int = 300) -> str:
    """Writes a run directory with a tiny tokenizer and a random-weight model, as training does.

    The config has beam size 3 and 16 units everywhere.

    Args:
        path: The folder to write (created if missing).
        seed: Weight initialization seed.
        vocab_size: Subword vocabulary size.

    Returns:
        The folder, as a string.
    """
    import keras  # Here, not above: conftest.py imports this module, and TensorFlow is slow.

    from translate.model import Seq2Seq
    from translate.rundir import RunDir
    from translate.tokenizer import SubwordTokenizer

    # Seed first: tf.random.set_seed clears the eager kernel cache, which destroys the
    # kernel-owned SentencePiece resources of tokenizers made before it.
    keras.utils.set_random_seed(seed)
    pairs = list(_random_run_corpus())
    tokenizer = SubwordTokenizer.train([s for s, _ in pairs], [t for _, t in pairs], vocab_size)
    config = Config(
        model=ModelConfig(
            embedding_dim=16, encoder_units=16, decoder_units=16, dropout=0.0, embedding_dropout=0.0
        ),
        decoding=DecodingConfig(beam_size=3, batch_size=64),
    )
    model = Seq2Seq.from_config_section(
        config.model, tokenizer.source_vocab_size, tokenizer.target_vocab_size
    )
    model.build()
    # Sharper output distributions than the initialization gives, so no two
    # tokens nearly tie and the comparisons are not at the mercy of rounding.
    output = model.decoder.output_layer
    output.kernel.assign(output.kernel * 8.0)
    run = RunDir(path)
    os.makedirs(run.path, exist_ok=True)
    run.save_config(config)
    run.save_tokenizer(tokenizer)
    run.save_model(model)
    return str(path)


# A tiny trained run ----------------------------------------------------------------------

_DE = (
    "der die das ein eine hund katze mann frau kind ball haus park wasser rot blau groß "
    "klein läuft spielt sieht trinkt im auf mit"
).split()
_EN = (
    "the the the a a dog cat man woman child ball house park water red blue big small "
    "runs plays sees drinks in on with"
).split()
TRAIN_PAIRS_KEPT, TRAIN_PAIRS_EMPTY, TRAIN_PAIRS_LONG = 495, 3, 2

TINY_CONFIG = {
    "data": {"vocab_size": 400, "max_length": 40},  # 300 is below the tokenizer's minimum
    "model": {"embedding_dim": 16, "encoder_units": 16, "decoder_units": 16},
    "training": {
        "epochs": 3,
        "batch_size": 64,
        "warmup_steps": 5,
        "early_stopping_patience": 10,
        "dev_sentences": 10,
        "jit_compile": False,
        "shuffle_buffer": 1000,
        "seed": 7,
    },
    "decoding": {"beam_size": 2, "batch_size": 16},
}


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


def write_corpus(folder) -> str:
    """A synthetic de-en corpus: 495 good pairs, 3 with an empty side, 2 too long; 10 dev pairs.

    Args:
        folder: Where to write ``train.de``, ``train.en``, ``val.de``, ``val.en``.

    Returns:
        The folder, as a string.
    """
    rng = random.Random(0)

    def sentence(words: int) -> tuple[str, str]:
        picks = [rng.randrange(len(_DE)) for _ in range(words)]
        return " ".join(_DE[i] for i in picks) + " .", " ".join(_EN[i] for i in picks) + " ."

    train = [sentence(rng.randint(3, 7)) for _ in range(TRAIN_PAIRS_KEPT)]
    train[10:10] = [("", "a dog ."), ("ein hund .", ""), ("   ", "the cat .")]
    train[20:20] = [sentence(60), sentence(70)]
    write_parallel(folder, "train", train)
    write_parallel(folder, "val", [sentence(rng.randint(3, 7)) for _ in range(10)])
    return os.fspath(folder)


def robust_files(base) -> dict:
    """Writes (once) the tiny corpus and config file under ``base``.

    Args:
        base: The folder, e.g. pytest's session temp folder.

    Returns:
        ``{"base", "corpus", "config", "run_dir"}`` paths; ``run_dir`` is where
        :func:`ensure_tiny_run` trains.
    """
    base = os.fspath(base)
    corpus, config = os.path.join(base, "robust-corpus"), os.path.join(base, "robust-tiny.yaml")
    if not os.path.exists(config):
        write_corpus(corpus)
        raw = {**TINY_CONFIG, "data": {**TINY_CONFIG["data"], "source": corpus}}
        with open(config + ".tmp", "w", encoding="utf-8") as handle:
            yaml.safe_dump(raw, handle)
        os.replace(config + ".tmp", config)
    return {
        "base": base,
        "corpus": corpus,
        "config": config,
        "run_dir": os.path.join(base, "robust-tiny-run"),
    }


def ensure_tiny_run(files: dict) -> str:
    """Trains the tiny model uninterrupted with the CLI, in this process; a no-op once done.

    Args:
        files: What :func:`robust_files` returned.

    Returns:
        What the training printed (``robust-tiny-run.log`` under ``files["base"]`` keeps it).
    """
    from translate.rundir import RunDir

    log_path = os.path.join(files["base"], "robust-tiny-run.log")
    state = RunDir(files["run_dir"]).state_file
    finished = False
    if os.path.exists(state):
        with open(state, encoding="utf-8") as handle:
            finished = json.load(handle)["finished"]
    if not finished:
        printed = io.StringIO()
        with (
            mock.patch.dict(os.environ, {"TRANSLATE_PROGRESS": "0"}),
            contextlib.redirect_stdout(printed),
        ):
            status = cli.main(["train", "--config", files["config"], "--run-dir", files["run_dir"]])
        assert status == 0, printed.getvalue()
        with open(log_path, "w", encoding="utf-8") as handle:
            handle.write(printed.getvalue())
    with open(log_path, encoding="utf-8") as handle:
        return handle.read()
