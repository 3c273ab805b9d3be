"""Tests of the training input pipeline: tokenize, filter, bucket, pad, shift."""

import collections
import os

import numpy as np
import pytest
import tensorflow as tf

from translate import TranslateError
from translate.data.pipeline import FilterCounts, training_batches
from translate.data.tokenizer import BOS_ID, EOS_ID, PAD_ID, SubwordTokenizer

_DE = "eins zwei drei vier fünf sechs sieben acht neun zehn".split()
_EN = "one two three four five six seven eight nine ten".split()


def parallel_lines():
    """Sentence pairs of 1 to 7 number words ("zwei drei" -> "two three").

    Returns:
        Two aligned lists: German sources and English targets.
    """
    sources, targets = [], []
    for length in range(1, 8):
        for start in range(0, len(_DE) - length + 1, 2):
            sources.append(" ".join(_DE[start : start + length]))
            targets.append(" ".join(_EN[start : start + length]))
    return sources, targets


@pytest.fixture(scope="module")
def tokenizer():
    """A joint tokenizer trained on the number-word corpus."""
    sources, targets = parallel_lines()
    return SubwordTokenizer.train(sources * 3, targets * 3, vocab_size=300)


def _dataset(sources, targets):
    """An in-memory dataset of string pairs.

    Args:
        sources: Source sentences.
        targets: Target sentences.

    Returns:
        ``tf.data.Dataset`` of scalar string pairs.
    """
    return tf.data.Dataset.from_tensor_slices((sources, targets))


def _lengths(tokenizer, sources, targets):
    """Token counts as the pipeline sees them.

    Args:
        tokenizer: The tokenizer.
        sources: Source sentences.
        targets: Target sentences.

    Returns:
        ``(source_lengths, target_lengths)``: source ids including eos, target ids
        without special tokens.
    """
    src = tokenizer.encode_source(tf.constant(sources)).row_lengths().numpy()
    tgt = tokenizer.encode_target(tf.constant(targets)).row_lengths().numpy()
    return src, tgt


def _batches(dataset):
    """Materializes a batched dataset as numpy arrays.

    Args:
        dataset: Batches ``({"source", "target_in"}, target_out)``.

    Returns:
        A list of ``(source, target_in, target_out)`` numpy arrays.
    """
    return [
        (inputs["source"].numpy(), inputs["target_in"].numpy(), target_out.numpy())
        for inputs, target_out in dataset
    ]


def _options(**overrides):
    """Keyword arguments of :func:`training_batches` with small defaults.

    Args:
        **overrides: Replacements.

    Returns:
        The options.
    """
    options = dict(batch_size=4, max_length=50, bucket_width=2, shuffle_buffer=100, seed=7)
    options.update(overrides)
    return options


def _real(row):
    """The non-padding prefix of a padded id row.

    Args:
        row: 1-D numpy ids.

    Returns:
        The ids before the first 0 (the row must be 0 only at its end).
    """
    length = int(np.sum(row != PAD_ID))
    assert (row[length:] == PAD_ID).all(), f"padding in the middle of {row}"
    return row[:length]


def test_batch_structure_and_teacher_forcing_shift(tokenizer):
    sources, targets = parallel_lines()
    batches, counts = training_batches(_dataset(sources, targets), tokenizer, **_options())
    assert counts == FilterCounts(kept=len(sources), empty=0, too_long=0)
    rows = 0
    for source, target_in, target_out in _batches(batches):
        assert source.dtype == target_in.dtype == target_out.dtype == np.int32
        assert target_in.shape == target_out.shape
        assert source.shape[0] == target_in.shape[0] <= 4
        for src, t_in, t_out in zip(source, target_in, target_out):
            src, real_in, real_out = _real(src), _real(t_in), _real(t_out)
            assert src[-1] == EOS_ID and EOS_ID not in src[:-1]
            assert real_in[0] == BOS_ID and BOS_ID not in real_in[1:]
            assert real_out[-1] == EOS_ID and EOS_ID not in real_out[:-1]
            assert len(real_in) == len(real_out)
            # target_out is target_in shifted left by one, ending with eos.
            np.testing.assert_array_equal(real_out[:-1], real_in[1:])
            assert (real_in > EOS_ID).sum() == len(real_in) - 1
            rows += 1
    assert rows == len(sources)


def test_every_pair_appears_once_per_epoch_and_decodes_back(tokenizer):
    sources, targets = parallel_lines()
    batches, _ = training_batches(_dataset(sources, targets), tokenizer, **_options())
    for _ in range(2):  # two epochs: reshuffled, still complete
        seen = collections.Counter()
        for source, _, target_out in _batches(batches):
            texts = tokenizer.decode_target(tf.constant(target_out)).numpy()
            for src, text in zip(source, texts):
                pieces = tokenizer.source_pieces(tf.constant(_real(src)[:-1])).numpy()
                src_text = "".join(p.decode() for p in pieces).replace("\u2581", " ").strip()
                seen[(src_text, text.decode())] += 1
        assert seen == collections.Counter(zip(sources, targets))


