"""Tests of training: ``train`` end to end (on the tiny run of ``conftest.py``), resuming,
the run-directory lock, compiling, and learning a copy task (slow) with search on the result."""

import json
import os
import re
import shutil

import keras
import numpy as np
import pytest
import tensorflow as tf
from helpers import batch, make_model, sharpen_outputs

from translate import TranslateError, search
from translate.config.schema import DecodingConfig, load_config
from translate.inference.translator import Translator
from translate.runs.rundir import RunDir
from translate.training.losses import masked_cross_entropy
from translate.training.train import build_model, compile_model, train

VOCAB = 16  # ids 0-3 are pad, unk, bos, eos; 4..15 are the copy task's symbols
FIRST_SYMBOL = 4


def copy_task(rng, count, min_length=2, max_length=6):
    """Random symbol sequences and their teacher-forcing copies.

    Args:
        rng: A numpy random generator.
        count: Number of sequences.
        min_length: Shortest sequence (symbols, without eos).
        max_length: Longest sequence.

    Returns:
        ``(source, target_in, target_out)`` int32 arrays ``(count, max_length + 1)``,
        0-padded: ``source`` is ``x </s>``, ``target_in`` is ``<s> x`` and
        ``target_out`` is ``x </s>``.
    """
    width = max_length + 1
    source = np.zeros((count, width), np.int32)
    target_in = np.zeros((count, width), np.int32)
    target_out = np.zeros((count, width), np.int32)
    for row, length in enumerate(rng.integers(min_length, max_length + 1, count)):
        symbols = rng.integers(FIRST_SYMBOL, VOCAB, length)
        source[row, :length], source[row, length] = symbols, 3
        target_in[row, 0], target_in[row, 1 : length + 1] = 2, symbols
        target_out[row, :length], target_out[row, length] = symbols, 3
    return source, target_in, target_out


def _sequences(source):
    """The symbol sequences of 0-padded sources ending in eos.

    Args:
        source: ``(batch, width)`` ids.

    Returns:
        A list of tuples of symbols (eos and padding removed).
    """
    return [tuple(int(t) for t in row if t > 3) for row in source]


def copy_model_untrained(seed):
    """A small built Seq2Seq over the copy-task vocabulary, dropout off."""
    return make_model(
        seed=seed,
        source_vocab_size=VOCAB,
        target_vocab_size=VOCAB,
        embedding_dim=16,
        encoder_units=16,
        decoder_units=16,
    )


# Learning a copy task -----------------------------------------------------------------


@pytest.fixture(scope="module")
def copy_model():
    """A model trained to copy symbol sequences, and its training history (12 epochs: slow).

    Sizes chosen so this trains in well under a minute on two busy cores. At
    a learning rate of 0.01 the loss jumped about late in training, and 8 or
    10 epochs left a few held-out copies right or wrong depending on the order
    of floating-point sums inside the model; at 0.005 the loss falls steadily
    and 12 epochs copy them all for each order tried.
    """
    rng = np.random.default_rng(1234)
    source, target_in, target_out = copy_task(rng, 2400)
    model = copy_model_untrained(seed=1234)
    config = load_config(
        None,
        [
            "training.learning_rate=0.005",
            "training.label_smoothing=0.0",
            "training.jit_compile=false",
            "training.clip_norm=1.0",
        ],
    )
    compile_model(model, config)
    history = model.fit(
        {"source": source, "target_in": target_in},
        target_out,
        batch_size=50,
        epochs=12,
        shuffle=True,
        verbose=0,
    )
    return model, history.history["loss"], set(_sequences(source))


@pytest.mark.slow
def test_copy_task_loss_falls(copy_model):
    _, losses, _ = copy_model
    assert len(losses) == 12
    assert all(np.isfinite(losses))
    assert losses[0] > 1.0, "the untrained loss should be near log(12)"
    assert losses[-1] < 0.1 * losses[0]
    assert min(losses[-3:]) < 0.05


@pytest.mark.slow
def test_greedy_search_copies_held_out_sequences_exactly(copy_model):
    model, _, seen = copy_model
    source, _, _ = copy_task(np.random.default_rng(99), 300)
    held_out = np.array([row for row, seq in zip(source, _sequences(source)) if seq not in seen])
    assert len(held_out) >= 100
    result = search.make_search(model, DecodingConfig(beam_size=1))(tf.constant(held_out))
    lengths = result.lengths.numpy()[:, 0]
    tokens = result.tokens.numpy()[:, 0]
    outputs = [tuple(int(t) for t in row[:n]) for row, n in zip(tokens, lengths)]
    expected = _sequences(held_out)
    wrong = [(e, o) for e, o in zip(expected, outputs) if e != o]
    assert not wrong, f"{len(wrong)} of {len(expected)} copies wrong, e.g. {wrong[:3]}"


@pytest.mark.slow
def test_beam_search_on_trained_model_also_copies(copy_model):
    model, _, _ = copy_model
    source, _, _ = copy_task(np.random.default_rng(7), 20)
    result = search.make_search(model, DecodingConfig(beam_size=3, n_best=2))(tf.constant(source))
    best = [
        tuple(int(t) for t in row[:n])
        for row, n in zip(result.tokens.numpy()[:, 0], result.lengths.numpy()[:, 0])
    ]
    assert best == _sequences(source)
    scores = result.scores.numpy()
    assert (scores[:, 0] >= scores[:, 1]).all()


# train() end to end ------------------------------------------------------------------------


