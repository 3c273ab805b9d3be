"""Tests of epoch weight snapshots and ``translate average``."""

import os

import keras
import numpy as np
import pytest

from translate.averaging import average_run, list_snapshots, save_snapshot
from translate.cli import main
from translate.config import Config, ModelConfig, save_config
from translate.errors import TranslateError
from translate.model import Seq2Seq
from translate.tokenizer import SubwordTokenizer
from translate.translator import Translator

_PAIRS = [(f"ein {w} hund", f"a {e} dog") for w, e in
          [("roter", "red"), ("blauer", "blue"), ("kleiner", "small"), ("großer", "big")]] * 20


def _model(seed):
    keras.utils.set_random_seed(seed)
    model = Seq2Seq(40, 40, embedding_dim=8, encoder_units=8, decoder_units=8,
                    dropout=0.0, embedding_dropout=0.0)
    model.build()
    return model


@pytest.fixture()
def run_dir(tmp_path):
    """A run directory with snapshots of epochs 1-4, each a different random model.

    Returns:
        ``(run_dir, {epoch: weights})``.
    """
    keras.utils.set_random_seed(0)  # Before the tokenizer: seeding clears its kernels.
    tokenizer = SubwordTokenizer.train([s for s, _ in _PAIRS], [t for _, t in _PAIRS], 40)
    config = Config(model=ModelConfig(embedding_dim=8, encoder_units=8, decoder_units=8))
    save_config(config, str(tmp_path / "config.yaml"))
    tokenizer.save(str(tmp_path / "tokenizer"))
    weights = {}
    for epoch in range(1, 5):
        model = Seq2Seq.from_config_section(config.model, tokenizer.source_vocab_size,
                                            tokenizer.target_vocab_size)
        keras.utils.set_random_seed(epoch)
        model.build()
        save_snapshot(model, str(tmp_path / "checkpoint"), epoch, keep=3)
        weights[epoch] = [np.array(w) for w in model.get_weights()]
    model.save(str(tmp_path / "model.keras"))
    return str(tmp_path), weights


def test_snapshots_keep_only_the_newest(tmp_path):
    model = _model(0)
    folder = str(tmp_path)
    for epoch in range(1, 6):
        save_snapshot(model, folder, epoch, keep=2)
    assert [epoch for epoch, _ in list_snapshots(folder)] == [4, 5]
    assert not [name for name in os.listdir(folder) if "tmp" in name]


def test_resaving_an_epoch_drops_snapshots_of_later_epochs(tmp_path):
    """A run resumed after epoch 3 trains epochs 4 and 5 again: their old snapshots go."""
    model = _model(0)
    for epoch in range(1, 6):
        save_snapshot(model, str(tmp_path), epoch, keep=10)
    save_snapshot(model, str(tmp_path), 4, keep=10)
    assert [epoch for epoch, _ in list_snapshots(str(tmp_path))] == [1, 2, 3, 4]


def test_keep_zero_writes_nothing(tmp_path):
    save_snapshot(_model(0), str(tmp_path), 1, keep=0)
    assert list_snapshots(str(tmp_path)) == []


def test_average_run_writes_the_mean_of_the_last_epochs(run_dir, tmp_path):
    path, weights = run_dir
    out = str(tmp_path / "averaged")
    output_dir, epochs = average_run(path, last=2, output_dir=out)
    assert output_dir == out and epochs == [3, 4]
    averaged = Translator.load(out).model.get_weights()
    for got, third, fourth in zip(averaged, weights[3], weights[4]):
        np.testing.assert_allclose(got, (third + fourth) / 2, rtol=1e-6, atol=1e-7)
    assert any(not np.allclose(a, b) for a, b in zip(weights[3], weights[4]))
    # The averaged run translates like any other run directory.
    assert Translator.load(out).translate(["ein roter hund"], beam_size=2)[0].text is not None


def test_average_command_line_default_output(run_dir, capsys):
    path, _ = run_dir
    assert main(["average", "--model", path, "--last", "3"]) == 0
    assert "averaged epochs 2, 3, 4" in capsys.readouterr().out
    assert os.path.isfile(os.path.join(path, "averaged-last-3", "model.keras"))


def test_asking_for_more_epochs_than_kept_names_the_files(run_dir):
    path, _ = run_dir
    with pytest.raises(TranslateError, match=r"holds 3 epoch snapshot\(s\) \(epoch-002.npz, "
                                             r"epoch-003.npz, epoch-004.npz\), fewer than --last 5"):
        average_run(path, last=5)


def test_snapshot_of_another_model_is_refused(run_dir):
    path, _ = run_dir
    other = Seq2Seq(40, 40, embedding_dim=8, encoder_units=8, decoder_units=8, attention="luong")
    other.build()
    save_snapshot(other, os.path.join(path, "checkpoint"), 5, keep=5)
    with pytest.raises(TranslateError, match=r"epoch-005.npz: not a snapshot of this model"):
        average_run(path, last=2)


def test_damaged_snapshot_is_named(run_dir):
    path, _ = run_dir
    with open(os.path.join(path, "checkpoint", "epoch-004.npz"), "wb") as handle:
        handle.write(b"not a zip file")
    with pytest.raises(TranslateError, match=r"epoch-004.npz: cannot read the snapshot"):
        average_run(path, last=2)
