"""The encoder-decoder model: teacher forcing in ``call``, ``encode``/``decode_step`` for search."""

from __future__ import annotations

import keras
import tensorflow as tf

from translate.config.schema import ModelConfig
from translate.model.decoder import Decoder, State
from translate.model.encoder import Encoder
from translate.model.loop import Loop
from translate.training import keras_internals, step


@keras.saving.register_keras_serializable(package="translate")
class Seq2Seq(keras_internals.BuiltBeforeFit, keras.Model):
    """A bidirectional-LSTM encoder and an attentional LSTM decoder.

    ``call`` takes ``{"source": (batch, src_len), "target_in": (batch, tgt_len)}``
    int32 ids (0-padded; ``target_in`` starts with ``<s>``) and returns logits
    ``(batch, tgt_len, target_vocab)`` for the target shifted left. ``encode``
    and ``decode_step`` run the same layers one step at a time for search.

    Args:
        source_vocab_size: Source vocabulary size.
        target_vocab_size: Target vocabulary size.
        embedding_dim: Embedding size on both sides.
        encoder_units: Encoder LSTM units per direction.
        encoder_layers: Stacked bidirectional encoder layers.
        decoder_units: Decoder LSTM units.
        decoder_layers: Stacked decoder layers.
        attention: ``bahdanau`` or ``luong``.
        input_feeding: Feed the previous attentional vector to the decoder.
        dropout: Dropout between layers.
        embedding_dropout: Dropout on embeddings.
        tie_embeddings: Share the target embedding with the output layer.
        share_embeddings: The decoder embeds the target with the encoder's source
            embedding (one joint vocabulary, so both sizes must be equal). With
            ``tie_embeddings`` one matrix embeds the source and the target and
            projects the output: the three-way tie.

    Example:
        >>> model = Seq2Seq(100, 100, embedding_dim=16, encoder_units=16, decoder_units=16)
        >>> logits = model({"source": tf.ones((2, 5), tf.int32),
        ...                 "target_in": tf.ones((2, 4), tf.int32)})
        >>> logits.shape
        TensorShape([2, 4, 100])
    """

    def __init__(
        self,
        source_vocab_size: int,
        target_vocab_size: int,
        embedding_dim: int = 256,
        encoder_units: int = 512,
        encoder_layers: int = 1,
        decoder_units: int = 512,
        decoder_layers: int = 1,
        attention: str = "bahdanau",
        input_feeding: bool = True,
        dropout: float = 0.3,
        embedding_dropout: float = 0.1,
        tie_embeddings: bool = False,
        share_embeddings: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.source_vocab_size = source_vocab_size
        self.target_vocab_size = target_vocab_size
        self.embedding_dim = embedding_dim
        self.encoder_units = encoder_units
        self.encoder_layers = encoder_layers
        self.decoder_units = decoder_units
        self.decoder_layers = decoder_layers
        self.attention = attention
        self.input_feeding = input_feeding
        self.dropout = dropout
        self.embedding_dropout = embedding_dropout
        self.tie_embeddings = tie_embeddings
        self.share_embeddings = share_embeddings
        if share_embeddings and source_vocab_size != target_vocab_size:
            raise ValueError(
                "share_embeddings needs one joint vocabulary, got source and target sizes "
                f"{source_vocab_size} and {target_vocab_size}"
            )
        self.encoder = Encoder(
            source_vocab_size,
            embedding_dim,
            encoder_units,
            encoder_layers,
            dropout=dropout,
            embedding_dropout=embedding_dropout,
            name="encoder",
        )
        self.decoder = Decoder(
            target_vocab_size,
            embedding_dim,
            decoder_units,
            memory_dim=2 * encoder_units,
            num_layers=decoder_layers,
            attention=attention,
            input_feeding=input_feeding,
            dropout=dropout,
            embedding_dropout=embedding_dropout,
            tie_embeddings=tie_embeddings,
            embedding=self.encoder.embedding if share_embeddings else None,
            name="decoder",
        )

    @classmethod
    def from_config_section(
        cls, config: ModelConfig, source_vocab_size: int, target_vocab_size: int
    ) -> Seq2Seq:
        """Builds the model described by the ``model`` section of a config."""
        return cls(
            source_vocab_size=source_vocab_size,
            target_vocab_size=target_vocab_size,
            embedding_dim=config.embedding_dim,
            encoder_units=config.encoder_units,
            encoder_layers=config.encoder_layers,
            decoder_units=config.decoder_units,
            decoder_layers=config.decoder_layers,
            attention=config.attention,
            input_feeding=config.input_feeding,
            dropout=config.dropout,
            embedding_dropout=config.embedding_dropout,
            tie_embeddings=config.tie_embeddings,
            share_embeddings=config.share_embeddings,
        )

    def build(self, input_shape=None):
        """Creates every weight by running the model once on a dummy batch."""
        dummy = tf.ones((1, 2), tf.int32)
        self.call({"source": dummy, "target_in": dummy})
        self.built = True

    def set_output_prior(self, log_frequencies) -> None:
        """Starts the output bias at the log frequencies ``(target_vocab,)`` of the target ids.

        At the start of training the cheapest way to lower the loss is to
        predict the unigram distribution. With a zero bias the model learns it
        through its hidden states, which then saturate at constant values and
        stop carrying any information about the sentence; starting from the
        prior leaves the recurrent path free to learn the translation.
        """
        self.decoder.set_output_bias(log_frequencies)

    def set_loop(self, loop: Loop) -> None:
        """Sets the loop every recurrent layer runs its steps in.

        The default, :class:`~translate.model.loop.PlainLoop`, multiplies with
        ``tf.matmul``; another loop computes the same products and gradients
        another way (see :mod:`translate.training.speed`).
        """
        encoder, decoder = self.encoder, self.decoder
        lstms = [*encoder.forward_layers, *encoder.backward_layers, *decoder.lstm_layers]
        for layer in [*lstms, decoder]:
            layer.loop = loop

    def set_precision(self, policy: str) -> None:
        """Sets the Keras dtype policy every layer computes in; the weights stay float32.

        The one place the model meets a precision (the settings and ``auto``:
        :mod:`translate.training.precision`). Under ``mixed_bfloat16`` or
        ``mixed_float16`` the layers compute in the half type and read their
        float32 weights cast to it; the LSTM cell state, the attention softmax
        and the logits stay float32 (the casts are in the layers). A graph
        keeps the policy it was traced under.

        Args:
            policy: ``float32``, ``mixed_bfloat16`` or ``mixed_float16``.
        """
        for layer in keras_internals.all_layers(self):
            layer.dtype_policy = policy

    @property
    def precision(self) -> str:
        """The name of the dtype policy the model computes in (see :meth:`set_precision`)."""
        return self.dtype_policy.name

    def encode(self, source: tf.Tensor, training: bool = False) -> State:
        """Encodes ``(batch, src_len)`` ids into the decoder's initial state."""
        memory, mask, final = self.encoder(source, training=training)
        return self.decoder.initial_state(memory, mask, final)

    def split_state(self, state: State) -> tuple[State, State]:
        """Splits a decoder state into its recurrent part and its per-sentence constants.

        Returns:
            ``(recurrent, constants)``: the entries a step changes (LSTM states,
            fed vector) and those it only reads (encoder memory, attention keys,
            source mask), which search need not reorder between hypotheses.
        """
        return self.decoder.split_state(state)

    def decode_step(self, tokens: tf.Tensor, state: State):
        """One decoder step: ``(batch,)`` ids -> ``logits (batch, vocab)``, state, attention."""
        return self.decoder.decode_step(tokens, state)

    def call(self, inputs, training: bool = False):
        state = self.encode(inputs["source"], training=training)
        logits, _ = self.decoder(inputs["target_in"], state, training=training)
        return logits  # (batch, tgt_len, target_vocab)

    def train_step(self, data) -> dict:
        """One optimizer update of ``fit``: :func:`translate.training.step.train_step`."""
        return step.train_step(self, data)

    def attention_weights(self, inputs) -> tf.Tensor:
        """Teacher-forced attention ``(batch, tgt_len, src_len)`` for given targets."""
        state = self.encode(inputs["source"])
        return self.decoder(inputs["target_in"], state)[1]

    def get_config(self):
        return {
            "name": self.name,
            "source_vocab_size": self.source_vocab_size,
            "target_vocab_size": self.target_vocab_size,
            "embedding_dim": self.embedding_dim,
            "encoder_units": self.encoder_units,
            "encoder_layers": self.encoder_layers,
            "decoder_units": self.decoder_units,
            "decoder_layers": self.decoder_layers,
            "attention": self.attention,
            "input_feeding": self.input_feeding,
            "dropout": self.dropout,
            "embedding_dropout": self.embedding_dropout,
            "tie_embeddings": self.tie_embeddings,
            "share_embeddings": self.share_embeddings,
        }
