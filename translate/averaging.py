"""Checkpoint averaging: the mean of the weights of the last epochs as one model.

Averaging the parameters of the last few checkpoints of a run (Vaswani et al.,
2017; Junczys-Dowmunt et al., 2016) smooths out the noise of the last updates
and usually gains a little BLEU at no cost at translation time. Training keeps
the model weights of its last ``training.keep_checkpoints`` epochs as
``checkpoint/epoch-NNN.npz`` (weights only, no optimizer state);
``translate average`` turns the last N of them into a run directory that
``translate translate``/``evaluate``/``export`` accept like any other.
"""

from __future__ import annotations

import os
import re
import shutil

import keras
import numpy as np

from translate.errors import TranslateError

SNAPSHOT_PATTERN = re.compile(r"^epoch-(\d+)\.npz$")


def _weight_names(model: keras.Model) -> list[str]:
    """Weight paths without the model's own name (which Keras numbers per process)."""
    return [variable.path.split("/", 1)[-1] for variable in model.weights]


def snapshot_path(checkpoint_dir: str, epoch: int) -> str:
    """The file holding the weights after ``epoch`` (1-based)."""
    return os.path.join(checkpoint_dir, f"epoch-{epoch:03d}.npz")


def list_snapshots(checkpoint_dir: str) -> list[tuple[int, str]]:
    """``(epoch, path)`` of every weight snapshot in a folder, oldest first."""
    if not os.path.isdir(checkpoint_dir):
        return []
    found = []
    for name in os.listdir(checkpoint_dir):
        match = SNAPSHOT_PATTERN.match(name)
        if match:
            found.append((int(match.group(1)), os.path.join(checkpoint_dir, name)))
    return sorted(found)


def save_snapshot(model: keras.Model, checkpoint_dir: str, epoch: int, keep: int) -> None:
    """Writes the model's weights after ``epoch`` and deletes all but the newest ``keep``.

    Snapshots of later epochs (left by a run that was interrupted and trained
    those epochs again) are replaced. The file is written under a temporary
    name and renamed into place.

    Raises:
        TranslateError: If the file cannot be written.
    """
    if keep <= 0:
        return
    path = snapshot_path(checkpoint_dir, epoch)
    temporary = path + ".tmp.npz"
    arrays = dict(zip(_weight_names(model), (np.asarray(v) for v in model.weights)))
    try:
        os.makedirs(checkpoint_dir, exist_ok=True)
        np.savez(temporary, **arrays)
        os.replace(temporary, path)
    except OSError as error:
        raise TranslateError(f"cannot write {path}: {error.strerror or error}") from None
    for later_epoch, later in list_snapshots(checkpoint_dir):
        if later_epoch > epoch:
            os.remove(later)
    for _, stale in list_snapshots(checkpoint_dir)[:-keep]:
        os.remove(stale)


def average_weights(paths: list[str], model: keras.Model) -> list[np.ndarray]:
    """The element-wise mean of snapshot files, in the order of ``model.weights``.

    Raises:
        TranslateError: If a file cannot be read or does not hold this model's weights.
    """
    names = _weight_names(model)
    total = None
    for path in paths:
        try:
            with np.load(path) as snapshot:
                missing = sorted(set(names) - set(snapshot.files))
                if missing:
                    raise TranslateError(
                        f"{path}: not a snapshot of this model (no weight {missing[0]!r})"
                    )
                arrays = [snapshot[name].astype(np.float64) for name in names]
        except (OSError, ValueError) as error:
            raise TranslateError(f"{path}: cannot read the snapshot ({error})") from None
        for array, variable in zip(arrays, model.weights):
            if array.shape != tuple(variable.shape):
                raise TranslateError(
                    f"{path}: weight {variable.path!r} has shape {array.shape}, "
                    f"the model's is {tuple(variable.shape)}"
                )
        total = arrays if total is None else [t + a for t, a in zip(total, arrays)]
    return [
        (t / len(paths)).astype(variable.dtype) for t, variable in zip(total, model.weights)
    ]


def average_run(run_dir: str, last: int, output_dir: str | None = None) -> tuple[str, list[int]]:
    """Averages the last ``last`` epoch snapshots of a run into a new run directory.

    Args:
        run_dir: A run directory written by ``translate train``.
        last: How many of the newest snapshots to average.
        output_dir: Where to write (default ``RUN_DIR/averaged-last-N``); it
            receives the config, the tokenizer and the averaged ``model.keras``.

    Returns:
        The output directory and the epochs that were averaged.

    Raises:
        TranslateError: If the run has fewer snapshots than asked for, or they
            do not belong to its model.
    """
    from translate.training import CHECKPOINT_DIR
    from translate.translator import CONFIG_FILE, MODEL_FILE, TOKENIZER_DIR, check_run_dir, load_model

    if last < 1:
        raise TranslateError(f"--last must be at least 1, not {last}")
    check_run_dir(run_dir)
    checkpoint_dir = os.path.join(run_dir, CHECKPOINT_DIR)
    snapshots = list_snapshots(checkpoint_dir)
    if len(snapshots) < last:
        raise TranslateError(
            f"{checkpoint_dir} holds {len(snapshots)} epoch snapshot(s) "
            f"({', '.join(os.path.basename(p) for _, p in snapshots) or 'none'}), fewer than "
            f"--last {last}; training keeps the last training.keep_checkpoints epochs"
        )
    chosen = snapshots[-last:]
    model = load_model(os.path.join(run_dir, MODEL_FILE))
    model.set_weights(average_weights([path for _, path in chosen], model))
    output_dir = output_dir or os.path.join(run_dir, f"averaged-last-{last}")
    if os.path.abspath(output_dir) == os.path.abspath(run_dir):
        raise TranslateError("the output directory must differ from the run directory")
    try:
        os.makedirs(output_dir, exist_ok=True)
        shutil.copyfile(os.path.join(run_dir, CONFIG_FILE), os.path.join(output_dir, CONFIG_FILE))
        tokenizer_dir = os.path.join(output_dir, TOKENIZER_DIR)
        shutil.rmtree(tokenizer_dir, ignore_errors=True)
        shutil.copytree(os.path.join(run_dir, TOKENIZER_DIR), tokenizer_dir)
        temporary = os.path.join(output_dir, "model.tmp.keras")
        model.save(temporary)
        os.replace(temporary, os.path.join(output_dir, MODEL_FILE))
    except OSError as error:
        raise TranslateError(f"cannot write {output_dir}: {error.strerror or error}") from None
    return output_dir, [epoch for epoch, _ in chosen]
