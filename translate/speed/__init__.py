"""Speed devices for training on a CPU, switched by one setting: ``training.cpu_kernels``.

A device here computes exactly what the model's plain TensorFlow code computes
(values and gradients, which the tests compare), only faster on a CPU. The
model knows of none of them: it reaches them through one hook, the loop its
recurrent layers run in (:meth:`translate.model.seq2seq.Seq2Seq.set_loop`).

``training.cpu_kernels`` is ``on``, ``off`` or ``auto`` (the default: on
when TensorFlow sees no GPU, where these devices were measured to pay).

Devices:

- loop kernels (:mod:`translate.speed.loop_kernels`): the weight gradients of
  a recurrent loop taken after the loop in one product; :func:`make_loop`.

Each device is measured on a reference training step with and without it
(``python benchmarks/micro/speed_devices.py``, figures in
``docs/performance.md``) and kept only while it saves at least 3% of the
step; a device that stops paying is deleted (a fused Adam update and a
hand-written loss gradient were, for saving under 3%).
"""

from __future__ import annotations

import tensorflow as tf

from translate.errors import TranslateError
from translate.model.loop import Loop, PlainLoop
from translate.speed.loop_kernels import LoopKernelsLoop

#: The values of ``training.cpu_kernels``.
SETTINGS = ("auto", "on", "off")


def use_cpu_kernels(setting: str) -> bool:
    """Whether the CPU devices are on for a ``training.cpu_kernels`` setting.

    Args:
        setting: ``on``, ``off`` or ``auto`` (on when TensorFlow sees no GPU).

    Returns:
        True to use them.

    Raises:
        TranslateError: For any other setting.
    """
    if setting not in SETTINGS:
        raise TranslateError(
            f"config key 'training.cpu_kernels' is {setting!r}; allowed: {', '.join(SETTINGS)}"
        )
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
