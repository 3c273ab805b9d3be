"""The LSTM decoder with attention and input feeding.

One step of the decoder (Luong et al., 2015, with Bahdanau or Luong scoring)::

    x_t      = embed(y_{t-1})
    h_t, c_t = LSTM(x_t, [a_{t-1}; h_{t-1}], c_{t-1})   # a_{t-1}: input feeding
    e_t      = score(h_t, keys)                        # keys = K(memory), once per sentence
    w_t      = softmax(e_t) over real source tokens
    ctx_t    = w_t @ memory
    a_t      = tanh([h_t; ctx_t] W_a)                  # the attentional vector
    p(y_t)   = softmax(a_t W_o + b_o)

With stacked layers, layer ``l > 0`` reads the layer below in the same step,
``h^l_t, c^l_t = LSTM(h^{l-1}_t, h^l_{t-1}, c^l_{t-1})``, and attention reads
the top layer.

:meth:`Decoder.step` is that step. :meth:`Decoder.call` (teacher forcing)
embeds the whole target and projects it into the first layer's input term for
all steps at once, scans :meth:`Decoder.step` over time, and applies the output
layer to all steps at once. :meth:`Decoder.decode_step` runs the step once for
search. Without input feeding no step depends on the previous step's
attention, so teacher forcing takes a faster path with the same functions:
each LSTM layer runs over the whole sequence, then attention is computed for
all target positions at once.
"""

from __future__ import annotations

import contextlib

import keras
import tensorflow as tf

from translate.model.attention import context, make_attention, masked_softmax
from translate.model.loop import PlainLoop, Products, plain_products
from translate.model.lstm import LSTM, cell_state
from translate.training.keras_internals import autocast_scope

State = dict[str, tf.Tensor]