def test_padding_is_zero_and_only_to_the_longest_in_batch(tokenizer):
    sources, targets = parallel_lines()
    batches, _ = training_batches(_dataset(sources, targets), tokenizer, **_options(batch_size=8))
    for source, target_in, target_out in _batches(batches):
        source_lengths = (source != PAD_ID).sum(axis=1)
        target_lengths = (target_in != PAD_ID).sum(axis=1)
        assert source.shape[1] == source_lengths.max()
        assert target_in.shape[1] == target_lengths.max()
        for row in range(source.shape[0]):
            assert (source[row, source_lengths[row] :] == PAD_ID).all()
            assert (target_in[row, target_lengths[row] :] == PAD_ID).all()
            assert (target_out[row, target_lengths[row] :] == PAD_ID).all()


@pytest.mark.parametrize("bucket_width", [1, pytest.param(2, marks=pytest.mark.slow), 3])
def test_batches_group_similar_lengths(tokenizer, bucket_width):
    sources, targets = parallel_lines()
    batches, _ = training_batches(
        _dataset(sources, targets),
        tokenizer,
        **_options(batch_size=64, bucket_width=bucket_width),
    )
    batches = _batches(batches)
    # With room for every pair in one batch, only the length buckets split them.
    assert len(batches) > 1
    for source, target_in, _ in batches:
        pair_lengths = np.maximum((source != PAD_ID).sum(1), (target_in != PAD_ID).sum(1))
        assert pair_lengths.max() - pair_lengths.min() < bucket_width


def test_shuffle_is_deterministic_for_a_seed(tokenizer):
    sources, targets = parallel_lines()

    def first_epoch(seed):
        """The source batches of the first epoch for a shuffle seed."""
        batches, _ = training_batches(_dataset(sources, targets), tokenizer, **_options(seed=seed))
        return [s.tolist() for s, _, _ in _batches(batches)]

    assert first_epoch(3) == first_epoch(3)


def test_filter_drops_empty_and_over_long_pairs_and_counts_them(tokenizer):
    sources, targets = parallel_lines()
    extra_sources = ["", "   ", "eins", "zwei"]
    extra_targets = ["one", "two", "", "   "]
    all_sources, all_targets = sources + extra_sources, targets + extra_targets
    src_lengths, tgt_lengths = _lengths(tokenizer, sources, targets)
    pair_lengths = np.maximum(src_lengths, tgt_lengths + 1)
    max_length = int(np.median(pair_lengths))
    expected_long = int((pair_lengths > max_length).sum())
    assert 0 < expected_long < len(sources)

    batches, counts = training_batches(
        _dataset(all_sources, all_targets), tokenizer, **_options(max_length=max_length)
    )
    assert counts == FilterCounts(
        kept=len(sources) - expected_long, empty=len(extra_sources), too_long=expected_long
    )
    assert "dropped 4 with an empty side" in counts.describe()
    kept_rows = 0
    for source, target_in, _ in _batches(batches):
        assert (source != PAD_ID).sum(1).min() > 1, "a source that is only eos was kept"
        assert (target_in != PAD_ID).sum(1).min() > 1, "an empty target was kept"
        lengths = np.maximum((source != PAD_ID).sum(1), (target_in != PAD_ID).sum(1))
        assert lengths.max() <= max_length
        kept_rows += source.shape[0]
    assert kept_rows == counts.kept


def test_length_limit_is_inclusive(tokenizer):
    sources, targets = ["eins zwei drei"], ["one two three four five"]
    src_lengths, tgt_lengths = _lengths(tokenizer, sources, targets)
    pair_length = int(max(src_lengths[0], tgt_lengths[0] + 1))
    _, kept = training_batches(
        _dataset(sources, targets), tokenizer, **_options(max_length=pair_length)
    )
    assert kept == FilterCounts(kept=1, empty=0, too_long=0)
    with pytest.raises(TranslateError):
        training_batches(
            _dataset(sources, targets), tokenizer, **_options(max_length=pair_length - 1)
        )


def test_limit_takes_the_first_pairs(tokenizer):
    sources, targets = parallel_lines()
    batches, counts = training_batches(_dataset(sources, targets), tokenizer, **_options(limit=5))
    assert counts.kept + counts.empty + counts.too_long == 5
    assert sum(s.shape[0] for s, _, _ in _batches(batches)) == 5


def test_everything_filtered_is_an_error(tokenizer):
    sources = ["", "eins zwei drei vier fünf sechs sieben acht neun zehn"]
    targets = ["one", "one two three four five six seven eight nine ten"]
    with pytest.raises(TranslateError) as info:
        training_batches(_dataset(sources, targets), tokenizer, **_options(max_length=3))
    message = str(info.value)
    assert "no training pairs left" in message
    assert "max_length=3" in message
    assert "0 training pairs kept" in message
    assert "dropped 1 with an empty side and 1 longer" in message


