"""The private Keras members this project uses, each with the reason Keras' public API falls short.

Checked against Keras 3.15.1 with the TensorFlow backend (``requirements.txt``).
Everything else in the package uses public Keras; after a Keras upgrade, check
these first (``tests/training`` and ``tests/model`` cover each of them).

=====================================  =================================================
private member                         why
=====================================  =================================================
``keras.src.backend.AutocastScope``    :func:`autocast_scope`: the decoder's search step
                                       reads its float32 weights in a mixed policy's
                                       compute dtype outside ``Layer.__call__``.
``Layer._flatten_layers``              :func:`all_layers`: ``Model.layers`` lists only
                                       the top level; a dtype policy is set on every
                                       nested layer.
``Trainer._symbolic_build``            :func:`build_before_fit`: builds the compiled
                                       loss, metrics and optimizer from a spec.
``TensorFlowTrainer._maybe_symbolic_   :class:`BuiltBeforeFit`: ``fit``'s own build is
build`` (overridden)                   skipped once everything is built.
``Trainer._compile_metrics``,          read by :class:`BuiltBeforeFit` to tell whether
``Trainer._compile_loss``              they are built, as Keras' own build does.
``BaseOptimizer._clip_gradients``,     :class:`ClipAfterAllReduce`: under several
``TFOptimizer._all_reduce_sum_         replicas the summed gradient is clipped, not each
gradients`` (overridden)               replica's share.
=====================================  =================================================
"""

from __future__ import annotations

import contextlib

import keras
import tensorflow as tf
from keras.src.backend import AutocastScope


def autocast_scope(dtype: str) -> contextlib.AbstractContextManager:
    """The scope in which Keras reads float32 variables as ``dtype`` (``AutocastScope``).

    ``Layer.__call__`` enters it for a layer under a mixed dtype policy; a method
    that uses a layer's weights without going through ``__call__`` (the
    decoder's search step) enters it itself.
    """
    return AutocastScope(dtype)


def all_layers(model: keras.Layer) -> list[keras.Layer]:
    """``model`` and every layer nested in it, at any depth (``Layer._flatten_layers``)."""
    return list(model._flatten_layers(include_self=True, recursive=True))  # noqa: SLF001


def build_before_fit(model: keras.Model, data_batch) -> None:
    """Builds the compiled loss, metrics and optimizer from the spec of one batch.

    ``fit`` builds them from its first batch, averaged over the replicas
    (``_maybe_symbolic_build``). That fails when the replicas' shares differ in
    shape (token batches: an odd number of pairs), on a group of batches
    (``training.accumulate_steps``), which the model cannot take, and under
    ``MultiWorkerMirroredStrategy`` on dict inputs (keras-team/keras#20329).
    Built here, :class:`BuiltBeforeFit` makes ``fit`` skip its own build.

    Args:
        model: The compiled model, in the scope of its strategy.
        data_batch: ``(inputs, targets)`` of ``tf.TensorSpec``, shaped as the model takes them.
    """
    model._symbolic_build(data_batch=data_batch)  # noqa: SLF001


class BuiltBeforeFit:
    """Model mixin: ``fit`` skips its own build when loss, metrics and optimizer are built.

    Keras' build only creates what is unbuilt, but first averages one batch
    over the replicas, which fails in the cases of :func:`build_before_fit`.
    When nothing is left to build, skipping it changes nothing else.
    """

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        built = (
            self.optimizer is not None
            and self.optimizer.built
            and (self._compile_metrics is None or self._compile_metrics.built)
            and (self._compile_loss is None or self._compile_loss.built)
        )
        if not built:
            super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)


def _replicated() -> bool:
    context = tf.distribute.get_replica_context()
    return context is not None and context.num_replicas_in_sync > 1


class ClipAfterAllReduce:
    """Optimizer mixin: under several replicas, clip the summed gradient, not each replica's part.

    Keras clips ``global_clipnorm`` in ``apply`` before its TensorFlow backend
    sums the replicas' gradients; this runs the same clipping after the sum.
    Without replicas the optimizer is unchanged.
    """

    def _clip_gradients(self, grads):
        if _replicated():
            return grads  # Clipped after the all-reduce instead.
        return super()._clip_gradients(grads)

    def _all_reduce_sum_gradients(self, grads_and_vars):
        reduced = super()._all_reduce_sum_gradients(grads_and_vars)
        if not _replicated():
            return reduced
        clipped = super()._clip_gradients([grad for grad, _ in reduced])
        return [(grad, var) for grad, (_, var) in zip(clipped, reduced)]