@pytest.mark.slow
def test_train_writes_a_run_directory_that_translates(tiny_run):
    run = RunDir(tiny_run["run_dir"])
    assert {
        "config.yaml",
        "tokenizer",
        "model.keras",
        "metrics.jsonl",
        "logs",
        "train.lock",
        "checkpoint",
    } == set(os.listdir(run.path))
    assert sorted(os.listdir(run.checkpoint_dir)) == [
        "epoch-001.npz",
        "last.weights.h5",
        "state.json",
    ]
    state = run.read_state()
    assert state.finished and (state.epoch, state.step, state.best_epoch) == (1, 3, 1)
    with open(run.lock_file, encoding="utf-8") as handle:
        assert handle.read() == f"{os.getpid()}\n"  # trained in this process
    translations = Translator.load(run.path).translate(["Ein Mann sieht einen Ball.", ""])
    assert len(translations) == 2 and translations[1].text == ""
    assert translations[0].hypotheses[0] == translations[0].text


@pytest.mark.slow
def test_train_again_only_reports_and_a_raised_limit_resumes(tiny_run, tmp_path, capsys):
    run = RunDir(shutil.copytree(tiny_run["run_dir"], tmp_path / "run"))
    with open(run.lock_file, "w", encoding="utf-8") as handle:
        handle.write("999999999\n")  # left by a killed run: a file without a flock never blocks
    state = run.read_state()
    assert train(load_config(tiny_run["config"]), run.path) == state
    assert f"training already finished ({state.stop_reason})" in capsys.readouterr().out
    resumed = train(load_config(tiny_run["config"], ["training.max_steps=5"]), run.path)
    assert f"resuming after epoch 1 (step {state.step}," in capsys.readouterr().out
    assert (resumed.epoch, resumed.step, resumed.finished) == (2, 5, True)
    assert resumed.stop_reason == "reached training.max_steps=5"
    assert run.read_state() == resumed
    assert sorted(os.listdir(run.checkpoint_dir)) == [
        "epoch-002.npz",
        "last.weights.h5",
        "state.json",
    ]
    with open(run.metrics_file, encoding="utf-8") as handle:
        assert [json.loads(line)["epoch"] for line in handle] == [1, 2]
    with open(run.lock_file, encoding="utf-8") as handle:
        assert handle.read() == f"{os.getpid()}\n"


def test_a_second_training_into_a_locked_run_dir_fails_at_once(tiny_run, tmp_path):
    run = RunDir(tmp_path / "run")
    run.check_writable(needed_bytes=0)
    with run.lock():  # as a live `translate train` into this folder holds it
        expected = (
            f"{re.escape(run.path)} is being trained by another process "
            f"\\(pid {os.getpid()}\\); wait for it to end"
        )
        with pytest.raises(TranslateError, match=expected):
            train(load_config(tiny_run["config"]), run.path)
    assert os.listdir(run.path) == ["train.lock"]  # nothing else was written


def test_compile_model_uses_the_configured_optimizer():
    tokenizer_sizes = type("Sizes", (), {"source_vocab_size": 12, "target_vocab_size": 12})
    config = load_config(
        None,
        [
            "model.embedding_dim=4",
            "model.encoder_units=4",
            "model.decoder_units=4",
            "training.jit_compile=false",
            "training.learning_rate=0.003",
            "training.clip_norm=2.0",
        ],
    )
    model = build_model(config, tokenizer_sizes)
    compile_model(model, config)
    assert type(model.optimizer) is keras.optimizers.Adam
    assert model.optimizer.global_clipnorm == 2.0
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.003)
    decayed = load_config(None, ["training.weight_decay=0.01", "training.jit_compile=false"])
    compile_model(model, decayed)
    assert type(model.optimizer) is keras.optimizers.AdamW
    assert model.optimizer.weight_decay == 0.01


@pytest.mark.slow
def test_the_compiled_loss_is_the_masked_cross_entropy_at_the_configured_smoothing():
    """``model.evaluate``'s loss equals :func:`masked_cross_entropy` on the same logits.

    At label smoothing 0 and 0.1 on one model and batch, each with its own value.
    """
    tokenizer_sizes = type("Sizes", (), {"source_vocab_size": 12, "target_vocab_size": 12})
    tiny = ["model.embedding_dim=4", "model.encoder_units=4", "model.decoder_units=4"]
    inputs, _, _ = batch()  # source (2, 6), target_in (2, 5); ids below 12
    target_out = tf.constant([[4, 5, 6, 7, 3], [8, 9, 3, 0, 0]], tf.int32)  # (2, 5), 0-padded
    model = build_model(load_config(None, tiny), tokenizer_sizes)
    model(inputs)  # creates the weights
    sharpen_outputs(model, 50.0)  # confident logits, for which smoothing costs more
    logits = model(inputs, training=False)  # (2, 5, 12)
    losses = {}
    for smoothing in (0.0, 0.1):
        config = load_config(
            None, [*tiny, "training.jit_compile=false", f"training.label_smoothing={smoothing}"]
        )
        compile_model(model, config)
        result = model.evaluate(inputs, target_out, batch_size=2, verbose=0, return_dict=True)
        expected = float(masked_cross_entropy(smoothing)(target_out, logits))
        assert result["loss"] == pytest.approx(expected, rel=1e-5), smoothing
        losses[smoothing] = result["loss"]
    assert abs(losses[0.1] - losses[0.0]) > 1e-3, losses  # 100 times the tolerance above
