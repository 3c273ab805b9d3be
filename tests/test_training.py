"""Tests of training: the loss, learning a copy task, search on a trained model, callbacks."""

import json
import os
import types

import keras
import numpy as np
import pytest
import tensorflow as tf

from translate import search
from translate.config import load_config
from translate.model import Seq2Seq
from translate.tokenizer import SubwordTokenizer
from translate.training import (
    LearningRateController,
    TrainingMonitor,
    TrainingState,
    compile_model,
    masked_cross_entropy,
)
from translate.translator import MODEL_FILE, Translator

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


def tiny_model(seed=0, **options):
    """A small built Seq2Seq over the copy-task vocabulary, dropout off.

    Args:
        seed: Initialization seed.
        **options: Overrides of the constructor arguments.

    Returns:
        The model.
    """
    keras.utils.set_random_seed(seed)
    arguments = dict(embedding_dim=16, encoder_units=16, decoder_units=16,
                     dropout=0.0, embedding_dropout=0.0)
    arguments.update(options)
    model = Seq2Seq(VOCAB, VOCAB, **arguments)
    model.build()
    return model


# The loss ---------------------------------------------------------------------------


def _log_softmax(logits):
    """Numerically stable log-softmax over the last axis in float64.

    Args:
        logits: numpy array.

    Returns:
        The log-probabilities.
    """
    logits = logits.astype(np.float64)
    shifted = logits - logits.max(-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))


def _hand_loss(target, logits, smoothing):
    """The masked, label-smoothed cross-entropy computed by hand.

    Args:
        target: ``(batch, time)`` ids, 0 on padding.
        logits: ``(batch, time, vocab)``.
        smoothing: Label smoothing epsilon.

    Returns:
        Mean over non-pad tokens of ``(1 - eps) * -log p(y) + eps * mean_v -log p(v)``.
    """
    log_probs = _log_softmax(logits)
    total, count = 0.0, 0
    for b in range(target.shape[0]):
        for t in range(target.shape[1]):
            if target[b, t] == 0:
                continue
            nll = -log_probs[b, t, target[b, t]]
            uniform = -log_probs[b, t].mean()
            total += (1 - smoothing) * nll + smoothing * uniform
            count += 1
    return total / count


@pytest.mark.parametrize("smoothing", [0.0, 0.1, 0.3])
def test_masked_cross_entropy_equals_hand_computation(smoothing):
    rng = np.random.default_rng(1)
    logits = rng.normal(0, 2, (3, 5, 7)).astype(np.float32)
    target = np.array([[4, 5, 6, 3, 0], [6, 3, 0, 0, 0], [1, 2, 4, 5, 3]], np.int32)
    loss = masked_cross_entropy(smoothing)(tf.constant(target), tf.constant(logits))
    assert loss.shape == ()
    np.testing.assert_allclose(float(loss), _hand_loss(target, logits, smoothing), rtol=1e-5)


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_masked_cross_entropy_ignores_padding(smoothing):
    rng = np.random.default_rng(2)
    loss_fn = masked_cross_entropy(smoothing)
    logits = rng.normal(0, 1, (2, 6, 9)).astype(np.float32)
    target = np.array([[4, 5, 3, 0, 0, 0], [7, 8, 6, 5, 3, 0]], np.int32)
    reference = float(loss_fn(target, logits))
    # Anything at padded positions leaves the loss alone ...
    noisy = logits.copy()
    noisy[0, 3:] = rng.normal(0, 50, noisy[0, 3:].shape)
    noisy[1, 5:] = 1e4
    assert float(loss_fn(target, noisy)) == pytest.approx(reference, rel=1e-6)
    # ... and so does trimming the padding away: it is a mean over real tokens.
    trimmed = float(loss_fn(target[:, :5], logits[:, :5]))
    assert trimmed == pytest.approx(reference, rel=1e-6)
    # A sentence alone keeps its per-token mean.
    alone = float(loss_fn(target[:1, :3], logits[:1, :3]))
    assert alone == pytest.approx(_hand_loss(target[:1, :3], logits[:1, :3], smoothing), rel=1e-5)


