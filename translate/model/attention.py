"""Attention over the encoder memory: Bahdanau (additive) and Luong (multiplicative).

Attention in three parts, the same for every path through the decoder::

    keys    = K(memory)                   once per sentence       (layer.keys)
    e_j     = score(q, keys_j)            per query               (layer.score)
    w       = softmax_j(e) over real tokens                       (masked_softmax)
    ctx     = sum_j w_j memory_j = w @ memory                     (context)

Each function takes one query per sentence, ``(batch, query_dim)`` (a decoder
step), or all of a sentence's queries at once, ``(batch, tgt_len,
query_dim)`` (teacher forcing without input feeding). The matrices a query is
multiplied by are named in :meth:`BahdanauAttention.kernels` and used through
:data:`~translate.model.loop.Products`, so that in the decoder's loop they are
the loop's products: the query projection, and the memory and Luong's keys as
one matrix per sentence.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from translate.model.loop import Products

_NEG_INF = -1e9


def masked_softmax(scores: tf.Tensor, mask: tf.Tensor) -> tf.Tensor:
    """Softmax over source positions with padding given zero weight.

    Args:
        scores: ``(batch, src_len)`` or ``(batch, tgt_len, src_len)`` unnormalized scores.
        mask: ``(batch, src_len)`` bool, True on real tokens.

    Returns:
        Weights shaped like ``scores``, in their dtype, summing to 1 over real
        tokens. The softmax runs in float32 whatever the dtype of ``scores``
        (``_NEG_INF`` overflows float16, and half-precision sums of many small
        weights lose them).
    """
    mask = _per_query(mask, scores.shape.rank)  # (batch, [1,] src_len)
    masked = tf.where(mask, tf.cast(scores, tf.float32), _NEG_INF)
    return tf.cast(tf.nn.softmax(masked, axis=-1), scores.dtype)


def context(weights: tf.Tensor, products: Products) -> tf.Tensor:
    """The weighted sum of the memory, ``weights @ memory``.

    Args:
        weights: ``(batch, [tgt_len,] src_len)`` from :func:`masked_softmax`.
        products: With ``"memory"``: the memory ``(batch, src_len, memory_dim)``,
            one matrix per sentence (see :meth:`BahdanauAttention.kernels`).

    Returns:
        ``(batch, [tgt_len,] memory_dim)``.
    """
    return products["memory"](weights)


def _per_query(per_sentence: tf.Tensor, rank: int) -> tf.Tensor:
    """Inserts an axis after the batch axis until ``per_sentence`` has ``rank`` axes.

    A sentence's tensor ``(batch, src_len, ...)`` then broadcasts over that
    sentence's target positions ``(batch, tgt_len, src_len, ...)``.
    """
    for _ in range(rank - per_sentence.shape.rank):
        per_sentence = per_sentence[:, None]
    return per_sentence


@keras.saving.register_keras_serializable(package="translate")
class BahdanauAttention(keras.layers.Layer):
    """Additive attention: ``score(q, m_j) = v . tanh(q W_q + b_q + m_j W_m)``.

    Args:
        units: Width of the hidden layer of the scoring network.
    """

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.memory_projection = keras.layers.Dense(units, use_bias=False, name="memory_projection")
        self.query_projection = keras.layers.Dense(units, use_bias=True, name="query_projection")
        self.energy = keras.layers.Dense(1, use_bias=False, name="energy")

    def build(self, query_shape, memory_shape=None):
        self.query_projection.build(query_shape)
        if memory_shape is not None:
            self.memory_projection.build(memory_shape)
        self.energy.build((None, None, self.units))

    def keys(self, memory: tf.Tensor) -> tf.Tensor:
        """``m_j W_m`` for every source position, once per sentence.

        Args:
            memory: ``(batch, src_len, memory_dim)``.

        Returns:
            ``(batch, src_len, units)``.
        """
        return self.memory_projection(memory)

    def kernels(self, keys: tf.Tensor, memory: tf.Tensor) -> dict[str, tf.Tensor]:
        """The matrices :meth:`score` and :func:`context` multiply by.

        Returns:
            ``query``: ``W_q (query_dim, units)``; ``memory``: the memory
            ``(batch, src_len, memory_dim)``, one matrix per sentence.
        """
        return {"query": self.query_projection.kernel, "memory": memory}

    def score(self, query: tf.Tensor, keys: tf.Tensor, products: Products) -> tf.Tensor:
        """``e_j = v . tanh(q W_q + b_q + keys_j)`` for every source position.

        Args:
            query: ``(batch, query_dim)`` or ``(batch, tgt_len, query_dim)``.
            keys: ``(batch, src_len, units)`` from :meth:`keys`.
            products: The products by :meth:`kernels`.

        Returns:
            ``(batch, src_len)`` or ``(batch, tgt_len, src_len)``.
        """
        projected = products["query"](query) + self.query_projection.bias  # (batch, [tgt,] units)
        keys = _per_query(keys, query.shape.rank + 1)  # (batch, [1,] src_len, units)
        hidden = tf.tanh(keys + projected[..., None, :])  # (batch, [tgt_len,] src_len, units)
        return tf.squeeze(self.energy(hidden), -1)

    def get_config(self):
        config = super().get_config()
        config["units"] = self.units
        return config


@keras.saving.register_keras_serializable(package="translate")
class LuongAttention(keras.layers.Layer):
    """Multiplicative ("general") attention: ``score(q, m_j) = q . (m_j W_m)``.

    Args:
        units: Width of the query (the decoder state).
    """

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.memory_projection = keras.layers.Dense(units, use_bias=False, name="memory_projection")

    def build(self, query_shape, memory_shape=None):
        if memory_shape is not None:
            self.memory_projection.build(memory_shape)

    def keys(self, memory: tf.Tensor) -> tf.Tensor:
        """The keys ``m_j W_m`` as the columns of one matrix per sentence, once per sentence.

        Args:
            memory: ``(batch, src_len, memory_dim)``.

        Returns:
            ``(batch, units, src_len)``: scores are then ``q @ keys``.
        """
        return tf.linalg.matrix_transpose(self.memory_projection(memory))

    def kernels(self, keys: tf.Tensor, memory: tf.Tensor) -> dict[str, tf.Tensor]:
        """The matrices :meth:`score` and :func:`context` multiply by, one per sentence.

        Returns:
            ``keys``: ``(batch, units, src_len)``; ``memory``: ``(batch, src_len, memory_dim)``.
        """
        return {"keys": keys, "memory": memory}

    def score(self, query: tf.Tensor, keys: tf.Tensor, products: Products) -> tf.Tensor:
        """``e_j = q . keys_j``: the product ``q @ keys``, through ``products["keys"]``.

        Args:
            query: ``(batch, units)`` or ``(batch, tgt_len, units)``.
            keys: ``(batch, units, src_len)`` from :meth:`keys`, the kernel ``products["keys"]``.
            products: The products by :meth:`kernels`.

        Returns:
            ``(batch, src_len)`` or ``(batch, tgt_len, src_len)``.
        """
        return products["keys"](query)

    def get_config(self):
        config = super().get_config()
        config["units"] = self.units
        return config


def make_attention(kind: str, units: int) -> keras.layers.Layer:
    """Builds ``bahdanau`` or ``luong`` attention."""
    layers = {"bahdanau": BahdanauAttention, "luong": LuongAttention}
    return layers[kind](units, name="attention")
