"""Training survives faults: kills at several points and a NaN loss, then resumes.

Each run is the real command, ``python -m translate train --config C --run-dir R``,
in a subprocess. A ``sitecustomize`` hook (active only when env ``ROBUST_HOOK``
is set) stops the run at an exact point -- a batch in mid-epoch, half-way
through writing the checkpoint weights, between committing the weights and
writing ``state.json`` -- so the test can deliver SIGINT, SIGTERM or SIGKILL
right there; or it makes the loss NaN. Then the same command is run again
until it finishes, and the run must end exactly like an uninterrupted one
(the same tiny run of ``helpers.make_run``, 2 epochs, trained in this process
meanwhile): same epochs and steps in
``checkpoint/state.json``, one ``metrics.jsonl`` record per epoch, the same
optimizer step count in the weights, and a loadable ``model.keras``.

The chains start subprocesses, so that test is marked ``slow``. Two chains of
runs go in parallel to keep the wall time down:

* A: SIGINT in mid-epoch 2 (exit 130) -> SIGKILL while the epoch-2 weights are
  half written -> run to the end.
* B: SIGTERM after the epoch-1 weights are committed but before ``state.json``
  exists -> NaN loss in epoch 2 (exit 2, checkpoint untouched) -> run to the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time

import h5py
import pytest
from helpers import TRAIN_PAIRS_KEPT, make_run, run_files, survives

HOOK = r'''
"""Test hook of tests/test_resume.py: stops `translate train` at a chosen point."""
import json
import os
import time

_SPEC = json.loads(os.environ.get("ROBUST_HOOK") or "null")


def _block(what):
    """Says where the run is (marker file), then waits to be killed."""
    with open(_SPEC["marker"] + ".tmp", "w") as handle:
        handle.write(what)
    os.replace(_SPEC["marker"] + ".tmp", _SPEC["marker"])
    time.sleep(900)


def _install():
    import keras
    from translate.training import callbacks
    from translate.training import losses
    from translate.runs import rundir

    kind = _SPEC["kind"]
    if kind == "batch":  # block after batch B (0-based) of epoch E (0-based)
        begin = callbacks.LearningRateController.on_epoch_begin
        end = callbacks.LearningRateController.on_train_batch_end

        def on_epoch_begin(self, epoch, logs=None):
            self.hook_epoch = epoch
            return begin(self, epoch, logs)

        def on_train_batch_end(self, batch, logs=None):
            end(self, batch, logs)
            if (self.hook_epoch, batch) == (_SPEC["epoch"], _SPEC["batch"]):
                _block(f"epoch {self.hook_epoch} batch {batch} step {self.state.step}")

        callbacks.LearningRateController.on_epoch_begin = on_epoch_begin
        callbacks.LearningRateController.on_train_batch_end = on_train_batch_end
    elif kind == "weights_write":  # half-written checkpoint weights, not yet renamed
        save_weights = keras.Model.save_weights

        def half_written(self, filepath, *args, **kwargs):
            save_weights(self, filepath, *args, **kwargs)
            if str(filepath).endswith("last.tmp.weights.h5"):
                with open(filepath, "r+b") as handle:
                    handle.truncate(os.path.getsize(filepath) // 2)
                _block(f"writing {filepath}")

        keras.Model.save_weights = half_written
    elif kind == "state_write":  # weights committed, state.json not written yet
        write = rundir.write_text

        def slow_write(path, *args, **kwargs):
            if str(path).endswith(rundir.STATE_FILE):
                _block(f"about to write {path}")
            return write(path, *args, **kwargs)

        rundir.write_text = slow_write
    elif kind == "nan":  # the loss turns NaN from the first step
        make_loss = losses.masked_cross_entropy

        def nan_loss(label_smoothing=0.0):
            loss = make_loss(label_smoothing)
            return lambda target_out, logits: loss(target_out, logits) * float("nan")

        losses.masked_cross_entropy = nan_loss


if _SPEC:
    _install()
'''

# The tiny run of helpers.make_run, trained to the end of its 2 epochs.
RESUME_OVERRIDES = ["training.max_steps=0"]
LAUNCH_TIMEOUT = 480  # seconds; runs take ~30-60 s on two busy cores


def _state(run_dir):
    path = os.path.join(run_dir, "checkpoint", "state.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _metrics(run_dir):
    path = os.path.join(run_dir, "metrics.jsonl")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _weights_info(path):
    """(embedded training state, optimizer iterations) of a checkpoint weights file."""
    with h5py.File(path, "r") as handle:
        state = (
            json.loads(handle.attrs["training_state"]) if "training_state" in handle.attrs else None
        )
        return state, int(handle["optimizer/vars/0"][()])


def _sha(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _snapshot(run_dir):
    """What a killed run left behind."""
    checkpoint = os.path.join(run_dir, "checkpoint")
    files = sorted(os.listdir(checkpoint)) if os.path.isdir(checkpoint) else []
    weights = os.path.join(checkpoint, "last.weights.h5")
    partial = os.path.join(checkpoint, "last.tmp.weights.h5")
    snap = {
        "state": _state(run_dir),
        "metrics": [r["epoch"] for r in _metrics(run_dir)],
        "files": files,
    }
    if os.path.exists(weights):
        snap["embedded"], snap["iterations"] = _weights_info(weights)
        snap["weights_sha"] = _sha(weights)
    if os.path.exists(partial):
        try:
            h5py.File(partial, "r").close()
            snap["partial_loads"] = True
        except OSError:
            snap["partial_loads"] = False
    from translate.runs.rundir import RunDir  # what a resumed run will start from

    resumed = RunDir(run_dir).read_state()
    snap["resume_epoch"] = resumed.epoch if resumed else 0
    model = os.path.join(run_dir, "model.keras")
    snap["model_sha"] = _sha(model) if os.path.exists(model) else None
    return snap


class Chain:
    """Runs the same train command again and again in one run directory."""

    def __init__(self, files, name, hook_dir):
        self.files, self.name, self.hook_dir = files, name, hook_dir
        self.run_dir = os.path.join(files["base"], f"resume-{name}")
        self.launches: list[dict] = []

    def launch(self, hook=None, signal_number=None):
        """Starts the command; with a hook, waits for its marker and sends ``signal_number``."""
        number = len(self.launches) + 1
        logs = os.path.join(self.files["base"], f"resume-{self.name}-{number}")
        env = {**os.environ, "TRANSLATE_PROGRESS": "0", "TF_CPP_MIN_LOG_LEVEL": "3"}
        env.pop("ROBUST_HOOK", None)
        marker = logs + ".marker"
        if hook:
            env["ROBUST_HOOK"] = json.dumps({**hook, "marker": marker})
            env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [self.hook_dir, env.get("PYTHONPATH")])
            )
        command = [
            sys.executable,
            "-m",
            "translate",
            "train",
            "--config",
            self.files["config"],
            "--run-dir",
            self.run_dir,
        ]
        started = time.monotonic()
        with open(logs + ".out", "w") as out, open(logs + ".err", "w") as err:
            process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
            where = None
            if hook:
                while not os.path.exists(marker) and process.poll() is None:
                    if time.monotonic() - started > LAUNCH_TIMEOUT:
                        break
                    time.sleep(0.2)
                if os.path.exists(marker):
                    with open(marker) as handle:
                        where = handle.read()
                    process.send_signal(signal_number)
            try:
                status = process.wait(
                    timeout=max(10, LAUNCH_TIMEOUT - (time.monotonic() - started))
                )
            except subprocess.TimeoutExpired:
                process.kill()
                status = process.wait()
        with open(logs + ".out") as out, open(logs + ".err") as err:
            record = {
                "command": command,
                "hook": hook,
                "where": where,
                "status": status,
                "stdout": out.read(),
                "stderr": err.read(),
                "seconds": round(time.monotonic() - started, 1),
                "after": _snapshot(self.run_dir),
            }
        self.launches.append(record)
        return record


def _run_chains(chains_and_plans):
    """Runs each chain's plan in its own thread; returns the exceptions raised, if any."""
    errors = []

    def work(chain, plan):
        try:
            for hook, signal_number in plan:
                chain.launch(hook, signal_number)
        except BaseException as error:  # reported by the test
            errors.append(error)

    threads = [threading.Thread(target=work, args=pair) for pair in chains_and_plans]
    for thread in threads:
        thread.start()
    return threads, errors


