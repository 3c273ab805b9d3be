"""Checkpoint averaging: the mean of the weights of the last epochs as one model.

Averaging the parameters of the last few checkpoints of a run (Vaswani et al.,
2017; Junczys-Dowmunt et al., 2016) smooths out the noise of the last updates
and usually gains a little BLEU at no cost at translation time. Training keeps
the model weights of its last ``training.keep_checkpoints`` epochs as
``checkpoint/epoch-NNN.npz`` (weights only, no optimizer state; see
:meth:`translate.runs.rundir.RunDir.save_snapshot`); ``translate average`` turns the
last N of them into a run directory that ``translate translate``/``evaluate``/
``export`` accept like any other.
"""

from __future__ import annotations

import os
import zipfile
import zlib

import keras
import numpy as np

from translate import TranslateError
from translate.inference.translator import load_model
from translate.runs.fileio import atomic_write, check_writable
from translate.runs.rundir import RunDir, check_run_dir, weight_names

# What NumPy raises for a damaged .npz: not a zip, a truncated member, a bad header.
_DAMAGED = (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error)


def average_weights(paths: list[str], model: keras.Model) -> list[np.ndarray]:
    """The element-wise mean of snapshot files, in the order of ``model.weights``.

    Args:
        paths: Snapshot files written by :meth:`RunDir.save_snapshot`.
        model: A model of the architecture the snapshots hold.

    Returns:
        One array per weight of ``model``, in its dtype.

    Raises:
        TranslateError: If a file cannot be read or does not hold this model's weights.
    """
    names = weight_names(model)
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
        except _DAMAGED as error:  # a truncated or overwritten .npz (a zip file of arrays)
            message = f"{type(error).__name__}: {error}".strip()
            raise TranslateError(f"{path}: cannot read the snapshot ({message})") from None
        for array, variable in zip(arrays, model.weights):
            if array.shape != tuple(variable.shape):
                raise TranslateError(
                    f"{path}: weight {variable.path!r} has shape {array.shape}, "
                    f"the model's is {tuple(variable.shape)}"
                )
        total = arrays if total is None else [t + a for t, a in zip(total, arrays)]
    return [(t / len(paths)).astype(variable.dtype) for t, variable in zip(total, model.weights)]


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
        TranslateError: If the run's config or model is damaged, it has fewer
            snapshots than asked for, or they do not belong to its model.
    """
    if last < 1:
        raise TranslateError(f"--last must be at least 1, not {last}")
    run = check_run_dir(run_dir)
    # The files copied and read are checked first: the average is a run like any other.
    run.load_config()
    run.load_tokenizer()
    run.metrics()
    snapshots = run.snapshots()
    if len(snapshots) < last:
        raise TranslateError(
            f"{run.checkpoint_dir} holds {len(snapshots)} epoch snapshot(s) "
            f"({', '.join(os.path.basename(p) for _, p in snapshots) or 'none'}), fewer than "
            f"--last {last}; training keeps the last training.keep_checkpoints epochs"
        )
    output_dir = output_dir or os.path.join(run.path, f"averaged-last-{last}")
    _check_output_dir(os.path.abspath(output_dir), os.path.abspath(run.path))
    chosen = snapshots[-last:]
    model = load_model(run.model_file)
    model.set_weights(average_weights([path for _, path in chosen], model))

    def write(temporary: str) -> None:
        out = RunDir(temporary)
        out.copy_from(run)
        out.save_model(model)

    # The whole folder under a temporary name, renamed when complete: an interrupted
    # command leaves no half run directory and a previous average as it was.
    atomic_write(output_dir, write, keeps="averaged run directory")
    return output_dir, [epoch for epoch, _ in chosen]


def peak_rate_epochs(run_dir: str, epochs: list[int]) -> list[int]:
    """The epochs among ``epochs`` that ended at the run's peak learning rate.

    An average is meant for the end of a run whose rate has decayed: snapshots
    taken at the peak rate lie far apart along the training path, and their
    mean usually scores below the last model (``docs/performance.md``, the
    levers measured on val). Reads ``metrics.jsonl``; a run without one, or
    without rates in it, gives ``[]``.
    """
    rates = {
        record["epoch"]: float(record["learning_rate"])
        for record in RunDir(run_dir).metrics()
        if isinstance(record.get("learning_rate"), (int, float))
    }
    if not rates:
        return []
    peak = max(rates.values())
    return [epoch for epoch in epochs if rates.get(epoch, 0.0) >= peak]


def _check_output_dir(out_path: str, run_path: str) -> None:
    """Refuses an output folder that is the run itself, holds it, or holds other files."""
    if out_path == run_path or run_path.startswith(out_path.rstrip(os.sep) + os.sep):
        raise TranslateError(
            f"the output directory {out_path} must differ from the run directory {run_path} "
            "and not hold it"
        )
    if os.path.exists(out_path):
        if not os.path.isdir(out_path):
            raise TranslateError(f"cannot write {out_path}: it is a file, not a folder")
        if os.listdir(out_path) and not os.path.exists(RunDir(out_path).config_file):
            raise TranslateError(
                f"{out_path} is a folder of other files, not a run directory; "
                "choose a new --out (it would be replaced)"
            )
    check_writable(os.path.join(out_path, "config.yaml"), "--out", new_folders=True)
