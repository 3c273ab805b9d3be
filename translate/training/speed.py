"""The CPU speed device of training, behind one switch: ``training.cpu_kernels``.

``training.cpu_kernels`` is ``on``, ``off`` or ``auto`` (the default: on when
TensorFlow sees no GPU). The model knows nothing of it: it reaches the device
through one hook, the loop its recurrent layers run in
(:meth:`translate.model.seq2seq.Seq2Seq.set_loop`), and :func:`make_loop`
chooses that loop. The device computes exactly what the plain loop computes
(values and gradients, which the tests compare), only faster on a CPU; it
stays only while a side-by-side measurement shows it saves a real share of
the step (``python benchmarks/micro/speed_devices.py``, ``docs/performance.md``).

The loop kernels: a loop whose weight matrices take their gradients after it.

A recurrent loop multiplies a small per-step input by the same weight matrix
at every step, ``z_t = x_t @ W`` with ``x_t`` of one batch of rows. Left to
TensorFlow's gradient, the backward pass of that loop does, at every step:

1. the input gradient ``dz_t @ W^T``, with ``transpose_b=True``, which on a
   CPU runs slower than the same product against an explicitly transposed
   matrix (figures: ``docs/performance.md``, "Why a training step costs what it does");
2. the weight gradient ``x_t^T @ dz_t``, another small product, and its
   addition to a running sum the size of ``W``.

:class:`StepKernel` mends the first: it multiplies by a copy of ``W``
transposed once before the loop. :class:`LoopKernels` also mends the second:
the running sum equals one large product ``X^T @ dZ`` of the stacked inputs
``X (time * batch, rows)`` and the stacked gradients ``dZ (time * batch,
cols)``, which it computes once after the backward loop. To get ``dZ`` out of
the loop, each product is given a *tap*: a ``(time, batch, cols)`` sequence of
zeros passed into the loop as a per-step input and added to ``z_t`` (its value
changes nothing). Its gradient, which the loop's backward pass stacks like any
per-step input's, is exactly ``dZ``. The loop returns the inputs it multiplied
(:meth:`BoundKernels.inputs`) and :meth:`LoopKernels.record` keeps them for
the tap's gradient, ``X^T @ dZ``, given to ``W``.

A kernel may also be one matrix per batch row, ``(batch, rows, cols)``,
multiplied as ``z_t[b] = x_t[b] @ W[b]``: attention's context, the weights
over source positions times that sentence's encoder memory. Its gradient is
then one batched product after the loop instead of an outer product added to
a ``(batch, rows, cols)`` sum at every step.

:class:`LoopKernelsLoop` does all of this around ``tf.scan``, behind the same
``scan(step, elems, initializer, kernels)`` as
:class:`~translate.model.loop.PlainLoop`, so the model's steps are written
once, with plain products. Values and gradients are those of plain
``tf.matmul`` (the tests compare them for every model configuration); only the
order of the arithmetic changes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import tensorflow as tf

from translate.config import check_key
from translate.model.loop import Loop, PlainLoop, Step


@dataclasses.dataclass(frozen=True)
class StepKernel:
    """A weight matrix multiplied at every step of a loop, with its transpose made once.

    Calling a :class:`StepKernel` gives the value of ``x @ kernel`` and the
    gradient for ``x``, computed against :attr:`transposed`, made once outside
    the loop. The kernel's own gradient is left to :class:`LoopKernels`, which
    takes it after the loop.

    Attributes:
        kernel: ``(rows, cols)``, or ``(batch, rows, cols)``: one matrix per batch row.
        transposed: ``(cols, rows)`` or ``(batch, cols, rows)``, the same transposed.
    """

    kernel: tf.Tensor
    transposed: tf.Tensor

    @classmethod
    def of(cls, kernel: tf.Tensor) -> StepKernel:
        """Wraps ``kernel``; call this outside the loop."""
        kernel = tf.convert_to_tensor(kernel)
        if kernel.shape.rank not in (2, 3):
            raise ValueError(
                f"a step kernel is (rows, cols) or (batch, rows, cols), got shape {kernel.shape}"
            )
        return cls(kernel, tf.linalg.matrix_transpose(kernel))

    @property
    def per_row(self) -> bool:
        """True for one matrix per batch row, ``(batch, rows, cols)``."""
        return self.kernel.shape.rank == 3

    def __call__(self, x: tf.Tensor) -> tf.Tensor:
        """``x (batch, rows) @ kernel`` -> ``(batch, cols)``, with a gradient for ``x`` only."""
        kernel, transposed = tf.stop_gradient(self.kernel), self.transposed
        multiply = _per_row_matmul if self.per_row else tf.matmul

        @tf.custom_gradient
        def product(x):
            def gradient(upstream):  # (batch, cols)
                return multiply(upstream, transposed)  # (batch, rows)

            return multiply(x, kernel), gradient

        return product(x)


def _per_row_matmul(x: tf.Tensor, kernels: tf.Tensor) -> tf.Tensor:
    """``x[b] @ kernels[b]`` for each row b: ``(batch, rows)``, ``(batch, rows, cols)`` -> cols."""
    return tf.matmul(x[:, None, :], kernels)[:, 0, :]


class BoundKernels(Mapping):
    """One step's view of :class:`LoopKernels`: ``kernels[name](x)`` is ``x @ W_name``.

    Each product adds the step's slice of its tap and remembers its input,
    which the step returns through :meth:`inputs`.
    """

    def __init__(self, kernels: Mapping[str, StepKernel], taps_t: Mapping[str, tf.Tensor]):
        self._kernels = kernels
        self._taps_t = taps_t
        self._inputs: dict[str, tf.Tensor] = {}

    def __getitem__(self, name: str) -> Callable[[tf.Tensor], tf.Tensor]:
        kernel, tap_t = self._kernels[name], self._taps_t[name]

        def product(x: tf.Tensor) -> tf.Tensor:  # (batch, rows) -> (batch, cols)
            if name in self._inputs:
                raise RuntimeError(f"kernel {name!r} multiplied twice in one loop step")
            self._inputs[name] = x
            return kernel(x) + tap_t

        return product

    def __iter__(self):
        return iter(self._kernels)

    def __len__(self) -> int:
        return len(self._kernels)

    def inputs(self) -> dict[str, tf.Tensor]:
        """The input each kernel was multiplied by in this step, ``(batch, rows)``."""
        missing = sorted(set(self._kernels) - set(self._inputs))
        if missing:
            raise RuntimeError(f"kernels not multiplied in this loop step: {missing}")
        return dict(self._inputs)


class LoopKernels:
    """Weight matrices of a differentiated loop whose gradients are taken after it.

    Use, around a ``tf.scan`` over ``time`` steps of ``batch`` rows (as
    :class:`LoopKernelsLoop` does)::

        kernels = LoopKernels({"recurrent": U}, time, batch)
        def step(carry, elems):
            ..., taps_t = elems
            bound = kernels.bind(taps_t)
            z = projected_t + bound["recurrent"](h)        # h @ U
            return ..., bound.inputs()                      # part of the carry
        ..., inputs = tf.scan(step, (..., kernels.taps),
                              initializer=(..., kernels.initial_inputs(batch)))
        kernels.record(inputs)

    Args:
        kernels: Name to ``(rows, cols)`` matrix, or ``(batch, rows, cols)``
            matrices, one per batch row.
        time: Steps of the loop.
        batch: Rows of each step's input.
    """

    def __init__(self, kernels: Mapping[str, tf.Tensor], time: tf.Tensor, batch: tf.Tensor):
        self._kernels = {name: StepKernel.of(kernel) for name, kernel in kernels.items()}
        self._inputs: dict[str, tf.Tensor] | None = None
        #: Name to ``(time, batch, cols)`` zeros, to pass to the loop as per-step inputs.
        self.taps = {name: self._tap(name, time, batch) for name in self._kernels}

    def _kernel_gradient(self, name: str, upstream: tf.Tensor) -> tf.Tensor:
        """``X^T @ dZ`` for kernel ``name``, given ``dZ (time, batch, cols)``."""
        if self._inputs is None:
            raise RuntimeError("LoopKernels.record was not called after the loop")
        inputs = self._inputs[name]  # (time, batch, rows)
        if self._kernels[name].per_row:  # X[b]^T @ dZ[b] for each row b: (batch, rows, cols)
            return tf.matmul(tf.transpose(inputs, [1, 2, 0]), tf.transpose(upstream, [1, 0, 2]))
        flat_inputs = tf.reshape(inputs, [-1, tf.shape(inputs)[-1]])  # (time * batch, rows)
        flat_upstream = tf.reshape(upstream, [-1, tf.shape(upstream)[-1]])  # (time * batch, cols)
        return tf.matmul(tf.transpose(flat_inputs), flat_upstream)  # (rows, cols)

    def _tap(self, name: str, time: tf.Tensor, batch: tf.Tensor) -> tf.Tensor:
        kernel = self._kernels[name].kernel

        @tf.custom_gradient
        def zeros_tap(kernel):
            def gradient(upstream):  # (time, batch, cols): the loop's dz_t, stacked
                return self._kernel_gradient(name, upstream)

            return tf.zeros(tf.stack([time, batch, tf.shape(kernel)[-1]]), kernel.dtype), gradient

        return zeros_tap(kernel)

    def initial_inputs(self, batch: tf.Tensor) -> dict[str, tf.Tensor]:
        """Zeros shaped like one step's :meth:`BoundKernels.inputs`, for a scan's initializer."""
        return {
            name: tf.zeros(tf.stack([batch, tf.shape(kernel.kernel)[-2]]), kernel.kernel.dtype)
            for name, kernel in self._kernels.items()
        }

    def bind(self, taps_t: Mapping[str, tf.Tensor]) -> BoundKernels:
        """The kernels for one step, given that step's slices of :attr:`taps`."""
        return BoundKernels(self._kernels, taps_t)

    def record(self, inputs: Mapping[str, tf.Tensor]) -> None:
        """Keeps the stacked per-step inputs ``(time, batch, rows)`` for the gradients."""
        self._inputs = {name: tf.stop_gradient(inputs[name]) for name in self._kernels}


