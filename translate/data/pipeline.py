"""From (source, target) string pairs to padded, length-bucketed training batches.

The steps, all inside tf.data so the model never waits on Python:

1. tokenize in large batches with the in-graph SentencePiece tokenizer;
2. drop empty pairs and pairs longer than ``max_length`` subwords (counted);
3. cache the token ids (tokenize once: in memory, in files, or not at all
   for corpora too big for memory), shuffle;
4. group pairs of similar length (buckets ``bucket_width`` subwords wide) and
   pad each batch only to its own longest sentence; a batch holds
   ``batch_size`` pairs, or with ``batch_tokens`` as many as fit that many
   subwords at the bucket's longest length (:func:`bucket_batch_sizes`);
5. shift the target for teacher forcing: the decoder reads ``<s> y1 .. yn``
   and learns to predict ``y1 .. yn </s>``;
6. with gradient accumulation, stack the batches of one optimizer update
   (:func:`group_for_accumulation`).

With subword sampling, step 3 caches the text instead
(:func:`translate.data.cache.cached_text`) and step 1 draws a new segmentation
every epoch (:func:`sampling_tokenizer`).
"""

from __future__ import annotations

import dataclasses
import os

import numpy as np
import tensorflow as tf

from translate import TranslateError
from translate.data import cache as caches
from translate.data.tokenizer import BOS_ID, EOS_ID, SubwordTokenizer

_TOKENIZE_BATCH = 1024


def sampling_tokenizer(tokenizer: SubwordTokenizer, alpha: float) -> SubwordTokenizer:
    """The tokenizer that samples the training segmentations.

    Args:
        tokenizer: The run's tokenizer.
        alpha: ``data.subword_sampling``, above 0.

    Raises:
        TranslateError: Naming the key, if the tokenizer is not a unigram model.
    """
    try:
        return tokenizer.sampling(alpha)
    except TranslateError as error:
        raise TranslateError(f"data.subword_sampling={alpha}: {error}") from None


@dataclasses.dataclass(frozen=True)
class FilterCounts:
    """How many training pairs the length filter kept and dropped.

    Attributes:
        kept: Pairs kept.
        empty: Pairs dropped for an empty side.
        too_long: Pairs dropped for exceeding the length limit.
        target_token_counts: How often each target id occurs in the decoder
            outputs of the kept pairs (``</s>`` once per pair), when counted.
    """

    kept: int
    empty: int
    too_long: int
    target_token_counts: tuple[int, ...] = dataclasses.field(default=(), compare=False, repr=False)

    def target_log_frequencies(self) -> np.ndarray:
        """Add-one smoothed log relative frequencies of the target ids, ``(vocab,)`` float32.

        Raises:
            ValueError: If the target tokens were not counted.
        """
        if not self.target_token_counts:
            raise ValueError("target tokens were not counted (pass target_vocab_size)")
        counts = np.asarray(self.target_token_counts, dtype=np.float64) + 1.0
        return np.log(counts / counts.sum()).astype(np.float32)

    def describe(self) -> str:
        return (
            f"{self.kept:,} training pairs kept; dropped {self.empty:,} with an empty side "
            f"and {self.too_long:,} longer than the length limit"
        )


def tokenize_pairs(pairs: tf.data.Dataset, tokenizer: SubwordTokenizer) -> tf.data.Dataset:
    """``(source, target)`` strings -> ``(source_ids, target_ids)`` int32 vectors.

    Source ids end with ``</s>``; target ids carry no special tokens.
    """

    def encode(source, target):
        return tokenizer.encode_source(source), tokenizer.encode_target(target)

    return pairs.batch(_TOKENIZE_BATCH).map(encode, num_parallel_calls=tf.data.AUTOTUNE).unbatch()


def _pair_length(source, target):
    return tf.maximum(tf.shape(source)[0], tf.shape(target)[0] + 1)


def _shift_for_teacher_forcing(source, target):
    bos = tf.constant([BOS_ID], tf.int32)
    eos = tf.constant([EOS_ID], tf.int32)
    inputs = {"source": source, "target_in": tf.concat([bos, target], 0)}
    return inputs, tf.concat([target, eos], 0)


