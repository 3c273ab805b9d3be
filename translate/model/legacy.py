"""Weights saved by earlier versions, whose decoder kept its LSTM weights itself.

Earlier versions held the decoder's LSTM weights as the decoder's own
variables; they are now the variables of its :class:`~translate.model.lstm.LSTM`
layers. The values are the same, only their place changes. In a Keras weights
file (``model.weights.h5`` inside a ``.keras`` file, ``checkpoint/last.weights.h5``)::

    decoder/vars/3l     input_kernel_l      ->  decoder/lstm_layers/lstm[_l]/vars/0  (kernel)
    decoder/vars/3l+1   recurrent_kernel_l  ->  decoder/lstm_layers/lstm[_l]/vars/1  (recurrent)
    decoder/vars/3l+2   bias_l              ->  decoder/lstm_layers/lstm[_l]/vars/2  (bias)
    decoder/vars/3L     output_bias         ->  decoder/vars/0  (tied embeddings only)

(``lstm`` for layer 0, ``lstm_1``, ``lstm_2``, ... above it). The optimizer's
slots follow the model's variables in order, where only the tied output bias
moves: from after the decoder's LSTM weights to before them. In an epoch
snapshot (``checkpoint/epoch-NNN.npz``, keyed by weight path) the names change
as :func:`upgrade_weight_path` says.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile

import h5py
import keras

from translate.errors import TranslateError

_WEIGHTS = "model.weights.h5"
_OLD_PATH = re.compile(r"^decoder/(input_kernel|recurrent_kernel|bias)_(\d+)$")
_NEW_NAMES = {"input_kernel": "kernel", "recurrent_kernel": "recurrent_kernel", "bias": "bias"}


def upgrade_weight_path(path: str) -> str:
    """The new path of a weight named by an earlier version (others are returned unchanged).

    Args:
        path: A weight path without the model's name, as snapshots store it,
            e.g. ``decoder/input_kernel_0``.

    Returns:
        E.g. ``decoder/lstm_0/kernel``.
    """
    match = _OLD_PATH.match(path)
    if not match:
        return path
    return f"decoder/lstm_{match.group(2)}/{_NEW_NAMES[match.group(1)]}"


def is_legacy(weights: h5py.Group) -> bool:
    """Whether a Keras weights file has the earlier layout (the decoder's LSTM weights its own)."""
    decoder = weights.get("decoder")
    return (
        isinstance(decoder, h5py.Group)
        and "lstm_layers" not in decoder
        and isinstance(decoder.get("vars"), h5py.Group)
        and len(decoder["vars"]) >= 3
    )


def upgrade_weights(source: str, target: str) -> bool:
    """Writes a copy of a Keras weights file of the earlier layout in the current one.

    Args:
        source: A ``.weights.h5`` file (with or without optimizer state).
        target: Where to write the upgraded copy.

    Returns:
        True if ``target`` was written; False if ``source`` already has the
        current layout (nothing is written).

    Raises:
        TranslateError: If the file cannot be read or its layout is not one this
            project wrote.
    """
    try:
        with h5py.File(source, "r") as weights:
            if not is_legacy(weights):
                return False
    except OSError as error:
        raise TranslateError(f"{source}: cannot read the weights ({error})") from None
    shutil.copyfile(source, target)
    with h5py.File(target, "a") as weights:
        count = len(weights["decoder/vars"])
        layers, tied = divmod(count, 3)
        if tied not in (0, 1):
            raise TranslateError(
                f"{source}: {count} decoder weights; an earlier version wrote 3 per layer "
                "(and 1 for a tied output bias)"
            )
        for layer in range(layers):
            group = weights.require_group(
                f"decoder/lstm_layers/{'lstm' if layer == 0 else f'lstm_{layer}'}/vars"
            )
            for index in range(3):
                weights.move(f"decoder/vars/{3 * layer + index}", f"{group.name}/{index}")
        if tied:
            weights.move(f"decoder/vars/{3 * layers}", "decoder/vars/0")
            if "optimizer" in weights:
                _move_output_bias_slots(weights, source, layers)
    return True


def _move_output_bias_slots(weights: h5py.File, source: str, layers: int) -> None:
    """Moves the optimizer slots of the tied output bias before those of the decoder's LSTMs.

    The optimizer's variables are a few of its own (iterations, learning
    rate), then the same number of slots per model variable, in the model's
    order: the encoder's, then the decoder's own (earlier: the LSTM weights,
    then the output bias; now: the output bias), then its sublayers'.
    """
    slots = weights["optimizer/vars"]
    model_variables = sum(1 for _ in _datasets(weights, exclude="optimizer"))
    encoder_variables = sum(1 for _ in _datasets(weights["encoder"]))
    for own in (1, 2):  # iterations, and the learning rate when it is a variable
        per_variable, rest = divmod(len(slots) - own, model_variables)
        if rest == 0 and per_variable > 0:
            break
    else:
        raise TranslateError(
            f"{source}: {len(slots)} optimizer variables do not match {model_variables} weights"
        )

    def first_slot(variable: int) -> int:
        return own + per_variable * variable

    start = encoder_variables  # The decoder's first variable.
    old_order = list(range(start, start + 3 * layers + 1))  # LSTM weights, output bias
    new_order = [old_order[-1], *old_order[:-1]]  # output bias, LSTM weights
    for variable in old_order:
        for slot in range(per_variable):
            slots.move(str(first_slot(variable) + slot), f"old_{first_slot(variable) + slot}")
    for new_position, variable in zip(old_order, new_order):
        for slot in range(per_variable):
            slots.move(f"old_{first_slot(variable) + slot}", str(first_slot(new_position) + slot))


def _datasets(group: h5py.Group, exclude: str = ""):
    """Yields the datasets under ``group``, skipping its top-level member ``exclude``."""
    for name, member in group.items():
        if name == exclude:
            continue
        if isinstance(member, h5py.Dataset):
            yield member
        else:
            yield from _datasets(member)


def load_weights(model: keras.Model, path: str) -> None:
    """``model.load_weights(path)``, upgrading a file of the earlier layout in a temporary copy.

    Args:
        model: The model, built (and with its optimizer built, for a checkpoint).
        path: A ``.weights.h5`` file, e.g. ``checkpoint/last.weights.h5``.
    """
    with tempfile.TemporaryDirectory() as folder:
        upgraded = os.path.join(folder, "upgraded.weights.h5")
        model.load_weights(upgraded if upgrade_weights(path, upgraded) else path)


def load_model(path: str | os.PathLike) -> keras.Model:
    """Loads a ``.keras`` file (``compile=False``, ``safe_mode=True``), of either layout.

    A file of the earlier layout is upgraded in a temporary copy; the file
    itself is left as it is.

    Args:
        path: The ``.keras`` file.

    Returns:
        The model.
    """
    path = os.fspath(path)
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(path) as archive:
            archive.extract(_WEIGHTS, folder)
            upgraded = os.path.join(folder, "upgraded.weights.h5")
            if not upgrade_weights(os.path.join(folder, _WEIGHTS), upgraded):
                return keras.models.load_model(path, compile=False, safe_mode=True)
            copy = os.path.join(folder, "upgraded.keras")
            with zipfile.ZipFile(copy, "w") as upgraded_archive:
                for name in archive.namelist():
                    if name != _WEIGHTS:
                        upgraded_archive.writestr(name, archive.read(name))
                upgraded_archive.write(upgraded, _WEIGHTS)
        return keras.models.load_model(copy, compile=False, safe_mode=True)