def test_empty_dataset_is_an_error(tokenizer):
    with pytest.raises(TranslateError, match="no training pairs left"):
        training_batches(_dataset(["eins"], ["one"]).take(0), tokenizer, **_options())


def test_bucket_width_wider_than_max_length_still_batches(tokenizer):
    sources, targets = parallel_lines()
    batches, counts = training_batches(
        _dataset(sources, targets),
        tokenizer,
        **_options(max_length=4, bucket_width=8, batch_size=100),
    )
    assert counts.kept + counts.empty + counts.too_long == len(sources)
    assert counts.too_long > 0  # the limit of 4 subwords bites: the bucket is wider than it
    assert sum(s.shape[0] for s, _, _ in _batches(batches)) == counts.kept


def _pairs_of(batches):
    """The (source ids, target_out ids) pairs of one epoch, order-free.

    Args:
        batches: The batched dataset.

    Returns:
        A Counter of ``(tuple, tuple)`` id pairs without padding.
    """
    return collections.Counter(
        (tuple(_real(s)), tuple(_real(t)))
        for source, _, target_out in _batches(batches)
        for s, t in zip(source, target_out)
    )


@pytest.mark.parametrize("cache", [True, "none", "disk"])
@pytest.mark.slow
def test_cache_options_give_the_same_pairs(tokenizer, tmp_path, cache):
    sources, targets = parallel_lines()
    dataset = _dataset(sources + [""], targets + ["one"])
    reference, reference_counts = training_batches(dataset, tokenizer, **_options())
    if cache == "disk":
        cache = str(tmp_path / "token-cache")
    batches, counts = training_batches(dataset, tokenizer, cache=cache, **_options())
    assert counts == reference_counts == FilterCounts(kept=len(sources), empty=1, too_long=0)
    expected = _pairs_of(reference)
    assert _pairs_of(batches) == expected
    assert _pairs_of(batches) == expected  # a second epoch (read from the cache) too
    if isinstance(cache, str) and cache.endswith("token-cache"):
        assert any(name.startswith("token-cache") for name in os.listdir(tmp_path))


def test_disk_cache_in_missing_folder_is_an_error(tokenizer, tmp_path):
    sources, targets = parallel_lines()
    prefix = str(tmp_path / "no-such-folder" / "cache")
    with pytest.raises(TranslateError) as info:
        training_batches(_dataset(sources, targets), tokenizer, cache=prefix, **_options())
    assert "no-such-folder" in str(info.value)


def test_target_token_counts_are_the_decoder_outputs_of_kept_pairs(tokenizer):
    sources, targets = parallel_lines()
    extra_sources, extra_targets = ["", "eins"], ["one", ""]  # dropped: empty sides
    batches, counts = training_batches(
        _dataset(sources + extra_sources, targets + extra_targets), tokenizer, **_options()
    )
    expected = np.zeros(tokenizer.target_vocab_size, np.int64)
    for _, _, target_out in _batches(batches):
        expected += np.bincount(target_out.ravel(), minlength=tokenizer.target_vocab_size)
    expected[PAD_ID] = 0
    assert np.array_equal(np.asarray(counts.target_token_counts), expected)
    assert counts.target_token_counts[EOS_ID] == counts.kept == len(sources)


def test_target_log_frequencies_are_a_smoothed_distribution():
    counts = FilterCounts(kept=3, empty=0, too_long=0, target_token_counts=(0, 0, 0, 3, 6))
    log_frequencies = counts.target_log_frequencies()
    assert log_frequencies.shape == (5,)
    assert np.isclose(np.exp(log_frequencies).sum(), 1.0)
    assert np.allclose(np.exp(log_frequencies), np.array([1, 1, 1, 4, 7]) / 14)
    with pytest.raises(ValueError, match="not counted"):
        FilterCounts(kept=3, empty=0, too_long=0).target_log_frequencies()


def test_a_cached_epoch_knows_its_batch_count_before_it_runs(tokenizer):
    """Keras's progress bar has a total from the first epoch (the count is order-free)."""
    sources, targets = parallel_lines()
    dataset = _dataset(sources + ["", "x " * 60], targets + ["one", "y"])
    options = _options(bucket_width=3, batch_size=3)
    batches, _ = training_batches(dataset, tokenizer, cache=True, **options)
    steps = int(batches.cardinality())
    assert steps > len(sources) // 3  # partial batches at the ends of several buckets
    assert [len(_batches(batches)) for _ in range(2)] == [steps, steps]  # two epochs
    streamed, _ = training_batches(dataset, tokenizer, cache="none", **options)
    assert int(streamed.cardinality()) == tf.data.UNKNOWN_CARDINALITY  # known after epoch 1