def count_filtered(
    token_pairs: tf.data.Dataset, max_length: int, target_vocab_size: int = 0
) -> FilterCounts:
    """Counts the pairs :func:`filter_pairs` keeps and drops (one pass over the data).

    Args:
        token_pairs: ``(source_ids, target_ids)`` pairs.
        max_length: As in :func:`filter_pairs`.
        target_vocab_size: If set, also count each target id of the kept pairs
            (and their ``</s>``) in the same pass.
    """
    vocab = max(target_vocab_size, 1)

    def classify(carry, source, target):
        counts, tokens = carry
        empty = tf.logical_or(tf.shape(source)[0] <= 1, tf.shape(target)[0] == 0)
        too_long = tf.logical_and(tf.logical_not(empty), _pair_length(source, target) > max_length)
        kept = tf.logical_not(tf.logical_or(empty, too_long))
        if target_vocab_size:
            ids = tf.concat([target, [EOS_ID]], 0)[:, None]  # (tgt_len + 1, 1)
            tokens = tf.tensor_scatter_nd_add(
                tokens, ids, tf.fill(tf.shape(ids)[:1], tf.cast(kept, tf.int64))
            )
        return counts + tf.cast(tf.stack([kept, empty, too_long]), tf.int64), tokens

    initial = (tf.zeros(3, tf.int64), tf.zeros(vocab, tf.int64))
    counts, tokens = token_pairs.reduce(initial, lambda c, pair: classify(c, *pair))
    kept, empty, too_long = (int(x) for x in counts.numpy())
    token_counts = tuple(int(x) for x in tokens.numpy()) if target_vocab_size else ()
    return FilterCounts(kept=kept, empty=empty, too_long=too_long, target_token_counts=token_counts)


def filter_pairs(token_pairs: tf.data.Dataset, max_length: int) -> tf.data.Dataset:
    """Drops pairs with an empty side (the source is just ``</s>``) or over ``max_length``."""

    def keep(source, target):
        non_empty = tf.logical_and(tf.shape(source)[0] > 1, tf.shape(target)[0] > 0)
        return tf.logical_and(non_empty, _pair_length(source, target) <= max_length)

    return token_pairs.filter(keep)


def _bucket_boundaries(max_length: int, bucket_width: int) -> list[int]:
    return list(range(bucket_width + 1, max_length + 1, bucket_width))


