"""The training loss: token cross-entropy against label-smoothed targets, padding masked."""

from __future__ import annotations

from collections.abc import Callable

import tensorflow as tf

from translate.data.tokenizer import PAD_ID
from translate.training import distribute


def smoothed_token_cross_entropy(
    target_out: tf.Tensor, logits: tf.Tensor, label_smoothing: float = 0.0
) -> tf.Tensor:
    """Per-token cross-entropy against the label-smoothed target.

    With ``p`` a token's predicted distribution over ``V`` types, ``y`` its
    label and ``e`` the smoothing, the target puts ``1 - e`` on ``y`` and
    spreads ``e`` evenly over the vocabulary, so the loss is
    ``(1 - e) * -log p_y + e * mean_k(-log p_k)``. Its gradient with respect
    to the logits is ``softmax - (1 - e) * onehot(y) - e / V``, which
    TensorFlow derives from this formula.

    Args:
        target_out: ``(batch, tgt_len)`` int32 labels.
        logits: ``(batch, tgt_len, vocab)`` float32.
        label_smoothing: Probability mass spread uniformly over the vocabulary.

    Returns:
        ``(batch, tgt_len)`` losses, padding included (the caller masks them).
    """
    log_probs = tf.nn.log_softmax(logits, axis=-1)  # (batch, tgt_len, vocab)
    nll = -tf.gather(log_probs, target_out, batch_dims=2)  # (batch, tgt_len)
    if label_smoothing == 0:
        return nll
    uniform = -tf.reduce_mean(log_probs, axis=-1)  # (batch, tgt_len)
    return (1.0 - label_smoothing) * nll + label_smoothing * uniform


def masked_cross_entropy(
    label_smoothing: float = 0.0,
) -> Callable[[tf.Tensor, tf.Tensor], tf.Tensor]:
    """Token-level cross-entropy that ignores padding, with optional label smoothing.

    Args:
        label_smoothing: Probability mass spread uniformly over the vocabulary.

    Returns:
        ``loss(target_out (batch, tgt_len), logits (batch, tgt_len, vocab)) -> scalar``,
        the mean over real (non-pad) target tokens of
        :func:`smoothed_token_cross_entropy`. Under a ``tf.distribute``
        strategy with several replicas each replica divides its token sum by
        the token count of the whole global batch; Keras sums the replicas'
        gradients (and does not rescale a scalar loss), so the step equals the
        one-device step on the whole batch. Its ``label_smoothing`` attribute
        is read by the accumulating step (:mod:`translate.training.step`).
    """

    def loss(target_out, logits):
        target_out = tf.cast(target_out, tf.int32)
        logits = tf.cast(logits, tf.float32)
        nll = smoothed_token_cross_entropy(target_out, logits, label_smoothing)  # (batch, tgt_len)
        mask = tf.cast(tf.not_equal(target_out, PAD_ID), tf.float32)
        tokens = distribute.sum_over_replicas(tf.reduce_sum(mask))
        return tf.reduce_sum(nll * mask) / tf.maximum(tokens, 1.0)

    loss.label_smoothing = label_smoothing
    return loss


def masked_token_loss_sum(
    target_out: tf.Tensor, logits: tf.Tensor, label_smoothing: float = 0.0
) -> tuple[tf.Tensor, tf.Tensor]:
    """The summed token loss of a batch and its real token count, not yet divided.

    For gradient accumulation (:mod:`translate.training.step`), which divides the
    sums of several batches by their total token count.

    Args:
        target_out: ``(batch, tgt_len)`` labels, 0-padded.
        logits: ``(batch, tgt_len, vocab)``.
        label_smoothing: Probability mass spread uniformly over the vocabulary.

    Returns:
        ``(loss_sum, tokens)``: float32 scalars, the sum of
        :func:`smoothed_token_cross_entropy` over real (non-pad) tokens and their count.
    """
    target_out = tf.cast(target_out, tf.int32)
    logits = tf.cast(logits, tf.float32)
    nll = smoothed_token_cross_entropy(target_out, logits, label_smoothing)  # (batch, tgt_len)
    mask = tf.cast(tf.not_equal(target_out, PAD_ID), tf.float32)  # (batch, tgt_len)
    return tf.reduce_sum(nll * mask), tf.reduce_sum(mask)