def _describe(chain):
    return "\n".join(
        f"--- {chain.name} launch {i + 1}: status {run['status']} at {run['where']!r} "
        f"({run['seconds']} s)\n{run['stdout'][-1500:]}\n{run['stderr'][-2500:]}"
        for i, run in enumerate(chain.launches)
    )


def _assert_like_uninterrupted(chain, baseline_dir):
    """The chain's run ended exactly as the uninterrupted one did."""
    final = chain.launches[-1]
    assert final["status"] == 0, _describe(chain)
    expected, got = _state(baseline_dir), _state(chain.run_dir)
    for key in ("epoch", "step", "finished", "stop_reason"):
        assert got[key] == expected[key], (key, got, expected)
    bleu = [r["dev_bleu"] for r in _metrics(baseline_dir) + _metrics(chain.run_dir)]
    if not any(bleu):  # same dev BLEU history (zero, for this tiny model): same LR schedule
        assert (got["best_epoch"], got["lr_scale"]) == (
            expected["best_epoch"],
            expected["lr_scale"],
        )
    expected_metrics = [(r["epoch"], r["step"]) for r in _metrics(baseline_dir)]
    assert [(r["epoch"], r["step"]) for r in _metrics(chain.run_dir)] == expected_metrics
    weights = os.path.join("checkpoint", "last.weights.h5")
    embedded, iterations = _weights_info(os.path.join(chain.run_dir, weights))
    base_embedded, base_iterations = _weights_info(os.path.join(baseline_dir, weights))
    assert iterations == base_iterations  # the optimizer state was restored, not restarted
    assert (embedded["epoch"], embedded["step"]) == (base_embedded["epoch"], base_embedded["step"])
    # The same files as the uninterrupted run: the checkpoint, its state and one weight
    # snapshot per kept epoch (none left over from an epoch trained twice, no temporaries).
    checkpoint_files = sorted(os.listdir(os.path.join(chain.run_dir, "checkpoint")))
    assert checkpoint_files == sorted(os.listdir(os.path.join(baseline_dir, "checkpoint")))
    assert {"last.weights.h5", "state.json", f"epoch-{expected['epoch']:03d}.npz"} <= set(
        checkpoint_files
    )
    assert not [name for name in checkpoint_files if "tmp" in name]
    from translate.inference.translator import Translator

    assert len(Translator.load(chain.run_dir).translate(["ein hund läuft ."])) == 1  # loads


