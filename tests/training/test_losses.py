"""Tests of the loss: masked, label-smoothed token cross-entropy and its gradient."""

import numpy as np
import pytest
import tensorflow as tf

from translate.training.losses import masked_cross_entropy, smoothed_token_cross_entropy


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
def test_masked_cross_entropy_gradient_is_softmax_minus_smoothed_target(smoothing):
    """d loss / d logits: (softmax - (1 - e) onehot(y) - e / V) / tokens; 0 on padding."""
    rng = np.random.default_rng(3)
    logits = rng.normal(0, 3, (3, 5, 11)).astype(np.float32)
    target = np.array([[4, 5, 6, 3, 0], [6, 3, 0, 0, 0], [1, 2, 4, 10, 3]], np.int32)
    logits_tensor = tf.constant(logits)
    with tf.GradientTape() as tape:
        tape.watch(logits_tensor)
        loss = masked_cross_entropy(smoothing)(tf.constant(target), logits_tensor)
    gradient = tape.gradient(loss, logits_tensor).numpy()
    vocab, tokens = logits.shape[-1], np.count_nonzero(target)
    softmax = np.exp(_log_softmax(logits))
    onehot = np.eye(vocab)[target]
    expected = (softmax - (1 - smoothing) * onehot - smoothing / vocab) / tokens
    expected *= (target != 0)[..., None]
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


def test_token_losses_keep_padding_positions_for_the_caller_to_mask():
    """The per-token loss is defined everywhere, padding included, in the input's shape."""
    rng = np.random.default_rng(4)
    logits = rng.normal(0, 2, (2, 3, 5)).astype(np.float32)
    target = np.array([[4, 3, 0], [1, 0, 0]], np.int32)
    losses = smoothed_token_cross_entropy(tf.constant(target), tf.constant(logits), 0.2).numpy()
    assert losses.shape == (2, 3)
    log_probs = _log_softmax(logits)
    for b in range(2):
        for t in range(3):
            expected = -0.8 * log_probs[b, t, target[b, t]] - 0.2 * log_probs[b, t].mean()
            assert losses[b, t] == pytest.approx(expected, rel=1e-5)
