"""What the training step adds to Keras': sentences per batch, and gradient accumulation.

:class:`SentencesPerBatch` is a metric of ``model.fit``: the mean number of
sentence pairs per optimizer update (over all replicas), shown in the progress
bar, ``metrics.jsonl`` and TensorBoard as ``sentences_per_batch``. With token
batches (``training.batch_tokens``) it tells how many pairs a batch really held.

:func:`use_gradient_accumulation` (``training.accumulate_steps = K > 1``)
replaces the model's training step by one that takes a group of ``K`` batches
(:func:`translate.data.pipeline.group_for_accumulation`) and makes one
optimizer update from them. Its loss is the label-smoothed token loss summed
over the ``K`` batches divided by their total target token count, so the update
equals the update of one batch holding the same pairs (up to float rounding),
gradient clipping included: the optimizer clips the summed gradient once.

Why not Keras' own ``gradient_accumulation_steps`` optimizer option: it
averages the per-batch gradients, each already divided by its own token count,
which weighs the tokens of a short batch more than those of a long one; its
``fit`` still makes one step per batch, so ``training.max_steps``, the
learning-rate warm-up and the logs would count batches, not updates, and a
checkpoint could fall in the middle of an accumulation; and under several
replicas :class:`translate.training.optimizers.ReplicatedAdam` clips each batch's
all-reduced gradient, not their sum. Here one ``fit`` step is one update:
every count stays an update count, a checkpoint never holds half an
accumulation, and the replicas all-reduce once per update.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from translate.data.tokenizer import PAD_ID
from translate.training import losses


def _sum_over_replicas(value: tf.Tensor) -> tf.Tensor:
    """``value`` summed over the replicas in a replica context of several, else itself."""
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return value
    return context.all_reduce(tf.distribute.ReduceOp.SUM, tf.stop_gradient(value))


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

    Args:
        name: The name in the logs.
        dtype: The metric's dtype.
    """

    def __init__(self, name: str = "sentences_per_batch", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred=None, sample_weight=None):
        del y_pred, sample_weight  # Counted from the labels alone.
        sentences = _sum_over_replicas(count_sentences(y_true))
        # Keras may run one empty step when a dataset of unknown length runs out: not a batch.
        return super().update_state(sentences, sample_weight=tf.cast(sentences > 0, tf.float32))


def _trim(ids: tf.Tensor, rows: tf.Tensor) -> tf.Tensor:
    """The first ``rows`` rows of ``(batch, len)`` ids, cut to their longest (at least 1)."""
    ids = ids[:rows]
    length = tf.reduce_max(tf.reduce_sum(tf.cast(tf.not_equal(ids, PAD_ID), tf.int32), axis=1))
    return ids[:, : tf.maximum(length, 1)]


def accumulated_train_step(model: keras.Model, data, label_smoothing: float = 0.0) -> dict:
    """One optimizer update from a group of batches (replaces ``model.train_step``).

    Each batch of the group is cut back to its own rows and columns (the group
    was padded to its largest) and runs forward and backward on its own; the
    gradients of ``sum of its token losses / total tokens of the group`` (over
    all replicas) are summed, and the optimizer applies the sum once. Runs in
    a ``tf.while_loop``, so the graph holds one copy of the model however many
    batches a group has.

    Args:
        model: The compiled model.
        data: ``({"source": (batch, steps, src_len), "target_in": (batch, steps,
            tgt_len)}, target_out (batch, steps, tgt_len))`` from
            :func:`translate.data.pipeline.group_for_accumulation`.
        label_smoothing: As in :func:`translate.training.losses.masked_cross_entropy`.

    Returns:
        The model's metric results (``loss``, ``sentences_per_batch``).
    """
    inputs, target_out = data
    source, target_in = inputs["source"], inputs["target_in"]
    real_tokens = tf.reduce_sum(tf.cast(tf.not_equal(target_out, PAD_ID), tf.float32))
    tokens = tf.maximum(_sum_over_replicas(real_tokens), 1.0)  # The whole update's tokens.
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
    model.optimizer.apply_gradients(zip(gradients, variables))
    # The update's loss and pairs over all replicas, so the log is the same however the
    # replicas' shares differ in size (Keras' own step weighs each replica by its share).
    model._loss_tracker.update_state(  # pylint: disable=protected-access
        _sum_over_replicas(loss), sample_weight=_sum_over_replicas(count_sentences(target_out))
    )
    # The compiled metric only reads labels: hand it the labels in place of predictions.
    return model.compute_metrics(inputs, target_out, target_out)


def build_before_fit(model: keras.Model) -> None:
    """Builds the compiled loss, metrics and optimizer from the shapes of one batch.

    Keras builds them from the first element ``fit`` reads, and under several
    replicas it first averages that element over the replicas, which fails
    when their shares differ in shape (a batch of an odd number of pairs, as
    token batches have) and would fail on a group of batches, which the model
    cannot take. Built here, ``fit`` skips that step. Call it in the scope of
    the strategy, after ``model.compile``.

    Args:
        model: The compiled model.
    """
    ids = tf.TensorSpec((None, None), tf.int32)  # (batch, len)
    model._symbolic_build(data_batch=({"source": ids, "target_in": ids}, ids))  # pylint: disable=protected-access
    object.__setattr__(model, "_maybe_symbolic_build", lambda iterator=None, data_batch=None: None)


def use_gradient_accumulation(model: keras.Model, label_smoothing: float = 0.0) -> None:
    """Makes ``model.fit`` train on groups of batches with :func:`accumulated_train_step`.

    Call it after ``model.compile`` and :func:`build_before_fit`, in the
    strategy's scope, and feed ``fit`` the groups of
    :func:`translate.data.pipeline.group_for_accumulation`. Only this model
    object changes (an instance attribute); its class and saved files do not.

    Args:
        model: The compiled model.
        label_smoothing: As in :func:`translate.training.losses.masked_cross_entropy`.
    """

    def train_step(data):
        return accumulated_train_step(model, data, label_smoothing)

    object.__setattr__(model, "train_step", train_step)