def bucket_batch_sizes(
    batch_size: int, max_length: int, bucket_width: int, batch_tokens: int = 0
) -> list[int]:
    """Pairs per batch of each length bucket, shortest bucket first.

    Args:
        batch_size: Pairs per batch when ``batch_tokens`` is 0.
        max_length: Longest pair length allowed.
        bucket_width: Width of each length bucket in subwords.
        batch_tokens: If above 0, each bucket's batches hold as many pairs as
            fit ``batch_tokens`` source plus target subwords when every pair is
            padded to the bucket's longest length ``L`` on both sides:
            ``batch_tokens // (2 * L)``, at least 1. A batch never holds more
            padded subwords than that, and a full batch of the bucket's longest
            pairs holds about that many.

    Returns:
        One batch size per bucket (``len(boundaries) + 1`` of them).
    """
    boundaries = _bucket_boundaries(max_length, bucket_width)
    if not batch_tokens:
        return [batch_size] * (len(boundaries) + 1)
    longest = [boundary - 1 for boundary in boundaries] + [max_length]
    return [max(1, batch_tokens // (2 * length)) for length in longest]


def describe_batches(
    batch_size: int,
    max_length: int,
    bucket_width: int,
    batch_tokens: int = 0,
    accumulate_steps: int = 1,
) -> str:
    """One line: what a batch holds, and how many batches make an optimizer update.

    Args:
        batch_size, max_length, bucket_width, batch_tokens: As for :func:`batch_by_length`.
        accumulate_steps: Batches per optimizer update (:func:`group_for_accumulation`).
    """
    if batch_tokens:
        sizes = bucket_batch_sizes(batch_size, max_length, bucket_width, batch_tokens)
        line = (
            f"batches: up to {batch_tokens:,} source+target subwords "
            f"({sizes[0]} pairs in the shortest length bucket, {sizes[-1]} in the longest)"
        )
    else:
        line = f"batches: {batch_size} pairs"
    if accumulate_steps > 1:
        line += f"; {accumulate_steps} batches per optimizer update"
    return line


def batch_by_length(
    token_pairs: tf.data.Dataset,
    batch_size: int,
    max_length: int,
    bucket_width: int,
    batch_tokens: int = 0,
) -> tf.data.Dataset:
    """Groups pairs of similar length into batches padded to their longest member.

    Args:
        token_pairs: ``(source_ids, target_ids)`` pairs within ``max_length``.
        batch_size: Pairs per batch (when ``batch_tokens`` is 0).
        max_length: Longest pair length allowed.
        bucket_width: Width of each length bucket in subwords.
        batch_tokens: Subwords per batch instead (0 = off), see :func:`bucket_batch_sizes`.

    Returns:
        Batches ``({"source": (batch, src_len), "target_in": (batch, tgt_len)},
        target_out (batch, tgt_len))``, padded with 0.
    """
    boundaries = _bucket_boundaries(max_length, bucket_width)
    shifted = token_pairs.map(_shift_for_teacher_forcing, num_parallel_calls=tf.data.AUTOTUNE)
    return shifted.bucket_by_sequence_length(
        element_length_func=lambda inputs, target_out: tf.maximum(
            tf.shape(inputs["source"])[0], tf.shape(target_out)[0]
        ),
        bucket_boundaries=boundaries,
        bucket_batch_sizes=bucket_batch_sizes(batch_size, max_length, bucket_width, batch_tokens),
    )


def count_batches(
    token_pairs: tf.data.Dataset,
    batch_size: int,
    max_length: int,
    bucket_width: int,
    batch_tokens: int = 0,
) -> int:
    """How many batches :func:`batch_by_length` makes of ``token_pairs`` (one pass).

    Each length bucket ends with one partial batch whatever the shuffle order,
    so the count is the same every epoch: the sum over buckets of
    ``ceil(pairs / bucket batch size)`` (:func:`bucket_batch_sizes`).

    Args:
        token_pairs: ``(source_ids, target_ids)`` pairs within ``max_length``.
        batch_size, max_length, bucket_width, batch_tokens: As for :func:`batch_by_length`.
    """
    boundaries = tf.constant(_bucket_boundaries(max_length, bucket_width), tf.int32)
    sizes = bucket_batch_sizes(batch_size, max_length, bucket_width, batch_tokens)

    def add(histogram, source, target):
        length = tf.maximum(tf.shape(source)[0], tf.shape(target)[0] + 1)  # as batch_by_length
        bucket = tf.reduce_sum(tf.cast(boundaries <= length, tf.int32))
        return tf.tensor_scatter_nd_add(histogram, [[bucket]], tf.ones([1], tf.int64))

    initial = tf.zeros(boundaries.shape[0] + 1, tf.int64)
    histogram = token_pairs.reduce(initial, lambda h, pair: add(h, *pair)).numpy()
    return int(sum(-(-int(n) // size) for n, size in zip(histogram, sizes)))


def group_for_accumulation(batches: tf.data.Dataset, steps: int) -> tf.data.Dataset:
    """Stacks each ``steps`` consecutive batches into one element: one optimizer update.

    The batches differ in size and length, so they are padded with 0 to the
    largest of the group; :mod:`translate.accumulation` cuts each one back to
    its own rows and columns. Batch-major layout, so ``tf.distribute`` splits
    every batch of the group over the replicas as it splits a single batch.
    The last group of an epoch may hold fewer batches.

    Args:
        batches: Batches of :func:`batch_by_length`.
        steps: Batches per group (``training.accumulate_steps``); 1 returns
            ``batches`` unchanged.

    Returns:
        ``({"source": (batch, steps, src_len), "target_in": (batch, steps, tgt_len)},
        target_out (batch, steps, tgt_len))`` with ``batch`` the largest batch
        of the group.
    """
    if steps == 1:
        return batches

    def swap(ids):  # (steps, batch, len) -> (batch, steps, len)
        return tf.transpose(ids, [1, 0, 2])

    def batch_major(inputs, target_out):
        return {key: swap(value) for key, value in inputs.items()}, swap(target_out)

    return batches.padded_batch(steps).map(batch_major, num_parallel_calls=tf.data.AUTOTUNE)


def _check_cache_prefix(prefix: str) -> None:
    folder = os.path.dirname(os.path.abspath(prefix))
    if not os.path.isdir(folder):
        raise TranslateError(f"data.cache={prefix!r}: folder {folder} does not exist")
    if os.path.exists(prefix + ".lockfile"):
        raise TranslateError(
            f"data.cache={prefix!r}: {prefix}.lockfile exists; another run is filling this cache, "
            "or one was interrupted while filling it (then delete the lock file)"
        )


def training_batches(
    pairs: tf.data.Dataset,
    tokenizer: SubwordTokenizer,
    *,
    batch_size: int,
    max_length: int,
    bucket_width: int,
    shuffle_buffer: int,
    seed: int,
    limit: int = 0,
    cache: bool | str = True,
    corpus_fingerprint: object = None,
    batch_tokens: int = 0,
    accumulate_steps: int = 1,
    subword_sampling: float = 0.0,
) -> tuple[tf.data.Dataset, FilterCounts]:
    """The whole training input pipeline.

    Args:
        pairs: ``(source, target)`` string pairs.
        tokenizer: The run's tokenizer.
        batch_size: Pairs per batch.
        max_length: Pairs longer than this (in subwords, either side) are dropped.
        bucket_width: Length bucket width.
        shuffle_buffer: Pairs in the shuffle buffer.
        seed: Shuffle seed (each epoch reshuffles deterministically from it).
        limit: Use only the first ``limit`` pairs (0 = all).
        cache: Where to keep token ids after the first pass: ``"memory"`` (or
            True), ``"none"`` (or False: tokenize again every epoch, so memory
            stays flat however big the corpus) or a file path prefix for a
            ``tf.data`` cache on disk. Without a cache, :func:`count_filtered`
            still makes one extra pass over the corpus to count the filter.
            With one, the batches of an epoch are counted too
            (:func:`count_batches`, over the cached ids), so the dataset's
            cardinality is known and Keras's progress bar has a total from the
            first epoch; a streamed corpus gets it after its first epoch.
        corpus_fingerprint: What ``pairs`` were read from
            (``translate.data.sources.corpus_fingerprint``); a cache on disk
            built from another corpus, tokenizer or limit is written again
            (:mod:`translate.data.cache`).
        batch_tokens: Fill batches up to about this many source plus target
            subwords instead of ``batch_size`` pairs (0 = off).
        accumulate_steps: Batches per optimizer update, stacked into one
            element by :func:`group_for_accumulation` (1 = off).
        subword_sampling: SentencePiece sampling ``alpha`` (0 = off): each epoch
            tokenizes the pairs with a newly drawn segmentation, and ``cache``
            keeps the text (:func:`translate.data.cache.cached_text`). The
            counts are then those of the best segmentation, so approximate, and
            the number of batches varies by epoch and is not asserted.

    Returns:
        The batched dataset (one pass = one epoch) and the filter counts (with
        the target token counts).

    Raises:
        TranslateError: If no pair survives the filter.
    """
    if limit:
        pairs = pairs.take(limit)
    on_disk = cache not in (True, False, "memory", "none")  # a tf.data cache file prefix
    if on_disk:
        _check_cache_prefix(cache)
    if subword_sampling:
        sampler = sampling_tokenizer(tokenizer, subword_sampling)
        pairs, source = caches.cached_text(pairs, cache, corpus_fingerprint, limit)
        tokens = tokenize_pairs(pairs, sampler)  # a new draw every epoch
        counted = tokenize_pairs(pairs, tokenizer)
    else:
        tokens = tokenize_pairs(pairs, tokenizer)
        if cache is True or cache == "memory":
            tokens = tokens.cache()
        elif on_disk:
            source = caches.built_from(
                corpus_fingerprint, (tokenizer.source_model, tokenizer.target_model), limit
            )
            caches.prepare(cache, source)
            tokens = tokens.cache(cache)
        counted = tokens
    counts = count_filtered(counted, max_length, tokenizer.target_vocab_size)
    if on_disk:
        caches.record(cache, source)  # The counting pass filled the cache.
    if counts.kept == 0:
        raise TranslateError(
            f"no training pairs left: {counts.describe()} (data.max_length={max_length})"
        )
    kept = filter_pairs(tokens, max_length).shuffle(
        shuffle_buffer, seed=seed, reshuffle_each_iteration=True
    )
    batches = batch_by_length(kept, batch_size, max_length, bucket_width, batch_tokens)
    if cache not in (False, "none") and not subword_sampling:  # counting re-reads cached ids
        steps = count_batches(
            filter_pairs(tokens, max_length), batch_size, max_length, bucket_width, batch_tokens
        )  # the same every epoch; Keras's progress bar shows it as the epoch's total
        batches = batches.apply(tf.data.experimental.assert_cardinality(steps))
    batches = group_for_accumulation(batches, accumulate_steps)
    return batches.prefetch(tf.data.AUTOTUNE), counts
