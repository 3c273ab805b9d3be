"""Tests of the training callbacks: the learning-rate schedule and the end-of-epoch monitor."""

import json
import os
import types

import keras
import numpy as np
import pytest
import tensorflow as tf

from translate import TranslateError
from translate.config.schema import load_config
from translate.data.tokenizer import SubwordTokenizer
from translate.inference.translator import Translator
from translate.model import Seq2Seq
from translate.runs.rundir import RunDir
from translate.training.callbacks import LearningRateController, TrainingMonitor, training_callbacks
from translate.training.state import TrainingState
from translate.training.train import compile_model

# The learning rate ----------------------------------------------------------------------


def _fake_model(learning_rate=0.0):
    """An object with just the optimizer attribute the learning-rate callback touches.

    Args:
        learning_rate: Initial learning rate.

    Returns:
        A namespace with ``optimizer.learning_rate`` a ``tf.Variable``.
    """
    optimizer = types.SimpleNamespace(learning_rate=tf.Variable(learning_rate))
    return types.SimpleNamespace(optimizer=optimizer)


def _controller(state, *overrides):
    """A :class:`LearningRateController` at peak 0.01 with 4 warm-up steps, on a fake model."""
    training = load_config(
        None, ["training.learning_rate=0.01", "training.warmup_steps=4", *overrides]
    ).training
    controller = LearningRateController(training, state)
    controller.set_model(_fake_model(1.0))
    return controller


def _rate(controller):
    return float(controller.model.optimizer.learning_rate.numpy())


def test_learning_rate_warms_up_linearly_then_holds():
    state = TrainingState()
    controller = _controller(state)
    rates = []
    for batch in range(7):
        controller.on_train_batch_begin(batch)
        rates.append(_rate(controller))
        controller.on_train_batch_end(batch)
    np.testing.assert_allclose(rates, [0.0025, 0.005, 0.0075, 0.01, 0.01, 0.01, 0.01], rtol=1e-6)
    assert state.step == 7


def test_learning_rate_keeps_decay_scale_after_resume():
    controller = _controller(TrainingState(step=100, lr_scale=0.25))
    controller.on_train_batch_begin(0)
    assert _rate(controller) == pytest.approx(0.0025)


def test_learning_rate_halves_after_patience_epochs_without_gain_down_to_the_floor():
    state = TrainingState(step=100)
    controller = _controller(
        state,
        "training.lr_patience=2",
        "training.lr_decay_factor=0.5",
        "training.min_learning_rate=0.003",
    )
    rates = []
    for improved in (False, True, False, False, False, False, False, False):
        controller.end_epoch(improved)
        rates.append((state.lr_scale, state.epochs_since_lr_decay))
    # A gain resets the count; every second epoch without one halves, never below 0.003 / 0.01.
    assert rates == [(1.0, 1), (1.0, 0), (1.0, 1), (0.5, 0), (0.5, 1), (0.3, 0), (0.3, 1), (0.3, 0)]
    assert _rate(controller) == pytest.approx(0.003)
    controller.on_train_batch_begin(0)  # the next epoch starts at the decayed rate
    assert _rate(controller) == pytest.approx(0.003)


# The monitor ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def word_tokenizer():
    """The serialized model of a tiny joint German/English SentencePiece tokenizer.

    Bytes rather than a tokenizer: ``keras.utils.set_random_seed`` clears TensorFlow's
    kernel cache, which frees the tf_text tokenizer resources created before it.
    """
    german = [f"ein hund {w} im park" for w in ("läuft", "sitzt", "spielt", "schläft")] * 5
    english = [f"a dog {w} in the park" for w in ("runs", "sits", "plays", "sleeps")] * 5
    return SubwordTokenizer.train(german, english, vocab_size=300).source_model