@pytest.mark.parametrize("smoothing", [0.0, 0.1, 0.3])
def test_masked_cross_entropy_gradient_equals_autodiff_of_the_plain_formula(smoothing):
    """The written-out gradient matches TensorFlow's gradient of log_softmax + gather."""
    rng = np.random.default_rng(3)
    logits = tf.constant(rng.normal(0, 3, (3, 5, 11)))  # float64
    target = tf.constant([[4, 5, 6, 3, 0], [6, 3, 0, 0, 0], [1, 2, 4, 10, 3]], tf.int32)

    def plain(target_out, logits):
        log_probs = tf.nn.log_softmax(logits, axis=-1)
        nll = -tf.gather(log_probs, target_out, batch_dims=2)
        nll = (1 - smoothing) * nll - smoothing * tf.reduce_mean(log_probs, axis=-1)
        mask = tf.cast(target_out != 0, logits.dtype)
        return tf.reduce_sum(nll * mask) / tf.reduce_sum(mask)

    with tf.GradientTape() as tape:
        tape.watch(logits)
        expected_loss = plain(target, logits)
    expected = tape.gradient(expected_loss, logits).numpy()
    logits32 = tf.cast(logits, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(logits32)
        loss = masked_cross_entropy(smoothing)(target, logits32)
    gradient = tape.gradient(loss, logits32).numpy()
    assert float(loss) == pytest.approx(float(expected_loss), rel=1e-5)
    np.testing.assert_allclose(gradient, expected, atol=1e-6)
    assert np.all(gradient[1, 2:] == 0.0)  # padding gets no gradient
    assert np.abs(gradient).max() > 1e-3  # and real tokens do


def test_masked_cross_entropy_of_all_padding_is_zero():
    loss = masked_cross_entropy(0.1)(tf.zeros((2, 3), tf.int32), tf.random.normal((2, 3, 5)))
    assert float(loss) == 0.0


def test_masked_cross_entropy_of_perfect_prediction_is_near_zero():
    target = np.array([[4, 3]], np.int32)
    logits = np.full((1, 2, 6), -30.0, np.float32)
    logits[0, 0, 4] = logits[0, 1, 3] = 30.0
    assert float(masked_cross_entropy(0.0)(target, logits)) < 1e-6


# Learning a copy task -----------------------------------------------------------------


@pytest.fixture(scope="module")
def copy_model():
    """A model trained to copy symbol sequences, and its training history.

    Sizes chosen so this trains in well under a minute on two busy cores. At
    a learning rate of 0.01 the loss jumped about late in training, and 8 or
    10 epochs left a few held-out copies right or wrong depending on the order
    of floating-point sums inside the model; at 0.005 the loss falls steadily
    and 12 epochs copy them all for each order tried.
    """
    rng = np.random.default_rng(1234)
    source, target_in, target_out = copy_task(rng, 2400)
    model = tiny_model(seed=1234)
    config = load_config(None, [
        "training.learning_rate=0.005", "training.label_smoothing=0.0",
        "training.jit_compile=false", "training.clip_norm=1.0",
    ])
    compile_model(model, config)
    history = model.fit(
        {"source": source, "target_in": target_in}, target_out,
        batch_size=50, epochs=12, shuffle=True, verbose=0,
    )
    return model, history.history["loss"], set(_sequences(source))


def test_copy_task_loss_falls(copy_model):
    _, losses, _ = copy_model
    assert len(losses) == 12
    assert all(np.isfinite(losses))
    assert losses[0] > 1.0, "the untrained loss should be near log(12)"
    assert losses[-1] < 0.1 * losses[0]
    assert min(losses[-3:]) < 0.05


def test_greedy_search_copies_held_out_sequences_exactly(copy_model):
    model, _, seen = copy_model
    source, _, _ = copy_task(np.random.default_rng(99), 300)
    held_out = np.array([row for row, seq in zip(source, _sequences(source)) if seq not in seen])
    assert len(held_out) >= 100
    source_mask = held_out != 0
    result = search.greedy_search(
        search.make_step_fn(model), model.encode(tf.constant(held_out)), source_mask
    )
    lengths = result.lengths.numpy()[:, 0]
    tokens = result.tokens.numpy()[:, 0]
    outputs = [tuple(int(t) for t in row[:n]) for row, n in zip(tokens, lengths)]
    expected = _sequences(held_out)
    wrong = [(e, o) for e, o in zip(expected, outputs) if e != o]
    assert not wrong, f"{len(wrong)} of {len(expected)} copies wrong, e.g. {wrong[:3]}"


def test_beam_search_on_trained_model_also_copies(copy_model):
    model, _, _ = copy_model
    source, _, _ = copy_task(np.random.default_rng(7), 20)
    result = search.beam_search(
        search.make_step_fn(model), model.encode(tf.constant(source)), source != 0,
        beam_size=3, n_best=2,
    )
    best = [tuple(int(t) for t in row[:n])
            for row, n in zip(result.tokens.numpy()[:, 0], result.lengths.numpy()[:, 0])]
    assert best == _sequences(source)
    scores = result.scores.numpy()
    assert (scores[:, 0] >= scores[:, 1]).all()


# Beam size 1 is greedy ------------------------------------------------------------------


def test_beam_size_one_equals_greedy_on_seeded_model():
    model = tiny_model(seed=5, attention="luong", decoder_layers=2)
    source = tf.constant([[5, 9, 7, 3, 0, 0], [4, 4, 12, 13, 14, 3], [15, 3, 0, 0, 0, 0]])
    mask = tf.not_equal(source, 0)
    step_fn = search.make_step_fn(model)
    greedy = search.greedy_search(step_fn, model.encode(source), mask)
    beam = search.beam_search(step_fn, model.encode(source), mask, beam_size=1,
                              length_penalty=0.0)
    np.testing.assert_array_equal(beam.tokens.numpy(), greedy.tokens.numpy())
    np.testing.assert_array_equal(beam.lengths.numpy(), greedy.lengths.numpy())
    np.testing.assert_allclose(beam.scores.numpy(), greedy.scores.numpy(), rtol=1e-5)
    assert greedy.lengths.numpy().max() > 0


@pytest.mark.parametrize("beam_size", [1, 4])
@pytest.mark.parametrize("compact", [False, True])
def test_search_with_shared_constants_equals_reordering_the_whole_state(
    copy_model, beam_size, compact
):
    """Keeping memory and keys out of the reordered state, and stepping only the
    growing rows (constants looked up by row), change nothing but the cost."""
    model, _, _ = copy_model
    source, _, _ = copy_task(np.random.default_rng(11), 16)
    source = tf.constant(source)
    mask = source != 0
    options = dict(beam_size=beam_size, n_best=beam_size, length_penalty=1.0, coverage_penalty=0.2)
    whole = search.beam_search(search.make_step_fn(model), model.encode(source), mask,
                               compact=False, **options)
    recurrent, constants = model.split_state(model.encode(source))
    assert sorted(constants) == ["keys", "mask", "memory"] and "h_0" in recurrent
    step_fn = search.make_step_fn(model, search.repeat_beams(constants, beam_size))
    shared = search.beam_search(step_fn, recurrent, mask, compact=compact, **options)
    # The case is interesting: outputs end at different steps, so rows drop out.
    assert len(set(whole.lengths.numpy()[:, 0])) > 1
    np.testing.assert_array_equal(shared.tokens.numpy(), whole.tokens.numpy())
    np.testing.assert_allclose(shared.scores.numpy(), whole.scores.numpy(), rtol=1e-5)
    np.testing.assert_allclose(shared.attention.numpy(), whole.attention.numpy(), atol=1e-5)


# Callbacks ------------------------------------------------------------------------------


def _fake_model(learning_rate=0.0):
    """An object with just the optimizer attribute the learning-rate callback touches.

    Args:
        learning_rate: Initial learning rate.

    Returns:
        A namespace with ``optimizer.learning_rate`` a ``tf.Variable``.
    """
    optimizer = types.SimpleNamespace(learning_rate=tf.Variable(learning_rate))
    return types.SimpleNamespace(optimizer=optimizer)


def test_learning_rate_warms_up_linearly_then_holds():
    state = TrainingState()
    controller = LearningRateController(peak=0.01, warmup_steps=4, state=state)
    controller.set_model(_fake_model())
    rates = []
    for batch in range(7):
        controller.on_train_batch_begin(batch)
        rates.append(float(controller.model.optimizer.learning_rate.numpy()))
        controller.on_train_batch_end(batch)
    np.testing.assert_allclose(rates, [0.0025, 0.005, 0.0075, 0.01, 0.01, 0.01, 0.01], rtol=1e-6)
    assert state.step == 7


def test_learning_rate_keeps_decay_scale_after_resume():
    state = TrainingState(step=100, lr_scale=0.25)
    controller = LearningRateController(peak=0.01, warmup_steps=4, state=state)
    controller.set_model(_fake_model(1.0))
    controller.on_train_batch_begin(0)
    assert float(controller.model.optimizer.learning_rate.numpy()) == pytest.approx(0.0025)


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
    """A :class:`TrainingMonitor` over a tiny untrained model.

    Args:
        tmp_path: The run directory.
        tokenizer_model: Serialized SentencePiece model (joint vocabulary).
        overrides: Config overrides.

    Returns:
        ``(monitor, model)``.
    """
    config = load_config(None, [
        "model.embedding_dim=8", "model.encoder_units=8", "model.decoder_units=8",
        "training.jit_compile=false", "decoding.max_length_offset=2",
        "training.lr_patience=1", "training.lr_decay_factor=0.5",
        "training.early_stopping_patience=2", "training.epochs=10",
    ] + overrides)
    keras.utils.set_random_seed(0)
    tokenizer = SubwordTokenizer(tokenizer_model)
    model = Seq2Seq.from_config_section(config.model, tokenizer.source_vocab_size,
                                        tokenizer.target_vocab_size)
    model.build()
    compile_model(model, config)
    translator = Translator(model, tokenizer, config.decoding)
    monitor = TrainingMonitor(config, str(tmp_path), TrainingState(), translator,
                              ["ein hund läuft im park", "ein hund sitzt"],
                              ["a dog runs in the park", "a dog sits"])
    monitor.set_model(model)
    return monitor, model


def _records(run_dir):
    """The metrics.jsonl records of a run directory.

    Args:
        run_dir: The run directory.

    Returns:
        A list of dicts.
    """
    with open(os.path.join(run_dir, "metrics.jsonl"), encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


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
    np.testing.assert_allclose([r["learning_rate"] for r in records], [0.004, 0.002, 0.001],
                               rtol=1e-6)
    assert model.stop_training
    assert monitor.state.finished and "early stopping" in monitor.state.stop_reason
    assert os.path.exists(tmp_path / MODEL_FILE)
    with open(tmp_path / "checkpoint" / "state.json", encoding="utf-8") as handle:
        saved = json.load(handle)
    assert saved["epoch"] == 3 and saved["finished"] is True


def test_monitor_dev_bleu_works_when_config_asks_for_n_best(tmp_path, word_tokenizer):
    """Dev BLEU decodes greedily; a config with decoding.n_best=2 must not break it."""
    monitor, _ = _monitor(tmp_path, word_tokenizer, ["decoding.beam_size=3", "decoding.n_best=2"])
    monitor.on_epoch_end(0, {"loss": 3.0})
    records = _records(tmp_path)
    assert len(records) == 1 and records[0]["epoch"] == 1
    assert os.path.exists(tmp_path / MODEL_FILE)
