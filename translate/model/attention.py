"""Attention over the encoder memory: Bahdanau (additive) and Luong (multiplicative).

Both split their work in two: :meth:`precompute_keys` projects the memory once per
sentence, and :meth:`call` scores one decoder query per step against those keys.

In the decoder's differentiated training loop, the matrices a step multiplies by
(:meth:`loop_kernels`: the query projection, and the memory and keys as one
matrix per sentence) are passed to :meth:`call` as products of
:class:`~translate.model.step_kernels.LoopKernels`, which take their gradients
after the loop; elsewhere :meth:`call` multiplies by them directly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import keras
import tensorflow as tf

_NEG_INF = -1e9

#: Name to ``x @ matrix`` for one step, as :class:`~translate.model.step_kernels.BoundKernels` gives.
Products = Mapping[str, Callable[[tf.Tensor], tf.Tensor]]


def masked_softmax(scores: tf.Tensor, mask: tf.Tensor) -> tf.Tensor:
    """Softmax over source positions with padding given zero weight.

    Args:
        scores: ``(batch, src_len)`` unnormalized scores.
        mask: ``(batch, src_len)`` bool, True on real tokens.

    Returns:
        ``(batch, src_len)`` weights summing to 1 over real tokens.
    """
    scores = tf.where(mask, scores, tf.cast(_NEG_INF, scores.dtype))
    return tf.nn.softmax(scores, axis=-1)


def _context(weights: tf.Tensor, memory: tf.Tensor, products: Products | None) -> tf.Tensor:
    """Weights ``(batch, src_len)`` over ``memory (batch, src_len, memory_dim)`` -> ``(batch, memory_dim)``."""
    if products is not None:
        return products["context"](weights)
    return tf.einsum("bs,bsd->bd", weights, memory)


@keras.saving.register_keras_serializable(package="translate")
class BahdanauAttention(keras.layers.Layer):
    """Additive attention: ``score(q, m_j) = v . tanh(W_q q + W_m m_j)``.

    Args:
        units: Width of the hidden layer of the scoring network.
    """

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.memory_projection = keras.layers.Dense(units, use_bias=False, name="memory_projection")
        self.query_projection = keras.layers.Dense(units, use_bias=True, name="query_projection")
        self.energy = keras.layers.Dense(1, use_bias=False, name="energy")

    def build(self, query_shape, keys_shape=None, memory_shape=None, mask_shape=None):
        self.query_projection.build(query_shape)
        if memory_shape is not None:
            self.memory_projection.build(memory_shape)
        self.energy.build((None, None, self.units))

    def precompute_keys(self, memory: tf.Tensor) -> tf.Tensor:
        """``(batch, src_len, memory_dim)`` -> keys ``(batch, src_len, units)``."""
        return self.memory_projection(memory)

    def loop_kernels(self, keys: tf.Tensor, memory: tf.Tensor) -> dict[str, tf.Tensor]:
        """The matrices :meth:`call` multiplies by, for a loop's :class:`~translate.model.step_kernels.LoopKernels`.

        ``query``: the query projection ``(query_dim, units)``; ``context``: the
        memory ``(batch, src_len, memory_dim)``, one matrix per sentence.
        """
        return {"query": self.query_projection.kernel, "context": memory}

    def call(self, query, keys, memory, mask, products: Products | None = None):
        """Attends once.

        Args:
            query: ``(batch, query_dim)`` decoder state.
            keys: ``(batch, src_len, units)`` from :meth:`precompute_keys`.
            memory: ``(batch, src_len, memory_dim)`` encoder outputs.
            mask: ``(batch, src_len)`` bool.
            products: In a differentiated loop, one step's products by the
                matrices of :meth:`loop_kernels`; None to multiply directly.

        Returns:
            ``context (batch, memory_dim)`` and ``weights (batch, src_len)``.
        """
        if products is None:
            projected = self.query_projection(query)  # (batch, units)
        else:
            projected = products["query"](query) + self.query_projection.bias
        hidden = tf.tanh(keys + projected[:, None, :])  # (batch, src_len, units)
        scores = tf.squeeze(self.energy(hidden), -1)  # (batch, src_len)
        weights = masked_softmax(scores, mask)
        return _context(weights, memory, products), weights

    def attend_all(self, queries, keys, memory, mask):
        """Attends for every query at once.

        Args:
            queries: ``(batch, tgt_len, query_dim)``.
            keys, memory, mask: As in :meth:`call`.

        Returns:
            ``context (batch, tgt_len, memory_dim)`` and ``weights (batch, tgt_len, src_len)``.
        """
        projected = self.query_projection(queries)  # (batch, tgt_len, units)
        hidden = tf.tanh(keys[:, None, :, :] + projected[:, :, None, :])  # (batch, tgt, src, units)
        scores = tf.squeeze(self.energy(hidden), -1)  # (batch, tgt_len, src_len)
        weights = masked_softmax(scores, mask[:, None, :])
        return tf.matmul(weights, memory), weights

    def get_config(self):
        config = super().get_config()
        config["units"] = self.units
        return config


@keras.saving.register_keras_serializable(package="translate")
class LuongAttention(keras.layers.Layer):
    """Multiplicative ("general") attention: ``score(q, m_j) = q . W m_j``.

    Args:
        units: Width of the query (the decoder state).
    """

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.memory_projection = keras.layers.Dense(units, use_bias=False, name="memory_projection")

    def build(self, query_shape, keys_shape=None, memory_shape=None, mask_shape=None):
        if memory_shape is not None:
            self.memory_projection.build(memory_shape)

    def precompute_keys(self, memory: tf.Tensor) -> tf.Tensor:
        """``(batch, src_len, memory_dim)`` -> keys ``(batch, src_len, units)``."""
        return self.memory_projection(memory)

    def loop_kernels(self, keys: tf.Tensor, memory: tf.Tensor) -> dict[str, tf.Tensor]:
        """The matrices :meth:`call` multiplies by, one per sentence.

        ``scores``: the keys transposed, ``(batch, units, src_len)``; ``context``:
        the memory ``(batch, src_len, memory_dim)``.
        """
        return {"scores": tf.linalg.matrix_transpose(keys), "context": memory}

    def call(self, query, keys, memory, mask, products: Products | None = None):
        """Attends once; same arguments and results as :meth:`BahdanauAttention.call`."""
        if products is None:
            scores = tf.einsum("bu,bsu->bs", query, keys)  # (batch, src_len)
        else:
            scores = products["scores"](query)
        weights = masked_softmax(scores, mask)
        return _context(weights, memory, products), weights

    def attend_all(self, queries, keys, memory, mask):
        """Attends for every query at once (see :meth:`BahdanauAttention.attend_all`)."""
        scores = tf.matmul(queries, keys, transpose_b=True)  # (batch, tgt_len, src_len)
        weights = masked_softmax(scores, mask[:, None, :])
        return tf.matmul(weights, memory), weights

    def get_config(self):
        config = super().get_config()
        config["units"] = self.units
        return config


def make_attention(kind: str, units: int) -> keras.layers.Layer:
    """Builds ``bahdanau`` or ``luong`` attention."""
    layers = {"bahdanau": BahdanauAttention, "luong": LuongAttention}
    return layers[kind](units, name="attention")
