"""The training step: one optimizer update, as ``model.fit`` runs it.

Keras' ``fit`` calls the model's ``train_step(data)`` once per dataset element
("Customizing what happens in fit()"); :meth:`translate.model.Seq2Seq.train_step`
hands it to :func:`train_step`, which reads in the order things happen:

1. the forward pass and the loss: the label-smoothed token loss summed over the
   batch, divided by the target-token count of the whole global batch (over
   all replicas, :func:`translate.training.distribute.sum_over_replicas`), so a
   step of several replicas equals the step of one device on the whole batch;
2. with ``training.accumulate_steps = K > 1`` the element is a group of ``K``
   batches (:func:`translate.data.pipeline.group_for_accumulation`): each runs
   forward and backward on its own, its token-loss sum divided by the token
   count of the whole group, and their gradients are summed;
3. clipping and the update: ``optimizer.apply_gradients`` clips the gradient to
   ``training.clip_norm`` (under several replicas after summing them:
   :mod:`translate.training.optimizers`) and applies it;
4. the metrics: the update's loss and its sentence pairs (:class:`SentencesPerBatch`),
   over all replicas.

One ``fit`` step is therefore one update whatever ``K`` is: ``training.max_steps``,
the learning-rate warm-up and the logs count updates, a checkpoint never holds
half an accumulation, and the replicas all-reduce once per update. Keras'
``gradient_accumulation_steps`` option is not used: it averages per-batch
gradients that are each divided by their own token count (weighing the tokens
of a short batch more), counts batches rather than updates, and clips each
batch's gradient rather than their sum.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from translate.data.tokenizer import PAD_ID
from translate.training import distribute, losses


def train_step(model: keras.Model, data) -> dict:
    """One optimizer update from a batch or a group of batches.

    Args:
        model: The compiled model.
        data: ``(inputs, target_out)``. A batch: ``{"source": (batch, src_len),
            "target_in": (batch, tgt_len)}`` and ``(batch, tgt_len)`` ids. A group
            of batches (``training.accumulate_steps``): the same with a ``steps``
            axis after ``batch``.

    Returns:
        The model's metric results (``loss``, ``sentences_per_batch``).
    """
    inputs, target_out = data
    if target_out.shape.rank == 3:  # (batch, steps, tgt_len): a group of batches
        loss, gradients = _accumulated_gradients(model, inputs, target_out)
    else:
        loss, gradients = _batch_gradients(model, inputs, target_out)
    model.optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return _update_metrics(model, inputs, target_out, loss)


def _batch_gradients(model: keras.Model, inputs: dict, target_out: tf.Tensor):
    """The loss of one batch (the compiled loss) and its gradients.

    Returns:
        ``(loss, gradients)``: this replica's share of the loss (its token-loss
        sum over the global batch's token count) and one gradient per trainable variable.
    """
    with tf.GradientTape() as tape:
        logits = model(inputs, training=True)  # (batch, tgt_len, vocab)
        loss = model.compute_loss(x=inputs, y=target_out, y_pred=logits)
        scaled = model.optimizer.scale_loss(loss)  # Loss scaling under mixed_float16.
    return loss, tape.gradient(scaled, model.trainable_variables)


def _accumulated_gradients(model: keras.Model, inputs: dict, target_out: tf.Tensor):
    """The loss of a group of batches and its summed gradients.

    Each batch of the group is cut back to its own rows and columns (the group
    was padded to its largest) and runs forward and backward on its own; the
    gradients of ``sum of its token losses / total tokens of the group`` (over
    all replicas) are summed. Runs in a ``tf.while_loop``, so the graph holds
    one copy of the model however many batches a group has.

    Args:
        model: The compiled model; its loss has the ``label_smoothing`` attribute
            of :func:`translate.training.losses.masked_cross_entropy`.
        inputs: ``{"source": (batch, steps, src_len), "target_in": (batch, steps, tgt_len)}``.
        target_out: ``(batch, steps, tgt_len)`` ids.

    Returns:
        ``(loss, gradients)`` as :func:`_batch_gradients` returns them, for the whole group.
    """
    source, target_in = inputs["source"], inputs["target_in"]
    label_smoothing = model.loss.label_smoothing
    real_tokens = tf.reduce_sum(tf.cast(tf.not_equal(target_out, PAD_ID), tf.float32))
    tokens = tf.maximum(distribute.sum_over_replicas(real_tokens), 1.0)  # The update's tokens.
    rows_of = tf.reduce_sum(
        tf.cast(tf.reduce_any(tf.not_equal(target_out, PAD_ID), axis=-1), tf.int32), axis=0
    )  # (steps,): real rows of each batch on this replica (padding rows come last)
    variables = model.trainable_variables

    def accumulate(step, loss, gradients):
        rows = rows_of[step]
        target = _trim(target_out[:, step], rows)  # (rows, tgt_len)
        batch = {
            "source": _trim(source[:, step], rows),  # (rows, src_len)
            "target_in": target_in[:rows, step, : tf.shape(target)[1]],  # (rows, tgt_len)
        }
        with tf.GradientTape() as tape:
            logits = model(batch, training=True)  # (rows, tgt_len, vocab)
            token_loss, _ = losses.masked_token_loss_sum(target, logits, label_smoothing)
            share = token_loss / tokens
            scaled = model.optimizer.scale_loss(share)
        new = tape.gradient(scaled, variables)
        summed = [
            total + (tf.zeros_like(total) if grad is None else tf.convert_to_tensor(grad))
            for total, grad in zip(gradients, new)
        ]
        return step + 1, loss + share, summed

    zeros = [tf.zeros(variable.shape, variable.dtype) for variable in variables]
    _, loss, gradients = tf.while_loop(
        lambda step, *_: step < tf.shape(target_out)[1],
        accumulate,
        (tf.constant(0), tf.constant(0.0), zeros),
    )
    return loss, gradients


def _trim(ids: tf.Tensor, rows: tf.Tensor) -> tf.Tensor:
    """The first ``rows`` rows of ``(batch, len)`` ids, cut to their longest (at least 1)."""
    ids = ids[:rows]
    length = tf.reduce_max(tf.reduce_sum(tf.cast(tf.not_equal(ids, PAD_ID), tf.int32), axis=1))
    return ids[:, : tf.maximum(length, 1)]


def _update_metrics(model: keras.Model, inputs: dict, target_out: tf.Tensor, loss) -> dict:
    """Logs the update's loss and sentence pairs; returns the model's metric results.

    The loss is logged summed over the replicas and weighted by the update's
    pairs over all replicas, so the log is the loss of the update however the
    replicas' shares differ in size.
    """
    sentences = distribute.sum_over_replicas(count_sentences(target_out))
    for metric in model.metrics:
        if metric.name == "loss":  # Keras' loss tracker, first of ``model.metrics``.
            metric.update_state(distribute.sum_over_replicas(loss), sample_weight=sentences)
    # The compiled metric (SentencesPerBatch) reads the labels only: they stand in for predictions.
    logs = model.compute_metrics(inputs, target_out, target_out)
    if distribute.is_multi_worker(tf.distribute.get_strategy()):
        # Keras reduces a multi-worker step's logs with ``strategy.reduce("MEAN", v, axis=0)``,
        # which fails on a scalar (tensorflow/tensorflow#72388): give it shape (1,).
        logs = tf.nest.map_structure(lambda v: tf.reshape(v, [1]) if v.shape.rank == 0 else v, logs)
    return logs


def count_sentences(target_out: tf.Tensor) -> tf.Tensor:
    """Sentence pairs in a batch or a group of batches: rows with a real target token.

    Args:
        target_out: ``(batch, tgt_len)`` or ``(batch, steps, tgt_len)`` ids, 0-padded.

    Returns:
        A float32 scalar.
    """
    real = tf.reduce_any(tf.not_equal(target_out, PAD_ID), axis=-1)  # (batch[, steps])
    return tf.reduce_sum(tf.cast(real, tf.float32))


@keras.saving.register_keras_serializable(package="translate")
class SentencesPerBatch(keras.metrics.Mean):
    """Mean sentence pairs per optimizer update, over all replicas (a ``compile`` metric).

    Shown in the progress bar, ``metrics.jsonl`` and TensorBoard as
    ``sentences_per_batch``; with token batches (``training.batch_tokens``) it
    tells how many pairs a batch really held.

    Args:
        name: The name in the logs.
        dtype: The metric's dtype.
    """

    def __init__(self, name: str = "sentences_per_batch", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred=None, sample_weight=None):
        del y_pred, sample_weight  # Counted from the labels alone.
        sentences = distribute.sum_over_replicas(count_sentences(y_true))
        # Keras may run one empty step when a dataset of unknown length runs out: not a batch.
        return super().update_state(sentences, sample_weight=tf.cast(sentences > 0, tf.float32))
