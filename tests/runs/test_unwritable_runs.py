"""A run directory that cannot be written fails before training and loses nothing.

An unwritable or full disk is refused before the first step; a full disk during a
save keeps the previous checkpoint; a second training on a locked run directory
is refused naming the process that holds it.

Every case goes through ``bad_input`` or ``survives`` of ``helpers.py``, which
record it; with env ``ROBUSTNESS_CASES=FILE`` the record is written there at the
end of the session (``benchmarks/robustness_report.py`` counts it).
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import shutil
from unittest import mock

from helpers import (
    bad_input,
    copy_run,
    one_error_line,
    run_cli,
)

from translate import TranslateError
from translate.config.schema import load_config


def _sha(path) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_unwritable_run_dir_fails_before_training(tiny_run, tmp_path):
    from translate.training.train import train

    config = load_config(tiny_run["config"])
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    with bad_input("disk", "run dir below a file", str(blocker / "run"), "not writable"):
        train(config, str(blocker / "run"))
    with bad_input("disk", "run dir is a file", str(blocker), "is a file"):
        train(config, str(blocker))
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with bad_input("disk", "read-only parent", "not writable", "Permission denied"):
            train(config, str(locked / "run"))


def test_full_disk_fails_before_training(tiny_run, tmp_path):
    from translate.runs import rundir
    from translate.training import train as training

    run_dir = tmp_path / "run"
    usage = shutil.disk_usage(tmp_path)
    tiny = usage._replace(free=1_000_000)
    with (
        mock.patch.object(rundir.shutil, "disk_usage", return_value=tiny),
        bad_input(
            "disk", "not enough disk space", str(run_dir), "not enough free disk space", "1 MB free"
        ),
    ):
        training.train(load_config(tiny_run["config"]), str(run_dir))
    assert os.listdir(run_dir) == []  # stopped before writing anything


def test_disk_full_during_a_save_keeps_the_previous_checkpoint(tiny_run, tmp_path):
    from translate.inference.translator import Translator, load_model
    from translate.runs.rundir import RunDir
    from translate.training.state import TrainingState

    run_dir = copy_run(tiny_run, tmp_path)
    weights = os.path.join(run_dir, "checkpoint", "last.weights.h5")
    state = os.path.join(run_dir, "checkpoint", "state.json")
    before = (_sha(weights), _sha(state))
    model = load_model(os.path.join(run_dir, "model.keras"))

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    new_state = dataclasses.replace(TrainingState(), epoch=4, step=99)
    with (
        mock.patch.object(type(model), "save_weights", no_space),
        bad_input(
            "disk",
            "ENOSPC while saving the checkpoint",
            "No space left on device",
            "previous checkpoint is kept",
        ),
    ):
        RunDir(run_dir).save_checkpoint(model, new_state)
    with (
        mock.patch.object(type(model), "save", no_space),
        bad_input("disk", "ENOSPC while saving model.keras", "model.keras", "No space left"),
    ):
        RunDir(run_dir).save_model(model)
    assert (_sha(weights), _sha(state)) == before
    Translator.load(run_dir)  # still a working run directory


def test_a_second_training_on_a_locked_run_dir_is_refused_naming_the_pid(
    tiny_run, tmp_path, capsys
):
    from translate.runs.rundir import RunDir

    run_dir = copy_run(tiny_run, tmp_path)
    argv = ["train", "--config", tiny_run["config"], "--run-dir", run_dir]
    with (
        RunDir(run_dir).lock(),
        bad_input("train", "second training on a locked run directory", run_dir, str(os.getpid())),
    ):
        status, _, err = run_cli(argv, capsys)
        raise TranslateError(one_error_line(status, err))
