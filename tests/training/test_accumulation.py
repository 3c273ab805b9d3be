"""Gradient accumulation (``training.accumulate_steps``, :mod:`translate.training.step`): one
update over K batches equals one update over the same pairs as one batch."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf
from helpers import TGT_VOCAB, bad_input, config_error, make_model

from translate.config.schema import load_config
from translate.data.pipeline import group_for_accumulation
from translate.training.losses import masked_cross_entropy
from translate.training.step import count_sentences
from translate.training.train import compile_model

# Three batches of different sizes and lengths: (pairs, source length, target length).
SHAPES = [(3, 5, 4), (5, 3, 6), (2, 7, 3)]


def _pairs(seed=0):
    """Random ``(source, target)`` id lists of the sizes in SHAPES, lengths varying per pair."""
    rng = np.random.default_rng(seed)
    batches = []
    for pairs, src_len, tgt_len in SHAPES:
        batch = []
        for row in range(pairs):
            source = list(rng.integers(4, 23, size=max(2, src_len - row % 2))) + [3]
            target = list(rng.integers(4, TGT_VOCAB, size=max(1, tgt_len - row % 3)))
            batch.append((source, target))
        batches.append(batch)
    return batches


def _padded(pairs):
    """One padded batch ``({"source", "target_in"}, target_out)`` of ``(source, target)`` pairs."""
    src_len = max(len(s) for s, _ in pairs)
    tgt_len = max(len(t) for _, t in pairs) + 1
    pad = lambda ids, n: ids + [0] * (n - len(ids))  # noqa: E731
    source = np.array([pad(s, src_len) for s, _ in pairs], np.int32)
    target_in = np.array([pad([2] + t, tgt_len) for _, t in pairs], np.int32)
    target_out = np.array([pad(t + [3], tgt_len) for _, t in pairs], np.int32)
    return {"source": source, "target_in": target_in}, target_out


def _dataset(batches):
    signature = (
        {
            "source": tf.TensorSpec((None, None), tf.int32),
            "target_in": tf.TensorSpec((None, None), tf.int32),
        },
        tf.TensorSpec((None, None), tf.int32),
    )
    dataset = tf.data.Dataset.from_generator(lambda: iter(batches), output_signature=signature)
    return dataset.apply(tf.data.experimental.assert_cardinality(len(batches)))


def _train_once(overrides, dataset):
    """A fresh tiny model (seed 0) compiled as ``overrides`` say, trained a step per element.

    The steps run eagerly (``model.train_step``), which skips tracing the graph
    of ``fit``; the slow tests below run the same steps through ``fit``.

    Returns:
        The model and the logs of each step as ``{name: [value per step]}``.
    """
    config = load_config(None, overrides)
    model = make_model()
    compile_model(model, config)
    history = {}
    for element in dataset:
        for name, value in model.train_step(element).items():
            history.setdefault(name, []).append(float(value))
    return model, history


def test_group_for_accumulation_stacks_batches_batch_major():
    batches = [_padded(batch) for batch in _pairs()]
    (inputs, target_out) = next(iter(group_for_accumulation(_dataset(batches), 3)))
    longest = max(source.shape[1] for (source, *_), _ in [(b[0].values(), b) for b in batches])
    assert inputs["source"].shape == (5, 3, longest)  # (largest batch, steps, longest source)
    assert target_out.shape[:2] == (5, 3)
    rows, columns = batches[1][0]["source"].shape
    np.testing.assert_array_equal(inputs["source"][:rows, 1, :columns], batches[1][0]["source"])
    assert not np.any(inputs["source"][3:, 0])  # The first batch's 3 pairs, then padding rows.
    assert float(count_sentences(target_out)) == 10.0
    assert group_for_accumulation(_dataset(batches), 1) is not None


@pytest.mark.parametrize(
    "optimizer",
    [
        pytest.param([], id="adam"),
        pytest.param(["training.weight_decay=0.1"], id="adamw", marks=pytest.mark.slow),
    ],
)
@pytest.mark.slow
def test_one_update_over_three_batches_equals_one_update_over_one_batch(optimizer):
    """Token-normalised over all three batches, and clipped once: clip_norm=0.05 clips it.

    Two updates, so that the clipped gradients' sizes count too (Adam's first step
    alone hardly depends on them).
    """
    pairs = _pairs()
    common = [
        "training.learning_rate=0.01",
        "training.clip_norm=0.05",
        "training.label_smoothing=0.1",
        "training.cpu_kernels=off",
        *optimizer,
    ]
    grouped = group_for_accumulation(_dataset([_padded(batch) for batch in pairs]), 3)
    accumulated, logs = _train_once([*common, "training.accumulate_steps=3"], grouped.repeat(2))
    whole = _padded([pair for batch in pairs for pair in batch])
    reference, reference_logs = _train_once(common, _dataset([whole]).repeat(2))

    assert logs["loss"] == pytest.approx(reference_logs["loss"], rel=1e-5)
    assert logs["sentences_per_batch"] == reference_logs["sentences_per_batch"] == [10.0, 10.0]
    assert int(accumulated.optimizer.iterations.numpy()) == 2
    fresh = make_model()
    with tf.GradientTape() as tape:
        loss = masked_cross_entropy(0.1)(whole[1], fresh(whole[0], training=True))
    assert tf.linalg.global_norm(tape.gradient(loss, fresh.trainable_variables)) > 0.05
    moved = 0
    for weight, expected, before in zip(accumulated.weights, reference.weights, fresh.weights):
        # Adam's first step is about lr * sign(gradient): 1e-5 is 0.1% of the 0.01 step.
        np.testing.assert_allclose(weight.numpy(), expected.numpy(), atol=1e-5, err_msg=weight.path)
        moved += int(np.abs(weight.numpy() - before.numpy()).max() > 1e-4)
    assert moved > len(fresh.weights) // 2  # The update did happen.


def test_mean_of_batch_means_would_differ():
    """The batches' token counts differ, so a mean of per-batch means is another loss."""
    tokens = [sum(len(t) + 1 for _, t in batch) for batch in _pairs()]
    assert len(set(tokens)) == len(tokens)