@pytest.mark.slow
def test_killed_runs_resume_and_finish_like_an_uninterrupted_run(tmp_path_factory):
    base, overrides = tmp_path_factory.mktemp("resume"), RESUME_OVERRIDES
    files = run_files(base, "resume", overrides)
    hook_dir = str(tmp_path_factory.mktemp("hook"))
    with open(os.path.join(hook_dir, "sitecustomize.py"), "w", encoding="utf-8") as handle:
        handle.write(HOOK)
    a, b = Chain(files, "A", hook_dir), Chain(files, "B", hook_dir)
    threads, errors = _run_chains(
        [
            (
                a,
                [
                    ({"kind": "batch", "epoch": 1, "batch": 4}, signal.SIGINT),
                    ({"kind": "weights_write"}, signal.SIGKILL),
                    (None, None),
                ],
            ),
            (b, [({"kind": "state_write"}, signal.SIGTERM), ({"kind": "nan"}, None), (None, None)]),
        ]
    )
    baseline_log = make_run(base, "resume", overrides=overrides)["log"]  # uninterrupted
    for thread in threads:
        thread.join()
    assert not errors, errors
    baseline = files["run_dir"]
    steps_per_epoch = _state(baseline)["step"] // _state(baseline)["epoch"]
    assert steps_per_epoch >= 5

    # A1: SIGINT in mid-epoch 2 -> the CLI's message, exit 130, epoch-1 checkpoint.
    with survives("training fault", "SIGINT in mid-epoch"):
        first = a.launches[0]
        assert first["where"] == f"epoch 1 batch 4 step {steps_per_epoch + 5}", _describe(a)
        assert first["status"] == 130, _describe(a)
        assert "interrupted; run the same command again to resume" in first["stderr"]
        assert "Traceback" not in first["stderr"]
        after = first["after"]
        assert (after["state"]["epoch"], after["state"]["step"]) == (1, steps_per_epoch)
        assert after["metrics"] == [1] and after["resume_epoch"] == 1

    # A2: SIGKILL with the epoch-2 weights half written: the partial file is never used.
    with survives("training fault", "SIGKILL while writing the checkpoint"):
        second = a.launches[1]
        assert "resuming after epoch 1" in second["stdout"], _describe(a)
        assert (
            second["where"].endswith("last.tmp.weights.h5") and second["status"] == -signal.SIGKILL
        )
        after = second["after"]
        assert "last.tmp.weights.h5" in after["files"] and after["partial_loads"] is False
        assert after["state"]["epoch"] == 1 and after["embedded"]["epoch"] == 1
        assert after["weights_sha"] == first["after"]["weights_sha"]  # the old checkpoint, intact
        assert after["resume_epoch"] == 1
        assert after["metrics"] == [1, 2]  # epoch 2's record came before its checkpoint ...
    with survives("training fault", "resume after SIGINT and SIGKILL"):
        assert "resuming after epoch 1" in a.launches[2]["stdout"], _describe(a)
        _assert_like_uninterrupted(a, baseline)  # ... and the resumed run dropped it

    # B1: SIGTERM between committing the epoch-1 weights and writing state.json.
    with survives("training fault", "SIGTERM between weights and state.json"):
        first = b.launches[0]
        assert first["where"].startswith("about to write") and first["status"] == -signal.SIGTERM, (
            _describe(b)
        )
        after = first["after"]
        assert after["state"] is None  # state.json never written ...
        assert after["embedded"]["epoch"] == 1 and after["embedded"]["step"] == steps_per_epoch
        assert after["resume_epoch"] == 1  # ... yet the run resumes after epoch 1
        assert after["files"] == ["epoch-001.npz", "last.weights.h5"]  # the snapshot comes first

    # B2: a NaN loss stops with a clear message and keeps the last good checkpoint.
    with survives("training fault", "NaN loss"):
        second = b.launches[1]
        assert second["status"] == 2, _describe(b)
        errors = [line for line in second["stderr"].splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "Traceback" not in second["stderr"], _describe(b)
        assert f"training loss became nan at step {steps_per_epoch + 1}" in errors[0]
        assert "last good checkpoint (epoch 1)" in errors[0]
        after = second["after"]
        assert after["weights_sha"] == first["after"]["weights_sha"]
        assert after["model_sha"] == first["after"]["model_sha"]
        assert after["resume_epoch"] == 1 and after["metrics"] == [1]
    with survives("training fault", "resume after SIGTERM and NaN"):
        assert "resuming after epoch 1" in b.launches[2]["stdout"], _describe(b)
        _assert_like_uninterrupted(b, baseline)

    # The uninterrupted run itself.
    assert f"{TRAIN_PAIRS_KEPT} training pairs kept" in baseline_log
    assert "training finished: completed 2 epochs" in baseline_log


def test_finished_run_is_not_trained_again(tiny_run, capsys):
    files = tiny_run
    before = _sha(os.path.join(files["run_dir"], "checkpoint", "last.weights.h5"))
    from translate.cli import commands as cli

    assert cli.main(["train", "--config", files["config"], "--run-dir", files["run_dir"]]) == 0
    assert "training already finished" in capsys.readouterr().out
    assert _sha(os.path.join(files["run_dir"], "checkpoint", "last.weights.h5")) == before


def test_resume_with_another_config_is_refused(tiny_run, capsys):
    files = tiny_run
    from translate.cli import commands as cli

    status = cli.main(
        [
            "train",
            "--config",
            files["config"],
            "--run-dir",
            files["run_dir"],
            "--set",
            "model.encoder_units=32",
        ]
    )
    err = capsys.readouterr().err
    with survives("training fault", "resume with a changed config"):
        assert status == 2 and "model.encoder_units: 16 -> 32" in err, err


@pytest.mark.slow
def test_epochs_lowered_to_the_checkpoint_end_the_run_completed_and_a_raise_resumes(
    tmp_path, monkeypatch
):
    # A run interrupted in epoch 2 of 2, run again with training.epochs=1: it has nothing
    # to train, and must end "completed 1 epochs", a stop that raising the limit lifts.
    from translate import load_config, train
    from translate.training import callbacks

    files = run_files(tmp_path, "lowered", RESUME_OVERRIDES)
    begin = callbacks.LearningRateController.on_epoch_begin

    def interrupt_epoch_2(self, epoch, logs=None):
        if epoch == 1:
            raise KeyboardInterrupt
        return begin(self, epoch, logs)

    monkeypatch.setattr(callbacks.LearningRateController, "on_epoch_begin", interrupt_epoch_2)
    with pytest.raises(KeyboardInterrupt):
        train(load_config(files["config"]), files["run_dir"])
    monkeypatch.undo()
    assert _state(files["run_dir"])["epoch"] == 1 and not _state(files["run_dir"])["finished"]

    state = train(load_config(files["config"], ["training.epochs=1"]), files["run_dir"])
    assert (state.finished, state.epoch, state.stop_reason) == (True, 1, "completed 1 epochs")

    state = train(load_config(files["config"]), files["run_dir"])
    assert (state.epoch, state.stop_reason) == (2, "completed 2 epochs")
    assert [record["epoch"] for record in _metrics(files["run_dir"])] == [1, 2]
