"""An LSTM written out, with the input projection hoisted out of the time loop.

The LSTM update for one time step (``x`` the input, ``h``/``c`` the previous
hidden and cell state, ``sigma`` the logistic sigmoid)::

    i = sigma(x W_i + h U_i + b_i)        input gate: how much new content to write
    f = sigma(x W_f + h U_f + b_f)        forget gate: how much of the old cell to keep
    g = tanh(x W_g + h U_g + b_g)         candidate content
    o = sigma(x W_o + h U_o + b_o)        output gate: how much of the cell to show
    c' = f * c + i * g                    the cell state: an additive path through time
    h' = o * tanh(c')

The ``x W`` terms do not depend on the previous step, so :class:`LSTM` computes
them for the whole sequence in one large matrix product before the loop; inside
the loop only ``h U`` remains. On a CPU this is markedly faster than Keras'
``LSTM`` outside cuDNN, which multiplies the input step by step. The ``h U``
product goes through :class:`~translate.model.step_kernels.LoopKernels`, so
the backward pass multiplies by a copy of ``U`` transposed once and takes
``U``'s gradient after the loop in one product. Gates are packed
in Keras' order ``[i, f, g, o]`` so weights are interchangeable with
``keras.layers.LSTM``.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import tensorflow as tf

from translate.model.step_kernels import LoopKernels, step_matmul


def project(x: tf.Tensor, kernel: tf.Tensor) -> tf.Tensor:
    """``x @ kernel`` over the last axis of a tensor of any rank.

    Implemented as one 2-D matrix product (``tf.tensordot``). A broadcasting
    ``tf.matmul`` of a 3-D tensor by a 2-D kernel would instead materialize a
    per-example copy of the kernel's gradient, ``(batch, in, out)``, which on a
    CPU costs more than the whole rest of a training step.
    """
    return tf.tensordot(x, kernel, axes=1)


def lstm_step(
    projected_input: tf.Tensor,
    h: tf.Tensor,
    c: tf.Tensor,
    recurrent_kernel: tf.Tensor | Callable[[tf.Tensor], tf.Tensor],
) -> tuple[tf.Tensor, tf.Tensor]:
    """One LSTM step given the already projected input ``x W + b``.

    Args:
        projected_input: ``(batch, 4 * units)`` input term, bias included.
        h: ``(batch, units)`` previous hidden state (or, for input feeding, any
            vector whose width matches ``recurrent_kernel``'s rows).
        c: ``(batch, units)`` previous cell state.
        recurrent_kernel: ``(rows, 4 * units)`` weights applied to ``h``, plain
            or, in a loop that is differentiated, a product from
            :class:`~translate.model.step_kernels.LoopKernels`.

    Returns:
        The new ``(h, c)``, each ``(batch, units)``.
    """
    z = projected_input + step_matmul(h, recurrent_kernel)  # (batch, 4 * units)
    i, f, g, o = tf.split(z, 4, axis=-1)
    c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
    h = tf.sigmoid(o) * tf.tanh(c)
    return h, c


def run_lstm(
    projected: tf.Tensor, h: tf.Tensor, c: tf.Tensor, recurrent_kernel: tf.Tensor
) -> tf.Tensor:
    """Runs :func:`lstm_step` over a whole sequence.

    Args:
        projected: ``(batch, time, 4 * units)`` input terms, bias included.
        h: ``(batch, units)`` initial hidden state.
        c: ``(batch, units)`` initial cell state.
        recurrent_kernel: ``(units, 4 * units)``.

    Returns:
        The hidden states ``(batch, time, units)``.
    """
    batch, time = tf.shape(projected)[0], tf.shape(projected)[1]
    kernels = LoopKernels(
        {"recurrent": recurrent_kernel}, time, batch,
        addends={"recurrent": tf.transpose(projected, [1, 0, 2])},
    )

    def step(carry, taps_t):
        h, c, _ = carry
        bound = kernels.bind(taps_t)
        h, c = lstm_step(taps_t["recurrent"], h, c, bound["recurrent"])
        return h, c, bound.inputs()

    hs, _, inputs = tf.scan(step, kernels.taps, initializer=(h, c, kernels.initial_inputs(batch)))
    kernels.record(inputs)
    return tf.transpose(hs, [1, 0, 2])


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

    Example:
        >>> layer = LSTM(8)
        >>> outputs, h, c = layer(tf.zeros((2, 5, 4)), tf.constant([5, 3]))
    """

    def __init__(self, units: int, reverse: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.reverse = reverse

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.kernel = self.add_weight(
            name="kernel", shape=(input_dim, 4 * self.units), initializer="glorot_uniform"
        )
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel", shape=(self.units, 4 * self.units), initializer="orthogonal"
        )
        self.bias = self.add_weight(
            name="bias", shape=(4 * self.units,), initializer=forget_bias_initializer(self.units)
        )

    def call(self, inputs: tf.Tensor, lengths: tf.Tensor):
        """Runs the LSTM.

        Args:
            inputs: ``(batch, time, features)``.
            lengths: ``(batch,)`` int32 true lengths.

        Returns:
            ``outputs (batch, time, units)`` (zeros past each length), and the final
            ``h`` and ``c``, each ``(batch, units)``.
        """
        if self.reverse:
            inputs = tf.reverse_sequence(inputs, lengths, seq_axis=1, batch_axis=0)
        batch = tf.shape(inputs)[0]
        time = tf.shape(inputs)[1]
        projected = project(inputs, self.kernel) + self.bias  # (batch, time, 4 * units)
        valid = tf.sequence_mask(lengths, time, dtype=inputs.dtype)  # (batch, time)
        zeros = tf.zeros((batch, self.units), dtype=inputs.dtype)
        kernels = LoopKernels(
            {"recurrent": self.recurrent_kernel}, time, batch,
            addends={"recurrent": tf.transpose(projected, [1, 0, 2])},
        )

        def step(carry, elems):
            h, c, _, _ = carry
            valid_t, taps_t = elems  # (batch, 1), per kernel (the projected input's is x_t)
            bound = kernels.bind(taps_t)
            new_h, new_c = lstm_step(taps_t["recurrent"], h, c, bound["recurrent"])
            h = valid_t * new_h + (1.0 - valid_t) * h
            c = valid_t * new_c + (1.0 - valid_t) * c
            return h, c, valid_t * new_h, bound.inputs()

        h, c, outputs, inputs = tf.scan(
            step,
            (tf.transpose(valid)[:, :, None], kernels.taps),
            initializer=(zeros, zeros, zeros, kernels.initial_inputs(batch)),
        )
        kernels.record(inputs)
        outputs = tf.transpose(outputs, [1, 0, 2])  # (batch, time, units)
        if self.reverse:
            outputs = tf.reverse_sequence(outputs, lengths, seq_axis=1, batch_axis=0)
        return outputs, h[-1], c[-1]

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "reverse": self.reverse})
        return config
