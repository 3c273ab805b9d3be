"""The time loop of the recurrent layers, and the matrix products a loop step makes.

A recurrent layer runs its step over time with ``loop.scan(step, elems,
initializer, kernels)``, as ``tf.scan`` does, with one addition: the weight
matrices the step multiplies by are named in ``kernels``, and the step gets
them as :data:`Products`, ``products[name](x) == x @ kernels[name]``. The
default :class:`PlainLoop` multiplies with ``tf.matmul`` and leaves the
gradients to TensorFlow. A loop that computes the same products another way
(for example one whose backward pass is faster on a CPU) is swapped in with
:meth:`translate.model.seq2seq.Seq2Seq.set_loop`; the layers do not change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

import tensorflow as tf

#: One loop step's matrix products: ``products[name](x)`` is ``x @ kernels[name]``.
Products = Mapping[str, Callable[[tf.Tensor], tf.Tensor]]

#: ``step(carry, elems_t, products) -> carry``: one step of a loop.
Step = Callable[[Any, Any, Products], Any]


def matmul(x: tf.Tensor, kernel: tf.Tensor) -> tf.Tensor:
    """``x @ kernel`` over the last axis of ``x``.

    Args:
        x: ``(batch, rows)`` or ``(batch, ..., rows)``.
        kernel: ``(rows, cols)``, or one matrix per batch row ``(batch, rows, cols)``.

    Returns:
        ``(batch, cols)`` or ``(batch, ..., cols)``.
    """
    if kernel.shape.rank == 3:  # x[b] @ kernel[b] for each batch row b
        if x.shape.rank == 2:
            return tf.matmul(x[:, None, :], kernel)[:, 0, :]
        return tf.matmul(x, kernel)
    if x.shape.rank == 2:
        return tf.matmul(x, kernel)
    # One 2-D product (tensordot reshapes): a broadcasting tf.matmul of a 3-D tensor by a 2-D
    # kernel would take the kernel's gradient as a (batch, rows, cols) per-example sum.
    return tf.tensordot(x, kernel, axes=1)


def plain_products(kernels: Mapping[str, tf.Tensor]) -> Products:
    """The products by ``kernels`` with TensorFlow's own ops (:func:`matmul`).

    Args:
        kernels: Name to ``(rows, cols)`` matrix, or ``(batch, rows, cols)``
            matrices, one per batch row (attention's memory and keys).

    Returns:
        Name to ``x -> x @ kernel``, for an ``x`` of any rank.
    """

    def product(kernel: tf.Tensor) -> Callable[[tf.Tensor], tf.Tensor]:
        return lambda x: matmul(x, kernel)

    return {name: product(kernel) for name, kernel in kernels.items()}


class Loop(Protocol):
    """What a recurrent layer asks of its loop (:class:`PlainLoop` and any swap for it)."""

    def scan(
        self, step: Step, elems: Any, initializer: Any, kernels: Mapping[str, tf.Tensor]
    ) -> Any:
        """Runs ``step`` over the time-major ``elems`` (see :meth:`PlainLoop.scan`)."""


class PlainLoop:
    """``tf.scan`` with :func:`plain_products`: the loop as the equations write it."""

    def scan(
        self, step: Step, elems: Any, initializer: Any, kernels: Mapping[str, tf.Tensor]
    ) -> Any:
        """Runs ``step`` over time.

        Args:
            step: ``step(carry, elems_t, products) -> carry``.
            elems: A nest of time-major tensors ``(time, batch, ...)``.
            initializer: The carry before the first step, a nest of ``(batch, ...)`` tensors.
            kernels: Name to the matrices ``step`` multiplies by through ``products``,
                made outside the loop.

        Returns:
            The carries of all steps, stacked: each ``(time, batch, ...)``.
        """
        products = plain_products(kernels)
        return tf.scan(
            lambda carry, elems_t: step(carry, elems_t, products), elems, initializer=initializer
        )
