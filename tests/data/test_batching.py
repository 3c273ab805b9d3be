"""Token batches (``training.batch_tokens``): batch sizes per length bucket, the subword
bound, the config check, and training with token batches and accumulation end to end."""

import contextlib
import io
import json
import os
import types
from unittest import mock

import h5py
import numpy as np
import pytest
import tensorflow as tf
from helpers import bad_input, config_error, make_run

from translate.cli import commands as cli
from translate.config.schema import load_config
from translate.data.pipeline import batch_by_length, bucket_batch_sizes, describe_batches
from translate.training import distribute


def test_sentence_batches_are_the_same_size_in_every_bucket():
    assert bucket_batch_sizes(64, 40, 4) == [64] * 10


def test_token_batches_hold_more_short_pairs_than_long_ones():
    sizes = bucket_batch_sizes(64, 40, 4, batch_tokens=400)
    # Buckets hold pair lengths 1-4, 5-8, ..., 37-40: 400 // (2 * longest).
    assert sizes == [50, 25, 16, 12, 10, 8, 7, 6, 5, 5]
    assert bucket_batch_sizes(64, 40, 4, batch_tokens=80)[-1] == 1


def _token_pairs(count=600, seed=0):
    rng = np.random.default_rng(seed)
    pairs = []
    for _ in range(count):
        length = int(rng.integers(2, 31))
        source = rng.integers(4, 50, size=length).tolist()[:-1] + [3]
        target = rng.integers(4, 50, size=max(1, length - int(rng.integers(0, 3)))).tolist()
        pairs.append((source, target))
    spec = (tf.TensorSpec((None,), tf.int32), tf.TensorSpec((None,), tf.int32))
    return tf.data.Dataset.from_generator(lambda: iter(pairs), output_signature=spec)


def test_token_batches_stay_within_the_subword_budget():
    budget = 240
    batches = list(batch_by_length(_token_pairs(), 64, 32, 4, batch_tokens=budget))
    padded = [
        int(tf.size(inputs["source"]) + tf.size(target)) for inputs, target in batches
    ]  # Source plus target subwords of each padded batch.
    pairs = [int(target.shape[0]) for _, target in batches]
    lengths = [int(target.shape[1]) for _, target in batches]
    assert max(padded) <= budget
    assert sum(pairs) == 600
    full = [p for p, n in zip(padded, pairs) if n > 1]
    assert np.median(full) > budget / 2  # Batches are filled, not just bounded.
    short = [n for n, length in zip(pairs, lengths) if length <= 8]
    long = [n for n, length in zip(pairs, lengths) if length > 24]
    assert max(short) > 2 * max(long)


def test_batch_tokens_below_the_longest_pair_is_refused():
    with bad_input(
        "config", "batch_tokens below 2 * max_length", "training.batch_tokens=150", "100"
    ):
        load_config(None, ["training.batch_tokens=150", "data.max_length=100"])
    message = config_error(["training.batch_tokens=60", "data.max_length=40"])
    assert "data.max_length=40" in message and "80" in message
    assert load_config(None, ["training.batch_tokens=80", "data.max_length=40"])
    assert "must be >= 0" in config_error(["training.batch_tokens=-1"])


def _describe(config) -> str:
    data, training = config.data, config.training
    return describe_batches(
        training.batch_size,
        data.max_length,
        training.bucket_width,
        training.batch_tokens,
        training.accumulate_steps,
    )


def test_describe_batches_names_the_bucket_sizes_and_accumulation():
    config = load_config(
        None,
        ["training.batch_tokens=400", "data.max_length=40", "training.accumulate_steps=2"],
    )
    assert _describe(config) == (
        "batches: up to 400 source+target subwords (50 pairs in the shortest length bucket, "
        "5 in the longest); 2 batches per optimizer update"
    )
    assert _describe(load_config(None, [])) == "batches: 64 pairs"


@pytest.mark.slow
def test_training_with_token_batches_and_accumulation_counts_updates_and_resumes(tmp_path):
    """max_steps counts updates; the log and metrics.jsonl show the pairs per update;
    raising max_steps resumes from the checkpoint with the optimizer's update count."""

    run = make_run(
        tmp_path,
        "tokens",
        overrides=[
            "training.batch_tokens=800",
            "training.accumulate_steps=2",
            "training.max_steps=4",
        ],
    )
    assert "batches: up to 800 source+target subwords" in run["log"]
    assert "2 batches per optimizer update" in run["log"]
    state_file = os.path.join(run["run_dir"], "checkpoint", "state.json")
    with open(state_file) as handle:
        assert json.load(handle)["step"] == 4
    with open(os.path.join(run["run_dir"], "metrics.jsonl")) as handle:
        record = json.loads(handle.readline())
    # At most two batches of the shortest bucket's 100 pairs; mostly partial buckets here.
    assert 10 < record["sentences_per_batch"] <= 200
    assert f"{record['sentences_per_batch']:.1f} pairs/batch" in run["log"]

    printed = io.StringIO()
    argv = ["train", "--config", run["config"], "--run-dir", run["run_dir"]]
    argv += ["--set", "training.max_steps=6"]
    with (
        mock.patch.dict(os.environ, {"TRANSLATE_PROGRESS": "0"}),
        contextlib.redirect_stdout(printed),
    ):
        assert cli.main(argv) == 0, printed.getvalue()
    assert "resuming after epoch 1 (step 4," in printed.getvalue()
    with open(state_file) as handle:
        assert json.load(handle)["step"] == 6
    weights = os.path.join(run["run_dir"], "checkpoint", "last.weights.h5")
    with h5py.File(weights, "r") as handle:
        iterations = int(handle["optimizer/vars/0"][()])  # Keras' first optimizer variable.
    assert iterations == 6  # Adam counted updates, not batches.


def test_the_distribution_line_names_the_token_budget():

    one = distribute.describe(tf.distribute.get_strategy(), 64, 2048)
    assert one == "distribution: one device, batches of up to 2,048 subwords"
    two = distribute.describe(types.SimpleNamespace(num_replicas_in_sync=2), 64, 2048)
    assert two.endswith(
        "2 replicas; global batches of up to 2,048 subwords = about 1,024 per replica"
    )
    assert (
        distribute.describe(tf.distribute.get_strategy(), 64)
        == "distribution: one device, batch 64"
    )