class LoopKernelsLoop:
    """:class:`~translate.model.loop.PlainLoop`'s ``scan`` with :class:`LoopKernels` as products.

    The taps go into ``tf.scan`` as extra per-step inputs, the inputs each
    step multiplied come out as extra carry, and :meth:`LoopKernels.record`
    is called after the loop: the step itself is the model's, unchanged.
    """

    def scan(
        self, step: Step, elems: Any, initializer: Any, kernels: Mapping[str, tf.Tensor]
    ) -> Any:
        """Runs ``step`` over time, as :meth:`translate.model.loop.PlainLoop.scan` does.

        Args:
            step: ``step(carry, elems_t, products) -> carry``; must multiply by
                every kernel exactly once.
            elems: A nest of time-major tensors ``(time, batch, ...)``.
            initializer: The carry before the first step.
            kernels: Name to ``(rows, cols)`` matrix, or ``(batch, rows, cols)``
                matrices, one per batch row.

        Returns:
            The carries of all steps, stacked: each ``(time, batch, ...)``.
        """
        first = tf.nest.flatten(elems)[0]
        time, batch = tf.shape(first)[0], tf.shape(first)[1]
        loop_kernels = LoopKernels(kernels, time, batch)

        def step_with_taps(carry, elems_t):
            carry, _ = carry  # The step's carry; the inputs the previous step multiplied.
            elems_t, taps_t = elems_t
            bound = loop_kernels.bind(taps_t)
            return step(carry, elems_t, bound), bound.inputs()

        carries, inputs = tf.scan(
            step_with_taps,
            (elems, loop_kernels.taps),
            initializer=(initializer, loop_kernels.initial_inputs(batch)),
        )
        loop_kernels.record(inputs)  # (time, batch, rows) per kernel
        return carries


def use_cpu_kernels(setting: str) -> bool:
    """Whether the CPU devices are on for a ``training.cpu_kernels`` setting.

    Args:
        setting: ``on``, ``off`` or ``auto`` (on when TensorFlow sees no GPU).

    Returns:
        True to use them.

    Raises:
        TranslateError: For a setting the schema does not allow (one built by
            hand, not read by :func:`~translate.config.load_config`).
    """
    check_key("training.cpu_kernels", setting)
    if setting == "auto":
        return not tf.config.list_physical_devices("GPU")
    return setting == "on"


def make_loop(setting: str) -> Loop:
    """The loop for the model's recurrent layers (:meth:`Seq2Seq.set_loop`) under a setting.

    Args:
        setting: ``training.cpu_kernels``.

    Returns:
        A :class:`~translate.speed.loop_kernels.LoopKernelsLoop` when the CPU
        devices are on, else the plain :class:`~translate.model.loop.PlainLoop`.
    """
    return LoopKernelsLoop() if use_cpu_kernels(setting) else PlainLoop()
