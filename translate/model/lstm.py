"""An LSTM written out, with the input projection hoisted out of the time loop.

The LSTM update for one time step (``x`` the input, ``h``/``c`` the previous
hidden and cell state, ``sigma`` the logistic sigmoid)::

    i = sigma(x W_i + h U_i + b_i)        input gate: how much new content to write
    f = sigma(x W_f + h U_f + b_f)        forget gate: how much of the old cell to keep
    g = tanh(x W_g + h U_g + b_g)         candidate content
    o = sigma(x W_o + h U_o + b_o)        output gate: how much of the cell to show
    c' = f * c + i * g                    the cell state: an additive path through time
    h' = o * tanh(c')

The ``x W + b`` terms do not depend on the previous step, so :meth:`LSTM.call`
computes them for the whole sequence in one large matrix product before the
loop (:meth:`LSTM.project`); inside the loop only ``h U`` remains
(:meth:`LSTM.step`). On a CPU this is markedly faster than Keras' ``LSTM``
outside cuDNN, which multiplies the input step by step. Gates are packed in
Keras' order ``[i, f, g, o]`` so weights are interchangeable with
``keras.layers.LSTM``.

The decoder's layers are this layer too. Its first layer with input feeding
reads the previous attentional vector ``a`` as well, which only the loop
itself produces, so it goes with ``h`` through the recurrent matrix:
``z = x W + [a; h] U + b`` (``feed_dim`` is the width of ``a``).
"""

from __future__ import annotations

import keras
import tensorflow as tf

from translate.model.loop import PlainLoop, Products


def cell_state(c: tf.Tensor) -> tf.Tensor:
    """An LSTM cell state in float32, the dtype it is kept in under every precision policy."""
    return tf.cast(c, tf.float32)