@keras.saving.register_keras_serializable(package="translate")
class Decoder(keras.layers.Layer):
    """An attentional LSTM decoder.

    Args:
        vocab_size: Target vocabulary size.
        embedding_dim: Target embedding size.
        units: LSTM units per layer (also the attentional vector's size).
        memory_dim: Width of the encoder memory.
        num_layers: Stacked LSTM layers.
        attention: ``bahdanau`` or ``luong``.
        input_feeding: Feed the previous attentional vector into the first LSTM.
        dropout: Dropout between layers and before the output layer.
        embedding_dropout: Dropout on target embeddings.
        tie_embeddings: Use the target embedding matrix as the output weights.
        embedding: An embedding layer to read the target with instead of a new
            one: the encoder's when one joint vocabulary embeds both languages.

    Attributes:
        loop: The loop teacher forcing runs :meth:`step` in (a
            :class:`~translate.model.loop.PlainLoop` unless set otherwise).
    """

    #: State entries a step reads but never changes (same for every hypothesis of a sentence).
    CONSTANT_KEYS = ("memory", "keys", "mask")

    def __init__(
        self,
        vocab_size: int,
        embedding_dim: int,
        units: int,
        memory_dim: int,
        num_layers: int = 1,
        attention: str = "bahdanau",
        input_feeding: bool = True,
        dropout: float = 0.0,
        embedding_dropout: float = 0.0,
        tie_embeddings: bool = False,
        embedding: keras.layers.Embedding | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.units = units
        self.memory_dim = memory_dim
        self.num_layers = num_layers
        self.attention_type = attention
        self.input_feeding = input_feeding
        self.dropout = dropout
        self.embedding_dropout = embedding_dropout
        self.tie_embeddings = tie_embeddings
        self.lstm_layers = [
            LSTM(units, feed_dim=units if layer == 0 and input_feeding else 0, name=f"lstm_{layer}")
            for layer in range(num_layers)
        ]
        self.embedding = embedding or keras.layers.Embedding(
            vocab_size, embedding_dim, name="embedding"
        )
        self.bridge = keras.layers.Dense(num_layers * units, activation="tanh", name="bridge")
        self.attention = make_attention(attention, units)
        self.attentional = keras.layers.Dense(
            units, activation="tanh", use_bias=False, name="attentional"
        )
        if tie_embeddings:
            self.output_projection = keras.layers.Dense(
                embedding_dim, use_bias=False, name="output_projection"
            )
        else:
            self.output_layer = keras.layers.Dense(vocab_size, name="output")
        self.embedding_dropout_layer = keras.layers.Dropout(embedding_dropout)
        self.dropout_layer = keras.layers.Dropout(dropout)
        self.loop = PlainLoop()

    def build(self, target_in_shape, state_shape=None):
        if not self.embedding.built:  # a shared embedding is built by the encoder
            self.embedding.build(target_in_shape)
        for layer, lstm in enumerate(self.lstm_layers):
            lstm.build((None, self.embedding_dim if layer == 0 else self.units))
        self.bridge.build((None, self.memory_dim))
        self.attention.build((None, self.units), memory_shape=(None, None, self.memory_dim))
        self.attentional.build((None, self.units + self.memory_dim))
        if self.tie_embeddings:
            self.output_projection.build((None, self.units))
            self.output_bias = self.add_weight(
                name="output_bias", shape=(self.vocab_size,), initializer="zeros"
            )
        else:
            self.output_layer.build((None, self.units))

    def set_output_bias(self, values) -> None:
        """Sets the output layer's bias, ``(vocab,)`` (e.g. log prior frequencies)."""
        bias = self.output_bias if self.tie_embeddings else self.output_layer.bias
        bias.assign(tf.convert_to_tensor(values, dtype=bias.dtype))

    def initial_state(self, memory: tf.Tensor, mask: tf.Tensor, final: tf.Tensor) -> State:
        """The decoder state before the first target token.

        Args:
            memory: ``(batch, src_len, memory_dim)`` encoder outputs.
            mask: ``(batch, src_len)`` bool, True on real source tokens.
            final: ``(batch, memory_dim)`` encoder summary, mapped through the bridge.

        Returns:
            A flat dict of tensors, each with leading dimension ``batch``: the LSTM
            states ``h_i``/``c_i`` (``c_i`` in float32), the fed attentional vector ``feed`` and the
            attention inputs ``memory``, ``keys`` and ``mask`` (:attr:`CONSTANT_KEYS`,
            which search keeps out of the state it reorders).
        """
        if not self.built:
            self.build((None, None))
        bridged = tf.split(self.bridge(final), self.num_layers, axis=-1)  # each (batch, units)
        state = {"memory": memory, "keys": self.attention.keys(memory), "mask": mask}
        for layer, h in enumerate(bridged):
            state[f"h_{layer}"] = h
            state[f"c_{layer}"] = cell_state(h)
        state["feed"] = tf.zeros_like(bridged[0])
        return state

    def split_state(self, state: State) -> tuple[State, State]:
        """``(recurrent, constants)``: the entries a step changes and :attr:`CONSTANT_KEYS`."""
        recurrent = {k: v for k, v in state.items() if k not in self.CONSTANT_KEYS}
        constants = {k: state[k] for k in self.CONSTANT_KEYS}
        return recurrent, constants

    def kernels(self, state: State) -> dict[str, tf.Tensor]:
        """The matrices :meth:`step` multiplies by, named as in its ``products``.

        ``recurrent_<l>``: layer ``l``'s recurrent matrix (applied to ``[a; h]``
        or ``h``); ``kernel_<l>`` for ``l > 0``: its input matrix, applied to
        the layer below; ``attentional``: ``W_a``; and the attention's
        (:meth:`~translate.model.attention.BahdanauAttention.kernels`), which
        include this state's memory.
        """
        kernels = {}
        for layer, lstm in enumerate(self.lstm_layers):
            kernels[f"recurrent_{layer}"] = lstm.recurrent_kernel
            if layer > 0:
                kernels[f"kernel_{layer}"] = lstm.kernel
        kernels["attentional"] = self.attentional.kernel
        kernels.update(self.attention.kernels(state["keys"], state["memory"]))
        return kernels

    def step(
        self,
        projected_t: tf.Tensor,
        state: State,
        products: Products,
        layer_masks: list[tf.Tensor] | None = None,
    ) -> tuple[tf.Tensor, State, tf.Tensor]:
        """One decoder step (the equations of the module docstring).

        Args:
            projected_t: ``(batch, 4 * units)`` the first layer's input term
                ``x_t W + b`` of the embedding :meth:`embed`.
            state: The decoder state (see :meth:`initial_state`).
            products: The products by :meth:`kernels`.
            layer_masks: Dropout masks ``(batch, units)`` between layers, or None.

        Returns:
            ``attentional (batch, units)``, the new state and the attention
            weights ``(batch, src_len)``.
        """
        new_state = dict(state)
        x = None
        for layer, lstm in enumerate(self.lstm_layers):
            if layer > 0:
                if layer_masks is not None:
                    x = x * layer_masks[layer - 1]
                projected_t = products[f"kernel_{layer}"](x) + lstm.bias  # x W + b
            h, c = lstm.step(
                projected_t,
                state[f"h_{layer}"],
                state[f"c_{layer}"],
                {"recurrent": products[f"recurrent_{layer}"]},
                feed=state["feed"] if lstm.feed_dim else None,
            )
            new_state[f"h_{layer}"], new_state[f"c_{layer}"] = h, c
            x = h
        attentional, weights = self._attend(x, state, products)
        new_state["feed"] = attentional
        return attentional, new_state, weights

    def _attend(
        self, query: tf.Tensor, state: State, products: Products
    ) -> tuple[tf.Tensor, tf.Tensor]:
        """Attention and the attentional vector ``tanh([h; ctx] W_a)`` for one or all steps.

        Args:
            query: The top layer's ``h``, ``(batch, units)`` or ``(batch, tgt_len, units)``.
            state: Holds ``keys`` and ``mask``.
            products: The products by :meth:`kernels`.

        Returns:
            ``attentional`` shaped like ``query`` and ``weights (batch, [tgt_len,] src_len)``.
        """
        scores = self.attention.score(query, state["keys"], products)
        weights = masked_softmax(scores, state["mask"])
        ctx = context(weights, products)  # (batch, [tgt_len,] memory_dim)
        attentional = tf.tanh(products["attentional"](tf.concat([query, ctx], axis=-1)))
        return attentional, weights

    def embed(self, tokens: tf.Tensor, training: bool = False) -> tf.Tensor:
        """Target embeddings, with dropout in training: ``(...,) -> (..., embedding_dim)``."""
        return self.embedding_dropout_layer(self.embedding(tokens), training=training)

    def _logits(self, attentional: tf.Tensor, training: bool) -> tf.Tensor:
        """The output layer: ``(..., units) -> (..., vocab)`` float32 logits.

        Float32 under every precision policy, so log-softmax, the loss and the
        search scores are taken in float32.
        """
        attentional = self.dropout_layer(attentional, training=training)
        if self.tie_embeddings:
            projected = self.output_projection(attentional)
            embeddings_t = tf.transpose(self.embedding.embeddings)  # (embedding_dim, vocab)
            logits = tf.tensordot(projected, embeddings_t, axes=1) + self.output_bias
        else:
            logits = self.output_layer(attentional)
        return tf.cast(logits, tf.float32)

    def _layer_masks(self, state: State, training: bool) -> list[tf.Tensor] | None:
        """Dropout masks ``(batch, units)`` between stacked layers, the same at every step."""
        if not (training and self.num_layers > 1 and self.dropout > 0):
            return None
        ones = tf.ones_like(state["h_0"])
        return [self.dropout_layer(ones, training=True) for _ in range(self.num_layers - 1)]

    def call(self, target_in: tf.Tensor, state: State, training: bool = False):
        """Teacher forcing over a whole target sequence.

        Args:
            target_in: ``(batch, tgt_len)`` int32, the target shifted right (starts with ``<s>``).
            state: From :meth:`initial_state`.
            training: Apply dropout.

        Returns:
            ``logits (batch, tgt_len, vocab)`` and attention ``(batch, tgt_len, src_len)``.
        """
        embedded = self.embed(target_in, training)  # (batch, tgt_len, embedding_dim)
        layer_masks = self._layer_masks(state, training)
        if not self.input_feeding:
            return self._teacher_forcing_without_feeding(embedded, state, layer_masks, training)
        projected = self.lstm_layers[0].project(embedded)  # (batch, tgt_len, 4 * units)
        recurrent, constants = self.split_state(state)
        # Keras cast the state to the compute dtype on the way in; the cells carry float32.
        recurrent = {k: cell_state(v) if k.startswith("c_") else v for k, v in recurrent.items()}
        batch, src_len = tf.shape(state["memory"])[0], tf.shape(state["memory"])[1]

        def step(carry, projected_t, products):
            attentional, new_state, weights = self.step(
                projected_t, {**carry[0], **constants}, products, layer_masks
            )
            return {k: new_state[k] for k in recurrent}, attentional, weights

        initializer = (
            recurrent,
            tf.zeros((batch, self.units), dtype=projected.dtype),
            tf.zeros((batch, src_len), dtype=projected.dtype),
        )
        _, attentional, weights = self.loop.scan(
            step, tf.transpose(projected, [1, 0, 2]), initializer, self.kernels(state)
        )
        attentional = tf.transpose(attentional, [1, 0, 2])  # (batch, tgt_len, units)
        weights = tf.transpose(weights, [1, 0, 2])  # (batch, tgt_len, src_len)
        return self._logits(attentional, training), weights

    def _teacher_forcing_without_feeding(self, embedded, state, layer_masks, training):
        """Teacher forcing when no attentional vector is fed back.

        No step then depends on the previous step's attention, so each LSTM
        layer runs over the whole sequence (:meth:`LSTM.call`), and attention
        and the attentional vector are computed for all target positions at
        once, with the same functions :meth:`step` uses. Much faster than the
        step-by-step loop, with the same result.

        Args:
            embedded: ``(batch, tgt_len, embedding_dim)`` from :meth:`embed`.
            state: From :meth:`initial_state`.
            layer_masks: As in :meth:`step`.
            training: Apply dropout.

        Returns:
            As :meth:`call`.
        """
        x = embedded
        for layer, lstm in enumerate(self.lstm_layers):
            if layer > 0 and layer_masks is not None:
                x = x * layer_masks[layer - 1][:, None, :]
            initial = (state[f"h_{layer}"], state[f"c_{layer}"])
            x, _, _ = lstm(x, initial_state=initial)  # (batch, tgt_len, units)
        attentional, weights = self._attend(x, state, plain_products(self.kernels(state)))
        return self._logits(attentional, training), weights

    def decode_step(self, tokens: tf.Tensor, state: State):
        """One decoding step for search.

        Args:
            tokens: ``(batch,)`` int32 previous tokens.
            state: The decoder state.

        Returns:
            ``logits (batch, vocab)`` float32, the new state, attention ``(batch, src_len)``.
        """
        with self._autocast():  # Not called through Layer.__call__, which would enter it.
            projected = self.lstm_layers[0].project(self.embed(tokens))  # (batch, 4 * units)
            products = plain_products(self.kernels(state))
            attentional, state, weights = self.step(projected, state, products)
            return self._logits(attentional, training=False), state, weights

    def _autocast(self) -> contextlib.AbstractContextManager:
        """Keras' scope that reads float32 weights in the compute dtype of a mixed policy."""
        if self.compute_dtype == self.variable_dtype:
            return contextlib.nullcontext()
        return autocast_scope(self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "vocab_size": self.vocab_size,
                "embedding_dim": self.embedding_dim,
                "units": self.units,
                "memory_dim": self.memory_dim,
                "num_layers": self.num_layers,
                "attention": self.attention_type,
                "input_feeding": self.input_feeding,
                "dropout": self.dropout,
                "embedding_dropout": self.embedding_dropout,
                "tie_embeddings": self.tie_embeddings,
            }
        )
        return config
