"""``training.init_from``: a new run starts from another run's best model and tokenizer.

The source is the session's tiny run (``helpers.make_run``); every test checks
that it is never written to, by the bytes and modification times of its files.
"""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest
from helpers import copy_run, one_error_line, run_cli

from translate import TranslateError
from translate.config.schema import load_config
from translate.inference.translator import load_model
from translate.runs.rundir import RunDir
from translate.training.train import train


def _files(folder: str) -> dict[str, tuple[bytes, int]]:
    """The bytes and modification time (ns) of every file under ``folder``, by relative path."""
    found = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, folder)] = (handle.read(), os.stat(path).st_mtime_ns)
    return found


def _config(tiny_run, source: str, *overrides: str):
    """The tiny run's config starting from ``source``, with ``overrides``."""
    return load_config(tiny_run["config"], [f"training.init_from={json.dumps(source)}", *overrides])


@pytest.mark.slow  # trains a run or starts a process
def test_a_new_run_starts_from_the_best_model_with_fresh_training_state(tiny_run, tmp_path, capsys):
    source = tiny_run["run_dir"]
    before = _files(source)
    run = RunDir(tmp_path / "new")
    # A learning rate too small to move the weights: the new model must be the source's.
    config = _config(
        tiny_run, source, "model.dropout=0.2", "training.max_steps=2", "training.learning_rate=1e-9"
    )
    state = train(config, run.path)
    out = capsys.readouterr().out
    assert "(training.init_from) with a fresh optimizer, learning-rate schedule" in out
    assert "resuming" not in out
    # A fresh step count, best score and early stopping: 2 steps, not 3 + 2.
    assert (state.epoch, state.step, state.best_epoch, state.finished) == (1, 2, 1, True)
    expected = load_model(RunDir(source).model_file).get_weights()
    for got, want in zip(load_model(run.model_file).get_weights(), expected, strict=True):
        np.testing.assert_allclose(got, want, atol=1e-5)
    # The tokenizer is the source's, copied with its origin recorded.
    for name in ("joint.model",):
        assert (
            before[os.path.join("tokenizer", name)][0]
            == open(os.path.join(run.tokenizer_dir, name), "rb").read()
        )
    with open(run.tokenizer_origin_file, encoding="utf-8") as handle:
        origin = json.load(handle)["copied_from"]
    assert origin == os.path.join(os.path.abspath(source), "tokenizer")
    assert _files(source) == before


@pytest.mark.slow  # trains a run or starts a process
def test_a_resumed_run_goes_on_from_its_own_checkpoint_not_the_source(tiny_run, tmp_path, capsys):
    source = copy_run(tiny_run, tmp_path)
    run = RunDir(tmp_path / "new")
    train(_config(tiny_run, source, "training.max_steps=2"), run.path)
    capsys.readouterr()
    shutil.rmtree(source)  # Resuming must not need the source, nor read its weights.
    resumed = train(_config(tiny_run, source, "training.max_steps=4"), run.path)
    out = capsys.readouterr().out
    assert "resuming after epoch 1 (step 2," in out
    assert "training.init_from) with a fresh optimizer" not in out
    assert (resumed.epoch, resumed.step, resumed.finished) == (2, 4, True)


def test_the_cli_option_sets_the_key(tiny_run, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    argv = ["train", "--config", tiny_run["config"], "--run-dir", str(tmp_path / "new")]
    line = one_error_line(*run_cli(argv + ["--init-from", str(empty)], capsys)[::2])
    assert line == (
        f"error: training.init_from={str(empty)!r}: {empty} is not a trained model "
        "directory: missing config.yaml, tokenizer, model.keras"
    )


def test_shape_changing_model_keys_are_one_error_naming_each(tiny_run, tmp_path):
    source = tiny_run["run_dir"]
    before = _files(source)
    run = RunDir(tmp_path / "new")
    config = _config(
        tiny_run, source, "model.embedding_dim=24", "model.attention=luong", "model.dropout=0.5"
    )
    with pytest.raises(TranslateError) as error:
        train(config, run.path)
    message = str(error.value)
    assert f"model.embedding_dim: 16 in {source}, 24 here" in message
    assert f"model.attention: 'bahdanau' in {source}, 'luong' here" in message
    assert "dropout" not in message
    assert not os.path.exists(run.config_file)  # Nothing of the run was written.
    assert _files(source) == before


def test_a_source_that_is_not_a_finished_run_or_whose_model_does_not_load(tiny_run, tmp_path):
    run_dir = str(tmp_path / "new")
    missing = str(tmp_path / "nowhere")
    with pytest.raises(TranslateError) as error:
        train(_config(tiny_run, missing), run_dir)
    assert str(error.value) == (
        f"training.init_from={missing!r}: model directory not found: {missing}"
    )
    unfinished = copy_run(tiny_run, tmp_path)
    os.remove(os.path.join(unfinished, "model.keras"))
    with pytest.raises(TranslateError) as error:
        train(_config(tiny_run, unfinished), run_dir)
    assert str(error.value) == (
        f"training.init_from={unfinished!r}: {unfinished} is not a trained model directory: "
        "missing model.keras (training has not finished an epoch yet?)"
    )
    with open(os.path.join(unfinished, "model.keras"), "wb") as handle:
        handle.write(b"PK\x03\x04 not a zip")
    with pytest.raises(TranslateError, match=r"training.init_from=.*model.keras: not a Keras"):
        train(_config(tiny_run, unfinished), run_dir)


def test_init_from_cannot_resume_a_run_started_another_way(tiny_run, tmp_path):
    source = tiny_run["run_dir"]
    started_fresh = copy_run(tiny_run, tmp_path)
    with pytest.raises(TranslateError) as error:
        train(_config(tiny_run, source, "training.max_steps=5"), started_fresh)
    assert str(error.value) == (
        f"{started_fresh} holds a run started without training.init_from; it cannot go on "
        f"with training.init_from={source!r}: use a new --run-dir, or the run's own setting"
    )
    other = str(tmp_path / "other")
    run = RunDir(tmp_path / "new")
    os.makedirs(run.path)
    run.save_config(_config(tiny_run, source))
    with pytest.raises(TranslateError, match=f"started from {source}; it cannot go on with"):
        train(_config(tiny_run, other), run.path)
    # Resuming it without the key is refused too, naming the source it was started from.
    with pytest.raises(TranslateError) as error:
        train(load_config(tiny_run["config"]), run.path)
    assert str(error.value) == (
        f"{run.path} holds a run started from {source}; it cannot go on with no "
        "training.init_from: use a new --run-dir, or the run's own setting"
    )


def test_init_from_excludes_a_tokenizer_of_its_own(tiny_run, tmp_path):
    source = tiny_run["run_dir"]
    config = _config(tiny_run, source, f"data.tokenizer_dir={json.dumps(source)}")
    with pytest.raises(TranslateError, match="leave data.tokenizer_dir out"):
        train(config, tmp_path / "new")