def _monitor(tmp_path, tokenizer_model, overrides):
    """A :class:`TrainingMonitor` and its learning-rate controller over a tiny untrained model.

    Args:
        tmp_path: The run directory.
        tokenizer_model: Serialized SentencePiece model (joint vocabulary).
        overrides: Config overrides.

    Returns:
        ``(monitor, model)``.
    """
    config = load_config(
        None,
        [
            "model.embedding_dim=8",
            "model.encoder_units=8",
            "model.decoder_units=8",
            "training.jit_compile=false",
            "decoding.max_length_offset=2",
            "training.lr_patience=1",
            "training.lr_decay_factor=0.5",
            "training.warmup_steps=0",
            "training.early_stopping_patience=2",
            "training.epochs=10",
        ]
        + overrides,
    )
    keras.utils.set_random_seed(0)
    tokenizer = SubwordTokenizer(tokenizer_model)
    model = Seq2Seq.from_config_section(
        config.model, tokenizer.source_vocab_size, tokenizer.target_vocab_size
    )
    model.build()
    compile_model(model, config)
    translator = Translator(model, tokenizer, config.decoding)
    callbacks = training_callbacks(
        config,
        RunDir(tmp_path),
        TrainingState(),
        translator,
        ["ein hund läuft im park", "ein hund sitzt"],
        ["a dog runs in the park", "a dog sits"],
    )
    assert [type(c) for c in callbacks[:2]] == [LearningRateController, TrainingMonitor]
    assert isinstance(callbacks[2], keras.callbacks.TensorBoard)
    for callback in callbacks[:2]:
        callback.set_model(model)
    return callbacks[1], model


def _records(run_dir):
    """The metrics.jsonl records of a run directory."""
    with open(os.path.join(run_dir, "metrics.jsonl"), encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


@pytest.mark.slow
def test_monitor_decays_learning_rate_and_stops_early(tmp_path, word_tokenizer):
    monitor, model = _monitor(tmp_path, word_tokenizer, ["training.learning_rate=0.004"])
    model.optimizer.learning_rate.assign(0.004)
    for epoch in range(3):
        monitor.on_epoch_end(epoch, {"loss": 3.0})
        if model.stop_training:
            break
    records = _records(tmp_path)
    # Epoch 1 sets the best BLEU; epochs 2 and 3 bring no gain (the model is untrained).
    assert [r["epoch"] for r in records] == [1, 2, 3]
    assert all("dev_bleu" in r and "dev_chrf" in r for r in records)
    assert monitor.state.best_epoch == 1
    np.testing.assert_allclose(
        [r["learning_rate"] for r in records], [0.004, 0.002, 0.001], rtol=1e-6
    )
    assert model.stop_training
    assert monitor.state.finished and "early stopping" in monitor.state.stop_reason
    assert os.path.exists(tmp_path / "model.keras")
    with open(tmp_path / "checkpoint" / "state.json", encoding="utf-8") as handle:
        saved = json.load(handle)
    assert saved["epoch"] == 3 and saved["finished"] is True and saved["lr_scale"] == 0.25
    snapshots = sorted(os.listdir(tmp_path / "checkpoint"))
    assert snapshots == [
        "epoch-001.npz",
        "epoch-002.npz",
        "epoch-003.npz",
        "last.weights.h5",
        "state.json",
    ]


@pytest.mark.slow
def test_monitor_dev_bleu_works_when_config_asks_for_n_best(tmp_path, word_tokenizer):
    """Dev BLEU decodes greedily; a config with decoding.n_best=2 must not break it."""
    monitor, _ = _monitor(tmp_path, word_tokenizer, ["decoding.beam_size=3", "decoding.n_best=2"])
    monitor.on_epoch_end(0, {"loss": 3.0})
    records = _records(tmp_path)
    assert len(records) == 1 and records[0]["epoch"] == 1
    assert os.path.exists(tmp_path / "model.keras")


def test_monitor_stops_at_the_step_limit_and_on_a_nan_loss(tmp_path, word_tokenizer):
    monitor, model = _monitor(tmp_path, word_tokenizer, ["training.max_steps=3"])
    monitor.state.step = 2
    monitor.on_train_batch_end(0, {"loss": 2.5})
    assert not model.stop_training
    monitor.state.step = 3
    monitor.on_train_batch_end(1, {"loss": 2.5})
    assert model.stop_training and monitor.state.stop_reason == "reached training.max_steps=3"
    with pytest.raises(
        TranslateError,
        match=r"training loss became nan at step 3; stopped\. "
        r"The last good checkpoint \(epoch 0\)",
    ):
        monitor.on_train_batch_end(2, {"loss": float("nan")})
