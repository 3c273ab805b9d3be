"""Random sampling's draws: the top-k, tempered distribution and its keyed random stream.

:class:`~translate.search.strategies.RandomSampling` keeps one hypothesis per
sentence, like greedy search, and draws its next token from the model's
distribution, optionally restricted to the ``top_k`` most probable tokens and
sharpened or flattened by a ``temperature``::

    p(token) ~ exp(log P(token | prefix) / temperature)   over the top_k tokens

``top_k = 0`` samples from the whole vocabulary; ``top_k = 1`` is greedy search,
token for token (the same tie rule: the lowest id). The score of a sample is
its log-probability under the model (untempered, unrestricted), eos included,
as for greedy search.

**The random stream.** Each draw is an inverse-CDF draw with one uniform number
``u`` per sentence and step, a hash (FarmHash fingerprint,
``tf.strings.to_hash_bucket_fast``) of the text ``"seed:line:step"``, where ``line``
is the sentence's index in the input and ``step`` the output position. A
sentence's sample therefore depends on the seed, its line and the model only:
not on the batch size, the order of the batches or which other hypotheses are
still growing, and the same seed repeats the same output.
"""

from __future__ import annotations

import math

import tensorflow as tf

from translate import TranslateError

# 2**53 buckets: every bucket index is exact in float64, so u = bucket / 2**53 is in [0, 1).
_BUCKETS = 2**53


def check_sampling_options(top_k: int, temperature: float) -> None:
    """Checks ``top_k >= 0`` and a finite ``temperature > 0``.

    Raises:
        TranslateError: Naming the option and the value.
    """
    if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 0:
        raise TranslateError(f"sampling top-k must be an integer >= 0, got {top_k!r}")
    if not isinstance(temperature, (int, float)) or not math.isfinite(temperature):
        raise TranslateError(f"sampling temperature must be a finite number, got {temperature!r}")
    if temperature <= 0:
        raise TranslateError(f"sampling temperature must be > 0, got {temperature!r}")


def uniform_draws(seed: int | tf.Tensor, lines: tf.Tensor, step: tf.Tensor) -> tf.Tensor:
    """``(batch,)`` float64 numbers in ``[0, 1)``, a hash of ``(seed, lines[i], step)``.

    Args:
        seed: The user's seed.
        lines: ``(batch,)`` integer line index of each sentence.
        step: Scalar output position.

    Returns:
        One pseudo-random number per sentence, uniform over ``[0, 1)`` in 2**-53 steps.
    """
    lines = tf.cast(lines, tf.int64)
    keys = tf.strings.join(
        [
            tf.strings.as_string(tf.cast(seed, tf.int64)),
            tf.strings.as_string(lines),
            tf.strings.as_string(tf.cast(step, tf.int64)),
        ],
        separator=":",
    )  # (batch,) e.g. "7:12:3"
    buckets = tf.strings.to_hash_bucket_fast(keys, _BUCKETS)  # (batch,) int64
    return tf.cast(buckets, tf.float64) / float(_BUCKETS)


def sample_tokens(
    log_probs: tf.Tensor, uniform: tf.Tensor, top_k: int, temperature: float
) -> tf.Tensor:
    """Draws one token per row by inverting the CDF of the tempered top-k distribution.

    Args:
        log_probs: ``(batch, vocab)`` float32 log-probabilities; ``-inf`` tokens are
            never drawn.
        uniform: ``(batch,)`` float64 numbers in ``[0, 1)``.
        top_k: Candidates per row, most probable first (0 = all).
        temperature: ``> 0``.

    Returns:
        ``(batch,)`` int32 token ids.
    """
    vocab = tf.shape(log_probs)[-1]
    scaled = log_probs / temperature  # (batch, vocab)
    if top_k > 0:
        # Sorted, best first; ties go to the lowest id, as in greedy search.
        values, ids = tf.math.top_k(scaled, k=tf.minimum(top_k, vocab))  # (batch, k) each
    else:
        values = scaled
        ids = tf.broadcast_to(tf.range(vocab), tf.shape(scaled))  # (batch, vocab)
    probs = tf.nn.softmax(tf.cast(values, tf.float64), axis=-1)  # (batch, k)
    cdf = tf.cumsum(probs, axis=-1)  # (batch, k)
    # The first position whose cumulative probability exceeds u: a token of
    # probability 0 never is the first, since its cdf equals its predecessor's.
    target = (uniform * cdf[:, -1])[:, None]  # (batch, 1), below the total
    position = tf.searchsorted(cdf, target, side="right")[:, 0]  # (batch,)
    position = tf.minimum(position, tf.shape(cdf)[-1] - 1)  # float rounding guard
    return tf.gather(ids, position, batch_dims=1)
