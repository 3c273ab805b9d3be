"""The LSTM decoder with attention and input feeding.

One step of the decoder (Luong et al., 2015, with Bahdanau or Luong scoring)::

    x_t      = embed(y_{t-1})
    h_t, c_t = LSTM([x_t; a_{t-1}], h_{t-1}, c_{t-1})   # a_{t-1}: input feeding
    w_t      = attention(h_t, memory)                   # (src_len,) weights
    ctx_t    = sum_j w_tj memory_j
    a_t      = tanh(W_a [h_t; ctx_t])                   # the attentional vector
    p(y_t)   = softmax(W_o a_t + b_o)

:meth:`Decoder.call` runs that step over a whole target sequence (teacher
forcing) in one ``tf.scan``; :meth:`Decoder.step` runs it once for search.
Both go through :meth:`Decoder._recurrence`, so training and decoding cannot
drift apart. The embedding and ``[x_t]`` part of the first LSTM's input are
projected for all time steps at once, outside the loop, and the output layer
is applied to all steps at once after it.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from translate.model.attention import make_attention
from translate.model.lstm import forget_bias_initializer, lstm_step, project, run_lstm
from translate.model.step_kernels import LoopKernels, step_matmul

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
        self.embedding = keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")
        self.bridge = keras.layers.Dense(num_layers * units, activation="tanh", name="bridge")
        self.attention = make_attention(attention, units)
        self.attentional = keras.layers.Dense(units, activation="tanh", use_bias=False, name="attentional")
        if tie_embeddings:
            self.output_projection = keras.layers.Dense(embedding_dim, use_bias=False, name="output_projection")
        else:
            self.output_layer = keras.layers.Dense(vocab_size, name="output")
        self.embedding_dropout_layer = keras.layers.Dropout(embedding_dropout)
        self.dropout_layer = keras.layers.Dropout(dropout)

    def build(self, target_in_shape, state_shape=None):
        self.embedding.build(target_in_shape)
        self.bridge.build((None, self.memory_dim))
        self.attention.build((None, self.units), memory_shape=(None, None, self.memory_dim))
        self.attentional.build((None, self.units + self.memory_dim))
        self.input_kernels, self.recurrent_kernels, self.biases = [], [], []
        for layer in range(self.num_layers):
            input_dim = self.embedding_dim if layer == 0 else self.units
            recurrent_dim = self.units * (2 if layer == 0 and self.input_feeding else 1)
            self.input_kernels.append(
                self.add_weight(name=f"input_kernel_{layer}", shape=(input_dim, 4 * self.units),
                                initializer="glorot_uniform")
            )
            self.recurrent_kernels.append(
                self.add_weight(name=f"recurrent_kernel_{layer}", shape=(recurrent_dim, 4 * self.units),
                                initializer="orthogonal")
            )
            self.biases.append(
                self.add_weight(name=f"bias_{layer}", shape=(4 * self.units,),
                                initializer=forget_bias_initializer(self.units))
            )
        if self.tie_embeddings:
            self.output_projection.build((None, self.units))
            self.output_bias = self.add_weight(name="output_bias", shape=(self.vocab_size,), initializer="zeros")
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
            states ``h_i``/``c_i``, the fed attentional vector ``feed`` and the
            attention inputs ``memory``, ``keys`` and ``mask`` (:attr:`CONSTANT_KEYS`,
            which search keeps out of the state it reorders).
        """
        if not self.built:
            self.build((None, None))
        bridged = tf.split(self.bridge(final), self.num_layers, axis=-1)  # each (batch, units)
        state = {"memory": memory, "keys": self.attention.precompute_keys(memory), "mask": mask}
        for layer, h in enumerate(bridged):
            state[f"h_{layer}"] = h
            state[f"c_{layer}"] = h
        state["feed"] = tf.zeros_like(bridged[0])
        return state

    def split_state(self, state: State) -> tuple[State, State]:
        """``(recurrent, constants)``: the entries a step changes and :attr:`CONSTANT_KEYS`."""
        recurrent = {k: v for k, v in state.items() if k not in self.CONSTANT_KEYS}
        constants = {k: state[k] for k in self.CONSTANT_KEYS}
        return recurrent, constants

    def _step_kernels(self) -> dict[str, tf.Tensor]:
        """The weight matrices one step multiplies its small per-step inputs by.

        ``lstm_0``: the first layer's recurrent kernel (applied to ``[feed; h]``
        or ``h``); ``lstm_<i>`` for each stacked layer, its input and recurrent
        kernels stacked (applied to ``[x; h]``); ``attentional``: the
        attentional layer's kernel. Search multiplies by these matrices as
        they are; training wraps them, with the attention's
        (:meth:`~translate.model.attention.BahdanauAttention.loop_kernels`), in
        a :class:`~translate.model.step_kernels.LoopKernels` around its loop.
        """
        kernels = {"lstm_0": self.recurrent_kernels[0]}
        for layer in range(1, self.num_layers):
            kernels[f"lstm_{layer}"] = tf.concat(
                [self.input_kernels[layer], self.recurrent_kernels[layer]], axis=0
            )
        kernels["attentional"] = self.attentional.kernel
        return kernels

    def _recurrence(self, projected_input, state, layer_masks, kernels, loop_products=False):
        """One decoder step from the first layer's projected input.

        Args:
            projected_input: ``(batch, 4 * units)`` embedding term of layer 0, bias included.
            state: The decoder state (see :meth:`initial_state`).
            layer_masks: Dropout masks ``(batch, units)`` between layers, or None.
            kernels: The matrices of :meth:`_step_kernels`, or in a training
                loop their :class:`~translate.model.step_kernels.BoundKernels`
                with the attention's.
            loop_products: ``kernels`` are a training loop's products, the
                attention's among them.

        Returns:
            ``attentional (batch, units)``, the new state and the attention
            weights ``(batch, src_len)``.
        """
        new_state = dict(state)
        x = None
        for layer in range(self.num_layers):
            h, c = state[f"h_{layer}"], state[f"c_{layer}"]
            if layer == 0:
                recurrent_in = tf.concat([state["feed"], h], axis=-1) if self.input_feeding else h
                h, c = lstm_step(projected_input, recurrent_in, c, kernels["lstm_0"])
            else:
                if layer_masks is not None:
                    x = x * layer_masks[layer - 1]
                h, c = lstm_step(
                    self.biases[layer], tf.concat([x, h], axis=-1), c, kernels[f"lstm_{layer}"]
                )
            new_state[f"h_{layer}"], new_state[f"c_{layer}"] = h, c
            x = h
        context, weights = self.attention(
            x, state["keys"], state["memory"], state["mask"], products=kernels if loop_products else None
        )
        # The attentional layer (tanh, no bias), its kernel multiplied like the loop's others.
        attentional = tf.tanh(step_matmul(tf.concat([x, context], axis=-1), kernels["attentional"]))
        new_state["feed"] = attentional
        return attentional, new_state, weights

    def _project_inputs(self, tokens, training):
        embedded = self.embedding_dropout_layer(self.embedding(tokens), training=training)
        return project(embedded, self.input_kernels[0]) + self.biases[0]

    def _logits(self, attentional, training):
        attentional = self.dropout_layer(attentional, training=training)
        if self.tie_embeddings:
            projected = self.output_projection(attentional)
            return project(projected, tf.transpose(self.embedding.embeddings)) + self.output_bias
        return self.output_layer(attentional)

    def call(self, target_in: tf.Tensor, state: State, training: bool = False):
        """Teacher forcing over a whole target sequence.

        Args:
            target_in: ``(batch, tgt_len)`` int32, the target shifted right (starts with ``<s>``).
            state: From :meth:`initial_state`.
            training: Apply dropout.

        Returns:
            ``logits (batch, tgt_len, vocab)`` and attention ``(batch, tgt_len, src_len)``.
        """
        projected = self._project_inputs(target_in, training)  # (batch, tgt_len, 4 * units)
        layer_masks = None
        if training and self.num_layers > 1 and self.dropout > 0:
            ones = tf.ones_like(state["h_0"])
            layer_masks = [self.dropout_layer(ones, training=True) for _ in range(self.num_layers - 1)]
        if not self.input_feeding:
            return self._call_without_feeding(projected, state, layer_masks, training)
        recurrent, constants = self.split_state(state)
        batch, src_len = tf.shape(state["memory"])[0], tf.shape(state["memory"])[1]
        attention_kernels = self.attention.loop_kernels(constants["keys"], constants["memory"])
        kernels = LoopKernels(
            {**self._step_kernels(), **attention_kernels}, tf.shape(projected)[1], batch,
            addends={"lstm_0": tf.transpose(projected, [1, 0, 2])},
        )

        def step(carry, taps_t):
            recurrent_state = carry[0]
            projected_t = taps_t["lstm_0"]  # (batch, 4 * units)
            bound = kernels.bind(taps_t)
            attentional, new_state, weights = self._recurrence(
                projected_t, {**recurrent_state, **constants}, layer_masks, bound, loop_products=True
            )
            new_recurrent = {k: new_state[k] for k in recurrent_state}
            return new_recurrent, attentional, weights, bound.inputs()

        initial = (
            recurrent,
            tf.zeros((batch, self.units), dtype=projected.dtype),
            tf.zeros((batch, src_len), dtype=projected.dtype),
            kernels.initial_inputs(batch),
        )
        _, attentional, weights, inputs = tf.scan(step, kernels.taps, initializer=initial)
        kernels.record(inputs)
        attentional = tf.transpose(attentional, [1, 0, 2])  # (batch, tgt_len, units)
        weights = tf.transpose(weights, [1, 0, 2])  # (batch, tgt_len, src_len)
        return self._logits(attentional, training), weights

    def _call_without_feeding(self, projected, state, layer_masks, training):
        """Teacher forcing when no attentional vector is fed back.

        Without input feeding no step depends on the previous step's attention,
        so each LSTM layer runs as one loop over time and attention is computed
        for all target positions at once, with batched matrix products. This is
        much faster than the step-by-step loop, and gives the same result.
        """
        x = None
        for layer in range(self.num_layers):
            if layer > 0:
                if layer_masks is not None:
                    x = x * layer_masks[layer - 1][:, None, :]
                projected = project(x, self.input_kernels[layer]) + self.biases[layer]
            x = run_lstm(projected, state[f"h_{layer}"], state[f"c_{layer}"], self.recurrent_kernels[layer])
        context, weights = self.attention.attend_all(x, state["keys"], state["memory"], state["mask"])
        attentional = self.attentional(tf.concat([x, context], axis=-1))  # (batch, tgt_len, units)
        return self._logits(attentional, training), weights

    def step(self, tokens: tf.Tensor, state: State):
        """One decoding step for search.

        Args:
            tokens: ``(batch,)`` int32 previous tokens.
            state: The decoder state.

        Returns:
            ``logits (batch, vocab)``, the new state, attention ``(batch, src_len)``.
        """
        projected = self._project_inputs(tokens, training=False)  # (batch, 4 * units)
        attentional, state, weights = self._recurrence(projected, state, None, self._step_kernels())
        return self._logits(attentional, training=False), state, weights

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
