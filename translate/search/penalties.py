"""How long an output may grow, and the GNMT length and coverage penalties that rank outputs.

Beam search scores a finished hypothesis ``y`` of the source ``x`` by the GNMT
formula (Wu et al., 2016, eq. 14)::

    score(y) = log P(y | x) / lp(|y|) + cp(x, y)
    lp(len)  = ((5 + len) / 6) ** alpha
    cp(x, y) = beta * sum_i log(min(sum_j a_ij, 1.0))

``log P(y | x)`` includes the probability of eos; ``|y|`` is the number of
generated tokens *including* eos (a hypothesis cut at the maximum length has no
eos, so ``|y|`` is its number of words); ``a_ij`` is the attention on source word
``i`` at output step ``j``, summed over every step including the one that
produced eos; ``i`` runs over real source positions only (``source_mask``), and
``sum_j a_ij`` is floored at ``1e-10`` so an unattended word costs a large but
finite ``beta * log(1e-10)`` instead of ``-inf``. ``alpha`` is
``length_penalty`` and ``beta`` is ``coverage_penalty``.
"""

from __future__ import annotations

import tensorflow as tf

_COVERAGE_FLOOR = 1e-10


def max_output_lengths(
    source_mask: tf.Tensor,
    *,
    max_length_ratio: float = 1.5,
    max_length_offset: int = 10,
    max_length: int = 200,
) -> tf.Tensor:
    """The per-sentence output length limit.

    Args:
        source_mask: ``(batch, src_len)`` bool, True on real source tokens.
        max_length_ratio: Limit as a multiple of the source length.
        max_length_offset: Tokens added to that.
        max_length: Absolute cap.

    Returns:
        ``(batch,)`` int32 ``min(max_length, ceil(src_len_i * ratio) + offset)``,
        at least 0. Computed in float64, so it equals Python's ``math.ceil``.
    """
    source_lengths = tf.reduce_sum(tf.cast(source_mask, tf.float64), axis=1)  # (batch,)
    limits = tf.math.ceil(source_lengths * max_length_ratio) + max_length_offset
    limits = tf.clip_by_value(limits, 0.0, float(max_length))
    return tf.cast(limits, tf.int32)


def gnmt_length_penalty(length: tf.Tensor, alpha: float) -> tf.Tensor:
    """GNMT length penalty ``lp(len) = ((5 + len) / 6) ** alpha``.

    Args:
        length: Any-shape number of generated tokens (eos included).
        alpha: Strength; 0 disables the penalty (``lp = 1``).

    Returns:
        float32 tensor of the same shape.
    """
    length = tf.cast(length, tf.float32)
    if alpha == 0:
        return tf.ones_like(length)
    return tf.pow((5.0 + length) / 6.0, alpha)


def gnmt_coverage_penalty(coverage: tf.Tensor, source_mask: tf.Tensor, beta: float) -> tf.Tensor:
    """GNMT coverage penalty ``beta * sum_i log(min(coverage_i, 1))`` over real words.

    Args:
        coverage: ``(batch, beam, src_len)`` attention summed over output steps.
        source_mask: ``(batch, src_len)`` bool; padded positions contribute 0.
        beta: Strength; 0 disables the penalty.

    Returns:
        ``(batch, beam)`` float32 penalty, ``<= 0``. Coverage is floored at
        ``1e-10`` so the penalty stays finite.
    """
    if beta == 0:
        return tf.zeros(tf.shape(coverage)[:2], tf.float32)
    clipped = tf.clip_by_value(coverage, _COVERAGE_FLOOR, 1.0)  # (batch, beam, src_len)
    log_coverage = tf.where(source_mask[:, None, :], tf.math.log(clipped), 0.0)
    return beta * tf.reduce_sum(log_coverage, axis=-1)  # (batch, beam)


def gnmt_score(
    log_probs: tf.Tensor,
    length: tf.Tensor,
    coverage: tf.Tensor,
    source_mask: tf.Tensor,
    alpha: float,
    beta: float,
) -> tf.Tensor:
    """The GNMT score ``log_probs / lp(length) + cp(coverage)`` of finished hypotheses.

    Args:
        log_probs: ``(batch, beam)`` float32 total log-probability, eos included.
        length: Generated tokens, eos included; broadcasts against ``log_probs``.
        coverage: ``(batch, beam, src_len)`` attention summed over output steps.
        source_mask: ``(batch, src_len)`` bool.
        alpha: Length penalty strength.
        beta: Coverage penalty strength.

    Returns:
        ``(batch, beam)`` float32 scores.
    """
    return log_probs / gnmt_length_penalty(length, alpha) + gnmt_coverage_penalty(
        coverage, source_mask, beta
    )
