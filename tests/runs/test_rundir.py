"""Tests of the run directory: its layout, checks, lock, checkpoint, state and snapshots."""

import dataclasses
import errno
import json
import os
import re
from unittest import mock

import h5py
import keras
import numpy as np
import pytest

from translate import TranslateError
from translate.config.schema import load_config
from translate.runs import rundir
from translate.runs.rundir import RunDir, check_run_dir
from translate.training.state import TrainingState


def _model(seed=0):
    """A small compiled Keras model with built optimizer state."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="dense")])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    model.fit(np.ones((4, 3)), np.zeros((4, 2)), epochs=1, batch_size=2, verbose=0)
    return model


def test_layout_keeps_the_names_of_earlier_runs(tmp_path):
    run = RunDir(tmp_path)
    names = {
        run.config_file: "config.yaml",
        run.tokenizer_dir: "tokenizer",
        run.model_file: "model.keras",
        run.metrics_file: "metrics.jsonl",
        run.logs_dir: "logs",
        run.lock_file: "train.lock",
        run.checkpoint_dir: "checkpoint",
        run.weights_file: os.path.join("checkpoint", "last.weights.h5"),
        run.state_file: os.path.join("checkpoint", "state.json"),
        run.snapshot_file(7): os.path.join("checkpoint", "epoch-007.npz"),
    }
    for path, name in names.items():
        assert path == os.path.join(str(tmp_path), name)


# Checks ------------------------------------------------------------------------------------


def test_check_trained_names_what_is_missing(tmp_path):
    with pytest.raises(TranslateError, match="model directory not found"):
        check_run_dir(tmp_path / "nowhere")
    run = RunDir(tmp_path)
    with pytest.raises(TranslateError, match="missing config.yaml, tokenizer, model.keras$"):
        run.check_trained()
    (tmp_path / "config.yaml").write_text("", encoding="utf-8")
    (tmp_path / "tokenizer").mkdir()
    with pytest.raises(TranslateError, match=r"missing model.keras \(training has not finished"):
        run.check_trained()
    (tmp_path / "model.keras").write_bytes(b"")
    assert check_run_dir(tmp_path).path == str(tmp_path)
    (tmp_path / "1").mkdir()
    (tmp_path / "1" / "saved_model.pb").write_bytes(b"")
    with pytest.raises(TranslateError, match="is a SavedModel export, not a run directory"):
        run.check_trained()


def test_check_writable_creates_the_folder_or_says_why_not(tmp_path):
    RunDir(tmp_path / "a" / "run").check_writable(needed_bytes=0)
    assert os.listdir(tmp_path / "a" / "run") == []
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(TranslateError, match="is a file, not a folder"):
        RunDir(tmp_path / "file").check_writable(0)
    with pytest.raises(TranslateError, match="is not writable"):
        RunDir(tmp_path / "file" / "run").check_writable(0)
    tiny = mock.Mock(free=3_000_000)
    with (
        mock.patch.object(rundir.shutil, "disk_usage", return_value=tiny),
        pytest.raises(TranslateError, match="3 MB free, training needs about 50 MB"),
    ):
        RunDir(tmp_path / "b").check_writable(50_000_000)


def test_resuming_with_another_config_lists_the_differences(tmp_path):
    run = RunDir(tmp_path)
    run.check_same_config(load_config(None))  # nothing saved yet: anything goes
    run.save_config(load_config(None, ["model.encoder_units=16"]))
    run.check_same_config(
        load_config(None, ["model.encoder_units=16", "training.epochs=40", "training.max_steps=9"])
    )  # limits may change
    with pytest.raises(
        TranslateError,
        match=r"another config \(model.encoder_units: 16 -> 32; "
        r"training.seed: 1234 -> 5\); use a new --run-dir",
    ):
        run.check_same_config(load_config(None, ["model.encoder_units=32", "training.seed=5"]))


def test_config_of_an_earlier_version_still_loads_and_resumes(tmp_path):
    """A run saved with a key this version dropped (``decoding.compact``) loads as before."""
    run = RunDir(tmp_path)
    run.save_config(load_config(None, ["training.epochs=3"]))
    with open(run.config_file, "a", encoding="utf-8") as handle:
        handle.write("  compact: true\n")  # the decoding section is the last one
    assert run.load_config() == load_config(None, ["training.epochs=3"])
    run.check_same_config(load_config(None, ["training.epochs=5"]))


def test_lock_refuses_a_second_trainer_and_names_the_folder(tmp_path):
    run = RunDir(tmp_path)
    with run.lock():
        message = f"{run.path} is being trained by another process (pid {os.getpid()})"
        with pytest.raises(TranslateError, match=re.escape(message)):
            with RunDir(tmp_path).lock():
                pass
    with run.lock():  # free again
        pass


# Writes and reads --------------------------------------------------------------------------


def test_config_is_written_as_before_and_read_back(tmp_path):
    run = RunDir(tmp_path)
    config = load_config(None, ["training.epochs=3"])
    run.save_config(config)
    assert load_config(run.config_file) == config
    assert os.listdir(tmp_path) == ["config.yaml"]


def test_checkpoint_holds_weights_optimizer_and_state_together(tmp_path):
    run = RunDir(tmp_path)
    assert run.read_state() is None
    model = _model()
    state = TrainingState(epoch=2, step=4, best_bleu=1.5, best_epoch=1)
    run.save_checkpoint(model, state)
    assert sorted(os.listdir(run.checkpoint_dir)) == ["last.weights.h5", "state.json"]
    payload = dataclasses.asdict(state)
    with open(run.state_file, encoding="utf-8") as handle:
        assert handle.read() == json.dumps(payload, indent=2)  # the format of earlier runs
    with h5py.File(run.weights_file, "r") as handle:
        assert json.loads(handle.attrs["training_state"]) == payload
    assert run.read_state() == state
    restored = _model(seed=1)
    run.load_checkpoint(restored)
    for got, expected in zip(restored.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(got, expected)
    assert int(restored.optimizer.iterations.numpy()) == 2


def test_state_in_the_weights_wins_when_state_json_is_behind(tmp_path):
    """A kill between committing the weights and writing state.json loses nothing."""
    run = RunDir(tmp_path)
    model = _model()
    run.save_checkpoint(model, TrainingState(epoch=1, step=2))
    with mock.patch.object(rundir, "write_text", side_effect=KeyboardInterrupt):
        with pytest.raises(KeyboardInterrupt):
            run.save_checkpoint(model, TrainingState(epoch=2, step=4))
    with open(run.state_file, encoding="utf-8") as handle:
        assert json.load(handle)["epoch"] == 1
    assert run.read_state() == TrainingState(epoch=2, step=4)


def test_damaged_checkpoint_files_are_clear_errors(tmp_path):
    run = RunDir(tmp_path)
    os.makedirs(run.checkpoint_dir)
    with open(run.state_file, "w", encoding="utf-8") as handle:
        handle.write('{"epoch": 3,')
    with pytest.raises(TranslateError, match=r"state.json: damaged training state"):
        run.read_state()
    with open(run.weights_file, "wb") as handle:
        handle.write(b"not hdf5")
    with pytest.raises(TranslateError, match=r"last.weights.h5: cannot load the checkpoint"):
        run.load_checkpoint(_model())


def test_a_full_disk_keeps_the_previous_checkpoint_and_model(tmp_path):
    run = RunDir(tmp_path)
    model = _model()
    run.save_checkpoint(model, TrainingState(epoch=1))
    run.save_model(model)
    before = [
        open(path, "rb").read() for path in (run.weights_file, run.state_file, run.model_file)
    ]

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with (
        mock.patch.object(type(model), "save_weights", no_space),
        pytest.raises(
            TranslateError, match="No space left on device; the previous checkpoint is kept"
        ),
    ):
        run.save_checkpoint(model, TrainingState(epoch=2))
    with (
        mock.patch.object(type(model), "save", no_space),
        pytest.raises(TranslateError, match="model.keras: No space left on device"),
    ):
        run.save_model(model)
    after = [open(path, "rb").read() for path in (run.weights_file, run.state_file, run.model_file)]
    assert after == before
    assert not [name for name in os.listdir(run.checkpoint_dir) if "tmp" in name]


def test_metrics_are_trimmed_to_the_checkpoint_on_resume(tmp_path):
    run = RunDir(tmp_path)
    run.trim_metrics(3)  # no file yet
    for epoch in (1, 2, 3):
        run.append_metrics({"epoch": epoch, "loss": 1.0})
    with open(run.metrics_file, "a", encoding="utf-8") as handle:
        handle.write('{"epoch": 4, "lo')  # torn by a kill
    run.trim_metrics(2)
    with open(run.metrics_file, encoding="utf-8") as handle:
        assert [json.loads(line)["epoch"] for line in handle] == [1, 2]


def test_metrics_reads_epoch_records_and_skips_a_torn_last_line(tmp_path):
    run = RunDir(tmp_path)
    assert run.metrics() == []  # no file before the first epoch
    run.append_metrics({"epoch": 1, "loss": 2.5})
    with open(run.metrics_file, "a", encoding="utf-8") as handle:
        handle.write("\n")  # blank lines are no records
    run.append_metrics({"epoch": 2, "loss": 2.0})
    with open(run.metrics_file, "a", encoding="utf-8") as handle:
        handle.write('{"epoch": 3, "lo')  # torn by a kill
    assert run.metrics() == [{"epoch": 1, "loss": 2.5}, {"epoch": 2, "loss": 2.0}]
    with open(run.metrics_file, "a", encoding="utf-8") as handle:
        handle.write("\n")  # the torn line is no longer the last: it is damage
    with pytest.raises(TranslateError, match=r"metrics.jsonl, line 4: not a JSON record"):
        run.metrics()


def test_copy_from_copies_config_and_tokenizer(tmp_path):
    source, target = RunDir(tmp_path / "a"), RunDir(tmp_path / "b")
    source.save_config(load_config(None))
    os.makedirs(source.tokenizer_dir)
    (tmp_path / "a" / "tokenizer" / "joint.model").write_bytes(b"pieces")
    target.copy_from(source)
    target.copy_from(source)  # again, over the first copy
    assert sorted(os.listdir(target.path)) == ["config.yaml", "tokenizer"]
    assert (tmp_path / "b" / "tokenizer" / "joint.model").read_bytes() == b"pieces"


# Weight snapshots --------------------------------------------------------------------------


def test_snapshots_keep_only_the_newest(tmp_path):
    run, model = RunDir(tmp_path), _model()
    for epoch in range(1, 6):
        run.save_snapshot(model, epoch, keep=2)
    assert [epoch for epoch, _ in run.snapshots()] == [4, 5]
    assert not [name for name in os.listdir(run.checkpoint_dir) if "tmp" in name]
    with np.load(run.snapshot_file(5)) as snapshot:
        assert sorted(snapshot.files) == ["dense/bias", "dense/kernel"]


def test_resaving_an_epoch_drops_snapshots_of_later_epochs(tmp_path):
    """A run resumed after epoch 3 trains epochs 4 and 5 again: their old snapshots go."""
    run, model = RunDir(tmp_path), _model()
    for epoch in range(1, 6):
        run.save_snapshot(model, epoch, keep=10)
    run.save_snapshot(model, 4, keep=10)
    assert [epoch for epoch, _ in run.snapshots()] == [1, 2, 3, 4]


def test_keep_zero_writes_nothing(tmp_path):
    run = RunDir(tmp_path)
    run.save_snapshot(_model(), 1, keep=0)
    assert run.snapshots() == [] and os.listdir(tmp_path) == []