def forget_bias_initializer(units: int) -> keras.initializers.Initializer:
    """Zero biases except 1.0 on the forget gate, so cells start by remembering."""

    class _ForgetBias(keras.initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return keras.ops.concatenate(
                [keras.ops.zeros((units,)), keras.ops.ones((units,)), keras.ops.zeros((2 * units,))]
            )

    return _ForgetBias()


@keras.saving.register_keras_serializable(package="translate")
class LSTM(keras.layers.Layer):
    """A unidirectional LSTM over padded sequences of known lengths.

    Past each sequence's length the state is frozen, so the final state is the
    state after the last real token. With ``reverse=True`` each sequence is read
    from its last real token back to its first (padding stays at the end).

    Args:
        units: Size of the hidden and cell state.
        reverse: Read each sequence backwards.
        feed_dim: Width of an extra input that goes with ``h`` through the
            recurrent matrix (the decoder's fed attentional vector); 0 for none.

    Attributes:
        loop: The loop :meth:`call` runs :meth:`step` in (a
            :class:`~translate.model.loop.PlainLoop` unless set otherwise).

    Example:
        >>> layer = LSTM(8)
        >>> outputs, h, c = layer(tf.zeros((2, 5, 4)), tf.constant([5, 3]))
    """

    def __init__(self, units: int, reverse: bool = False, feed_dim: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.reverse = reverse
        self.feed_dim = feed_dim
        self.loop = PlainLoop()

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.kernel = self.add_weight(
            name="kernel", shape=(input_dim, 4 * self.units), initializer="glorot_uniform"
        )
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel",
            shape=(self.feed_dim + self.units, 4 * self.units),
            initializer="orthogonal",
        )
        self.bias = self.add_weight(
            name="bias", shape=(4 * self.units,), initializer=forget_bias_initializer(self.units)
        )

    def project(self, x: tf.Tensor) -> tf.Tensor:
        """The input term ``x W + b`` of every step at once.

        Implemented as one 2-D matrix product (``tf.tensordot``). A broadcasting
        ``tf.matmul`` of a 3-D tensor by a 2-D kernel would instead materialize a
        per-example copy of the kernel's gradient, ``(batch, in, out)``, which on a
        CPU costs more than the whole rest of a training step.

        Args:
            x: ``(..., input_dim)``, e.g. ``(batch, time, input_dim)``.

        Returns:
            ``(..., 4 * units)``.
        """
        return tf.tensordot(x, self.kernel, axes=1) + self.bias

    def step(
        self,
        projected_t: tf.Tensor,
        h: tf.Tensor,
        c: tf.Tensor,
        products: Products,
        feed: tf.Tensor | None = None,
    ) -> tuple[tf.Tensor, tf.Tensor]:
        """One LSTM step (the equations of the module docstring).

        Args:
            projected_t: ``(batch, 4 * units)`` input term ``x_t W + b``.
            h: ``(batch, units)`` previous hidden state.
            c: ``(batch, units)`` previous cell state (cast to float32).
            products: ``products["recurrent"](v)`` is ``v @ recurrent_kernel``.
            feed: ``(batch, feed_dim)`` the extra recurrent input, if ``feed_dim > 0``.

        Returns:
            The new ``(h, c)``, each ``(batch, units)``: ``h`` in the compute dtype,
            ``c`` in float32.
        """
        recurrent_in = h if feed is None else tf.concat([feed, h], axis=-1)  # [a; h]
        z = projected_t + products["recurrent"](recurrent_in)  # (batch, 4 * units)
        # The gates and the cell state in float32 under mixed precision: c adds up over
        # every step, and half-precision rounding would add up with it.
        i, f, g, o = tf.split(tf.cast(z, tf.float32), 4, axis=-1)
        c = tf.sigmoid(f) * cell_state(c) + tf.sigmoid(i) * tf.tanh(g)  # float32
        h = tf.cast(tf.sigmoid(o) * tf.tanh(c), z.dtype)
        return h, c

    def call(
        self,
        inputs: tf.Tensor,
        lengths: tf.Tensor | None = None,
        initial_state: tuple[tf.Tensor, tf.Tensor] | None = None,
    ):
        """Runs the LSTM over whole sequences.

        Args:
            inputs: ``(batch, time, features)``.
            lengths: ``(batch,)`` int32 true lengths; None when every sequence is full length.
            initial_state: ``(h, c)``, each ``(batch, units)``; zeros by default.

        Returns:
            ``outputs (batch, time, units)`` (zeros past each length), and the final
            ``h`` and ``c`` (float32), each ``(batch, units)``.
        """
        if self.feed_dim:
            raise ValueError(f"{self.name}: an LSTM with feed_dim > 0 runs step by step only")
        batch, time = tf.shape(inputs)[0], tf.shape(inputs)[1]
        if lengths is None:
            lengths = tf.fill([batch], time)
        if self.reverse:
            inputs = tf.reverse_sequence(inputs, lengths, seq_axis=1, batch_axis=0)
        projected = self.project(inputs)  # (batch, time, 4 * units)
        valid = tf.sequence_mask(lengths, time, dtype=inputs.dtype)  # (batch, time)
        if initial_state is None:
            zeros = tf.zeros((batch, self.units), dtype=inputs.dtype)
            initial_state = (zeros, zeros)
        initial_state = (initial_state[0], cell_state(initial_state[1]))

        def step(carry, elems_t, products):
            h, c, _ = carry
            projected_t, valid_t = elems_t  # (batch, 4 * units), (batch, 1)
            new_h, new_c = self.step(projected_t, h, c, products)
            h = valid_t * new_h + (1.0 - valid_t) * h  # frozen past the length
            valid_c = tf.cast(valid_t, tf.float32)
            c = valid_c * new_c + (1.0 - valid_c) * c  # float32
            return h, c, valid_t * new_h

        h, c, outputs = self.loop.scan(
            step,
            (tf.transpose(projected, [1, 0, 2]), tf.transpose(valid)[:, :, None]),
            initializer=(*initial_state, tf.zeros_like(initial_state[0])),
            kernels={"recurrent": self.recurrent_kernel},
        )
        outputs = tf.transpose(outputs, [1, 0, 2])  # (batch, time, units)
        if self.reverse:
            outputs = tf.reverse_sequence(outputs, lengths, seq_axis=1, batch_axis=0)
        return outputs, h[-1], c[-1]

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "reverse": self.reverse, "feed_dim": self.feed_dim})
        return config
