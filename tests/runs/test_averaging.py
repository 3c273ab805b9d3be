"""Tests of ``translate average``: the mean of the last epoch snapshots as a run directory."""

import json
import os
import shutil

import keras
import numpy as np
import pytest
from helpers import make_model

from translate import TranslateError
from translate.cli.commands import main
from translate.inference.translator import Translator
from translate.model import Seq2Seq
from translate.runs.averaging import average_run, peak_rate_epochs
from translate.runs.rundir import RunDir

# Each test trains or exports a run of its own: tens of seconds in all.
pytestmark = pytest.mark.slow


@pytest.fixture()
def run_dir(random_run, random_translator, tmp_path):
    """A copy of the random run with snapshots of epochs 1-4, each a different random model.

    Returns:
        ``(run_dir, {epoch: weights})``.
    """
    path = str(tmp_path / "run")
    shutil.copytree(random_run, path)
    run = RunDir(path)
    config = run.load_config()
    sizes = random_translator.model  # the vocabulary sizes of the run's tokenizer
    weights = {}
    for epoch in range(1, 5):
        keras.utils.set_random_seed(epoch)
        model = Seq2Seq.from_config_section(
            config.model, sizes.source_vocab_size, sizes.target_vocab_size
        )
        model.build()
        run.save_snapshot(model, epoch, keep=3)
        weights[epoch] = [np.array(w) for w in model.get_weights()]
    run.save_model(model)
    return path, weights


def test_average_run_writes_the_mean_of_the_last_epochs(run_dir, tmp_path):
    path, weights = run_dir
    out = str(tmp_path / "averaged")
    output_dir, epochs = average_run(path, last=2, output_dir=out)
    assert output_dir == out and epochs == [3, 4]
    averaged = Translator.load(out).model.get_weights()
    for got, third, fourth in zip(averaged, weights[3], weights[4]):
        np.testing.assert_allclose(got, (third + fourth) / 2, rtol=1e-6, atol=1e-7)
    assert any(not np.allclose(a, b) for a, b in zip(weights[3], weights[4]))
    # The averaged run translates like any other run directory: as the run's own model
    # does with the averaged weights.
    reference = Translator.load(path)
    reference.model.set_weights(averaged)
    sentences = ["Ein Mann fährt ein Fahrrad.", "Zwei Hunde sehen einen Ball."]
    got = Translator.load(out).translate(sentences, beam_size=2, n_best=2)
    expected = reference.translate(sentences, beam_size=2, n_best=2)
    assert [t.hypotheses for t in got] == [t.hypotheses for t in expected]
    assert len(got) == 2 and all(len(t.hypotheses) == 2 for t in got)


def test_average_command_line_default_output(run_dir, capsys):
    path, _ = run_dir
    assert main(["average", "--model", path, "--last", "3"]) == 0
    assert "averaged epochs 2, 3, 4" in capsys.readouterr().out
    assert os.path.isfile(os.path.join(path, "averaged-last-3", "model.keras"))


def _write_rates(path: str, rates: list[float]) -> None:
    with open(RunDir(path).metrics_file, "w", encoding="utf-8") as handle:
        for epoch, rate in enumerate(rates, start=1):
            handle.write(json.dumps({"epoch": epoch, "learning_rate": rate}) + "\n")
        handle.write('{"epoch": 5, "learn')  # a line torn by a kill is skipped


def test_snapshots_at_the_peak_learning_rate_are_named(run_dir, capsys):
    path, _ = run_dir
    _write_rates(path, [1e-3, 1e-3, 5e-4, 2.5e-4])
    assert peak_rate_epochs(path, [2, 3, 4]) == [2]
    assert main(["average", "--model", path, "--last", "3"]) == 0
    assert "note: epoch(s) 2 ended at the run's peak learning rate" in capsys.readouterr().err
    assert peak_rate_epochs(path, [3, 4]) == []
    assert main(["average", "--model", path, "--last", "2", "--out", path + "-avg2"]) == 0
    assert "note:" not in capsys.readouterr().err


def test_asking_for_more_epochs_than_kept_names_the_files(run_dir):
    path, _ = run_dir
    expected = (
        r"holds 3 epoch snapshot\(s\) \(epoch-002.npz, epoch-003.npz, epoch-004.npz\), "
        r"fewer than --last 5"
    )
    with pytest.raises(TranslateError, match=expected):
        average_run(path, last=5)


def test_snapshot_of_another_model_is_refused(run_dir):
    path, _ = run_dir
    other = make_model(attention="luong")
    RunDir(path).save_snapshot(other, 5, keep=5)
    with pytest.raises(TranslateError, match=r"epoch-005.npz: not a snapshot of this model"):
        average_run(path, last=2)


def test_damaged_snapshot_is_named(run_dir):
    path, _ = run_dir
    with open(os.path.join(path, "checkpoint", "epoch-004.npz"), "wb") as handle:
        handle.write(b"not a zip file")
    with pytest.raises(TranslateError, match=r"epoch-004.npz: cannot read the snapshot"):
        average_run(path, last=2)
