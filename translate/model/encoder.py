"""The bidirectional multi-layer LSTM encoder."""

from __future__ import annotations

import keras
import tensorflow as tf

from translate.data.tokenizer import PAD_ID
from translate.model.lstm import LSTM


@keras.saving.register_keras_serializable(package="translate")
class Encoder(keras.layers.Layer):
    """Embeds source subwords and reads them both ways with stacked LSTMs.

    Each layer runs a forward and a backward :class:`~translate.model.lstm.LSTM`
    and concatenates their outputs; the next layer reads that concatenation.

    Args:
        vocab_size: Source vocabulary size.
        embedding_dim: Embedding size.
        units: LSTM units per direction.
        num_layers: Stacked bidirectional layers.
        dropout: Dropout between layers and on the output memory.
        embedding_dropout: Dropout on the embeddings.
    """

    def __init__(
        self,
        vocab_size: int,
        embedding_dim: int,
        units: int,
        num_layers: int = 1,
        dropout: float = 0.0,
        embedding_dropout: float = 0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.units = units
        self.num_layers = num_layers
        self.dropout = dropout
        self.embedding_dropout = embedding_dropout
        self.embedding = keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")
        self.forward_layers = [LSTM(units, name=f"forward_{i}") for i in range(num_layers)]
        self.backward_layers = [
            LSTM(units, reverse=True, name=f"backward_{i}") for i in range(num_layers)
        ]
        self.embedding_dropout_layer = keras.layers.Dropout(embedding_dropout)
        self.dropout_layer = keras.layers.Dropout(dropout)

    @property
    def output_dim(self) -> int:
        return 2 * self.units

    def build(self, source_shape):
        self.embedding.build(source_shape)
        width = self.embedding_dim
        for forward, backward in zip(self.forward_layers, self.backward_layers):
            forward.build((None, None, width))
            backward.build((None, None, width))
            width = 2 * self.units

    def call(self, source: tf.Tensor, training: bool = False):
        """Encodes a batch.

        Args:
            source: ``(batch, src_len)`` int32 ids, padded with 0.
            training: Apply dropout.

        Returns:
            ``memory (batch, src_len, 2 * units)``, ``mask (batch, src_len)`` bool and
            ``final (batch, 2 * units)``: the last layer's forward state after the
            last token joined with its backward state after the first.
        """
        mask = tf.not_equal(source, PAD_ID)  # (batch, src_len)
        lengths = tf.reduce_sum(tf.cast(mask, tf.int32), axis=1)  # (batch,)
        x = self.embedding_dropout_layer(self.embedding(source), training=training)
        for index, (forward, backward) in enumerate(zip(self.forward_layers, self.backward_layers)):
            if index > 0:
                x = self.dropout_layer(x, training=training)
            forward_out, forward_h, _ = forward(x, lengths)
            backward_out, backward_h, _ = backward(x, lengths)
            x = tf.concat([forward_out, backward_out], axis=-1)  # (batch, src_len, 2 * units)
        memory = self.dropout_layer(x, training=training)
        final = tf.concat([forward_h, backward_h], axis=-1)  # (batch, 2 * units)
        return memory, mask, final

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "vocab_size": self.vocab_size,
                "embedding_dim": self.embedding_dim,
                "units": self.units,
                "num_layers": self.num_layers,
                "dropout": self.dropout,
                "embedding_dropout": self.embedding_dropout,
            }
        )
        return config
