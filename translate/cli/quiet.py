"""TensorFlow's start-up messages, hidden unless the user asks for them.

Importing TensorFlow prints lines of its own on standard error: oneDNN and CUDA
notices ("failed call to cuInit"), CPU feature notes, absl warnings. Some come
from C++ code before its log level is read, so a variable alone cannot hide
them. :func:`set_verbosity` sets the log levels, and :func:`import_tensorflow`
imports TensorFlow (and looks for devices, which is when CUDA is probed) with
the process's standard error sent to ``/dev/null`` for that moment. The command
line calls both before its first TensorFlow import; ``--verbose`` shows it all.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings
from collections.abc import Iterator

# TensorFlow's C++ log level: 0 shows everything, 3 only fatal errors.
_QUIET_LEVEL, _VERBOSE_LEVEL = "3", "0"
_verbose = False


def set_verbosity(verbose: bool) -> None:
    """Sets TensorFlow's log levels; call before TensorFlow is imported.

    Args:
        verbose: Show TensorFlow's and absl's messages (else only errors the
            program itself reports).
    """
    global _verbose
    _verbose = verbose
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = _VERBOSE_LEVEL if verbose else _QUIET_LEVEL
    if verbose:
        return
    for name in ("tensorflow", "absl", "h5py"):
        logging.getLogger(name).setLevel(logging.ERROR)
    for module in ("tensorflow", "keras", "absl", "tf_keras", "google.protobuf"):
        warnings.filterwarnings("ignore", module=rf"{module}(\.|$)")


@contextlib.contextmanager
def _stderr_to_devnull() -> Iterator[None]:
    """Sends file descriptor 2 (C++ code writes there too) to ``/dev/null`` for the block."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no standard error at all
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def import_tensorflow() -> None:
    """Imports TensorFlow and probes its devices, silently unless verbose.

    A no-op when TensorFlow is already imported. An import error is raised
    after standard error is restored, so its traceback shows.
    """
    if "tensorflow" in sys.modules:
        return
    quiet = contextlib.nullcontext() if _verbose else _stderr_to_devnull()
    with quiet:
        import tensorflow as tf

        tf.config.list_physical_devices()  # CUDA is probed (and complains) here
    if not _verbose:
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
        tf.get_logger().setLevel(logging.ERROR)