def test_accumulate_steps_below_one_is_refused():
    for value in (0, -2):
        with bad_input("config", f"accumulate_steps={value}", "training.accumulate_steps"):
            load_config(None, [f"training.accumulate_steps={value}"])
    assert "must be > 0" in config_error(["training.accumulate_steps=0"])


# Mirrored on two logical CPUs ---------------------------------------------------------------

_MIRRORED = r"""
import json
from translate.training import distribute
distribute.configure_logical_cpus()           # TRANSLATE_LOGICAL_CPUS=2, before any op
import keras, numpy as np, tensorflow as tf
from translate.config.schema import load_config
from translate.training.losses import masked_cross_entropy
from translate.data.pipeline import group_for_accumulation
from translate.model import Seq2Seq
from translate.training.train import compile_model

VOCAB = 24
rng = np.random.default_rng(0)
batches = []
for pairs, width in ((5, 6), (1, 9), (4, 4)):  # The 1-pair batch leaves a replica nothing.
    src, tin, tout = (np.zeros((pairs, width), np.int32) for _ in range(3))
    for row, n in enumerate(rng.integers(1, width - 1, pairs)):
        s = rng.integers(4, VOCAB, n)
        src[row, :n], src[row, n] = s, 3
        tin[row, 0], tin[row, 1 : n + 1] = 2, s[::-1]
        tout[row, :n], tout[row, n] = s[::-1], 3
    batches.append(({"source": src, "target_in": tin}, tout))
spec = ({"source": tf.TensorSpec((None, None), tf.int32),
         "target_in": tf.TensorSpec((None, None), tf.int32)}, tf.TensorSpec((None, None), tf.int32))

def dataset(steps):
    data = tf.data.Dataset.from_generator(lambda: iter(batches), output_signature=spec)
    data = data.apply(tf.data.experimental.assert_cardinality(3))
    return group_for_accumulation(data, steps).repeat(2)

common = [
    "model.embedding_dim=16", "model.encoder_units=16", "model.decoder_units=16",
    "model.dropout=0", "model.embedding_dropout=0", "training.cpu_kernels=off",
    "training.learning_rate=0.01", "training.clip_norm=0.05", "training.label_smoothing=0.1",
]
configs = {  # Two updates of 3 batches; six token batches, the first of 5 pairs.
    "accumulated": load_config(None, common + ["training.accumulate_steps=3"]),
    "tokens": load_config(None, common + ["training.batch_tokens=200"]),
}

def train(strategy, config):
    keras.utils.set_random_seed(config.training.seed)
    with strategy.scope():
        model = Seq2Seq.from_config_section(config.model, VOCAB, VOCAB)
        model.build()
        compile_model(model, config)
    data = dataset(config.training.accumulate_steps)
    history = model.fit(data, epochs=1, verbose=0, shuffle=False).history
    return history, model.get_weights(), int(model.optimizer.iterations.numpy())

strategy = distribute.make_strategy("mirrored")
result = {"replicas": strategy.num_replicas_in_sync}
for name, config in configs.items():
    one, weights_one, updates_one = train(tf.distribute.get_strategy(), config)
    two, weights_two, updates_two = train(strategy, config)
    result[name] = {
        "one": one, "two": two, "updates": [updates_one, updates_two],
        "max_weight_difference": max(
            float(np.abs(a - b).max()) for a, b in zip(weights_one, weights_two)),
    }
print("RESULT " + json.dumps(result))
"""


@pytest.mark.slow
def test_accumulation_and_token_batches_on_two_mirrored_replicas_match_one_device():

    env = {**os.environ, "TRANSLATE_LOGICAL_CPUS": "2", "CUDA_VISIBLE_DEVICES": "-1"}
    env.pop("TF_CONFIG", None)
    result = subprocess.run(
        [sys.executable, "-c", _MIRRORED], env=env, capture_output=True, text=True, timeout=300
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    found = json.loads(output.split("RESULT ", 1)[1].splitlines()[0])
    assert found["replicas"] == 2
    accumulated, tokens = found["accumulated"], found["tokens"]
    assert accumulated["updates"] == [2, 2]
    assert accumulated["two"]["sentences_per_batch"] == [10.0]
    assert accumulated["one"]["sentences_per_batch"] == [10.0]
    assert accumulated["two"]["loss"][0] == pytest.approx(accumulated["one"]["loss"][0], rel=1e-4)
    assert accumulated["max_weight_difference"] < 1e-5, found
    # Token batches split unevenly over the replicas (5 pairs = 3 + 2) train as on one device.
    assert tokens["updates"] == [6, 6]
    assert tokens["max_weight_difference"] < 1e-5, found
