"""Token batches (``training.batch_tokens``): batch sizes per length bucket, the subword
bound, the config check, and training with token batches and accumulation end to end."""

import json
import os

import numpy as np
import pytest
import tensorflow as tf
from helpers import bad_input, config_error, make_run

from translate.config import load_config
from translate.data.pipeline import batch_by_length, bucket_batch_sizes
from translate.training import describe_batches


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


def test_describe_batches_names_the_bucket_sizes_and_accumulation():
    config = load_config(
        None,
        ["training.batch_tokens=400", "data.max_length=40", "training.accumulate_steps=2"],
    )
    assert describe_batches(config) == (
        "batches: up to 400 source+target subwords (50 pairs in the shortest length bucket, "
        "5 in the longest); 2 batches per optimizer update"
    )
    assert describe_batches(load_config(None, [])) == "batches: 64 pairs"


@pytest.mark.slow
def test_training_with_token_batches_and_accumulation_counts_updates(tmp_path):
    """max_steps counts updates; the log and metrics.jsonl show the pairs per update."""
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
    with open(os.path.join(run["run_dir"], "checkpoint", "state.json")) as handle:
        state = json.load(handle)
    assert state["step"] == 4
    with open(os.path.join(run["run_dir"], "metrics.jsonl")) as handle:
        record = json.loads(handle.readline())
    # Pairs of 8-13 subwords a side: buckets of 40 to 20 pairs, two batches an update.
    assert 40 < record["sentences_per_batch"] <= 160
    assert "pairs/batch" in run["log"]
