"""End-to-end tests of the ``translate`` command line, run in-process on a tiny model."""

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from translate import cli
from translate.cli import main

MAX_STEPS = 10
TINY_CONFIG = {
    "data": {"vocab_size": 300, "train_limit": 1000},
    "model": {"embedding_dim": 16, "encoder_units": 16, "decoder_units": 16},
    "training": {
        "epochs": 2,
        "batch_size": 32,
        "dev_sentences": 20,
        "jit_compile": False,
        "max_steps": MAX_STEPS,  # < one epoch of 1000 pairs: stops inside epoch 1
    },
    "decoding": {"beam_size": 2, "n_best": 1, "batch_size": 16},
}


def write_config(folder, config=None):
    """Writes a YAML config file.

    Args:
        folder: A ``pathlib.Path`` to write into.
        config: Nested dicts; the tiny test config by default.

    Returns:
        The file path as a string.
    """
    path = folder / "tiny.yaml"
    path.write_text(yaml.safe_dump(config or TINY_CONFIG), encoding="utf-8")
    return str(path)


def run_quietly(argv):
    """Runs the command line with standard output captured.

    Args:
        argv: Arguments after ``translate``.

    Returns:
        ``(exit_status, stdout_text)``.
    """
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = main(argv)
    return status, buffer.getvalue()


def read_metrics(run_dir):
    """The per-epoch records of ``metrics.jsonl``.

    Args:
        run_dir: A run directory.

    Returns:
        A list of dicts, one per line.
    """
    with open(os.path.join(run_dir, "metrics.jsonl"), encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_state(run_dir):
    """The saved training state.

    Args:
        run_dir: A run directory.

    Returns:
        The dict of ``checkpoint/state.json``.
    """
    with open(os.path.join(run_dir, "checkpoint", "state.json"), encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def trained(multi30k_dir, tmp_path_factory):
    """Trains the tiny model once with ``translate train``.

    Returns:
        A dict: ``run_dir``, ``train_argv`` (to run the same command again),
        ``status`` and ``stdout`` of the run, ``data_dir`` and the training
        ``state`` it saved (read at once: later tests run ``train`` again).
    """
    folder = tmp_path_factory.mktemp("cli")
    run_dir = str(folder / "run")
    argv = [
        "train",
        "--config",
        write_config(folder),
        "--run-dir",
        run_dir,
        "--data-dir",
        multi30k_dir,
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRANSLATE_PROGRESS", "0")
        status, stdout = run_quietly(argv)
    state = read_state(run_dir) if status == 0 else None
    return {
        "run_dir": run_dir,
        "train_argv": argv,
        "status": status,
        "stdout": stdout,
        "data_dir": multi30k_dir,
        "state": state,
    }


def _one_line_error(capsys, status):
    """Checks a failed command: status 2 and one ``error:`` line on stderr.

    Args:
        capsys: The pytest capture fixture.
        status: The exit status returned by ``main``.

    Returns:
        The error line.
    """
    assert status == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one error line, got: {err!r}"
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    return lines[0]


# Training -----------------------------------------------------------------------------


def test_train_writes_a_complete_run_directory(trained):
    run_dir = trained["run_dir"]
    assert trained["status"] == 0
    for name in ("config.yaml", "model.keras"):
        assert os.path.isfile(os.path.join(run_dir, name)), name
    assert os.path.isfile(os.path.join(run_dir, "tokenizer", "joint.model"))
    assert os.path.isfile(os.path.join(run_dir, "checkpoint", "last.weights.h5"))
    records = read_metrics(run_dir)
    assert records and all("dev_bleu" in r and "dev_chrf" in r for r in records)
    assert [r["epoch"] for r in records] == list(range(1, len(records) + 1))
    assert all(r["dev_bleu"] >= 0 for r in records)


def test_saved_config_is_the_resolved_config(trained):
    from translate.config import load_config

    saved = load_config(os.path.join(trained["run_dir"], "config.yaml"))
    assert saved.data.dir == os.path.abspath(trained["data_dir"])
    assert saved.data.vocab_size == 300 and saved.data.train_limit == 1000
    assert saved.model.encoder_units == 16 and saved.model.embedding_dim == 16
    assert saved.training.max_steps == MAX_STEPS and saved.training.jit_compile is False


def test_train_stops_at_max_steps(trained):
    state = trained["state"]
    assert state["finished"] is True
    assert state["step"] == MAX_STEPS
    assert "max_steps" in state["stop_reason"]
    assert "max_steps" in trained["stdout"]


# Translating ------------------------------------------------------------------------


def test_translate_prints_one_line_per_input(trained, capsys):
    inputs = ["Ein Hund läuft im Park.", "", "Zwei Männer spielen Fußball auf der Straße."]
    status = main(["translate", "--model", trained["run_dir"], "--beam-size", "1", *inputs])
    assert status == 0
    out = capsys.readouterr().out
    lines = out.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(inputs), repr(out)
    assert lines[1] == ""  # the empty input gives an empty line


def test_translate_json_lists_n_best(trained, capsys):
    inputs = ["Ein Hund.", "Eine Frau sitzt auf einer Bank."]
    status = main(
        [
            "translate",
            "--model",
            trained["run_dir"],
            "--format",
            "json",
            "--beam-size",
            "2",
            "--n-best",
            "2",
            *inputs,
        ]
    )
    assert status == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(inputs)
    for source, line in zip(inputs, lines):
        record = json.loads(line)
        assert record["source"] == source
        assert len(record["n_best"]) == 2
        assert record["translation"] == record["n_best"][0]["translation"]
        scores = [entry["score"] for entry in record["n_best"]]
        assert scores[0] >= scores[1]
        assert all(isinstance(entry["translation"], str) for entry in record["n_best"])


def test_translate_file_keeps_line_count_order_and_empty_lines(trained, tmp_path):
    lines = [
        "Ein Hund läuft.",
        "",
        "Zwei Männer spielen Fußball auf der Straße im Regen.",
        "   ",
        "Ein Kind.",
        "Eine ältere Frau mit einem roten Hut wartet am Bahnhof.",
        "",
    ]
    source = tmp_path / "in.de"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    # JSON lines carry the source, so the order is checkable even for an untrained
    # model; --batch-size 2 makes the length-sorted batches reorder the lines.
    argv = [
        "translate",
        "--model",
        trained["run_dir"],
        "--beam-size",
        "1",
        "--batch-size",
        "2",
        "--format",
        "json",
        "-i",
        str(source),
        "-o",
        str(output),
    ]
    assert run_quietly(argv) == (0, "")  # nothing on stdout with -o
    text = output.read_text(encoding="utf-8")
    assert text.endswith("\n")
    records = [json.loads(r) for r in text.split("\n")[:-1]]
    assert [r["source"] for r in records] == lines
    for line, record in zip(lines, records):
        if not line.strip():
            assert record["translation"] == ""


# Evaluating -------------------------------------------------------------------------


def test_evaluate_writes_scores_and_signature(trained, tmp_path, capsys):
    report_path = tmp_path / "report.json"
    status = main(
        ["evaluate", "--model", trained["run_dir"], "--limit", "20", "--json", str(report_path)]
    )
    assert status == 0
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert isinstance(report["bleu"], float) and 0 <= report["bleu"] <= 100
    assert isinstance(report["chrf"], float) and 0 <= report["chrf"] <= 100
    assert "tok:13a" in report["signature"]["bleu"]
    assert report["sentences"] == 20
    assert report["split"] == "test_2016_flickr"
    with open(report["hypotheses_path"], encoding="utf-8") as handle:
        assert len(handle.read().split("\n")) - 1 == 20
    out = capsys.readouterr().out
    assert "BLEU" in out and "tok:13a" in out


# Errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["translate", "evaluate"])
def test_missing_model_directory_is_a_one_line_error(tmp_path, capsys, command):
    missing = str(tmp_path / "no-such-run")
    argv = (
        ["translate", "--model", missing, "Ein Hund."]
        if command == "translate"
        else ["evaluate", "--model", missing]
    )
    line = _one_line_error(capsys, main(argv))
    assert missing in line


def test_untrained_run_directory_is_a_one_line_error(tmp_path, capsys):
    (tmp_path / "config.yaml").write_text("{}\n")
    line = _one_line_error(capsys, main(["translate", "--model", str(tmp_path), "Hallo."]))
    assert "model.keras" in line and "tokenizer" in line


def test_unknown_config_key_is_a_one_line_error(tmp_path, capsys):
    config = {**TINY_CONFIG, "training": {**TINY_CONFIG["training"], "epoch": 3}}
    argv = ["train", "--config", write_config(tmp_path, config), "--run-dir", str(tmp_path / "run")]
    line = _one_line_error(capsys, main(argv))
    assert "training.epoch" in line and "training.epochs" in line
    assert not os.path.exists(tmp_path / "run")


@pytest.mark.parametrize(
    "bad, expected",
    [
        ("training.epochs", "section.key=value"),
        ("training.epochs=many", "training.epochs"),
        ("training.epoch=3", "training.epochs"),
        ("model.attention=foo", "bahdanau"),
    ],
)
def test_bad_set_is_a_one_line_error(tmp_path, capsys, bad, expected):
    argv = [
        "train",
        "--config",
        write_config(tmp_path),
        "--run-dir",
        str(tmp_path / "run"),
        "--set",
        bad,
    ]
    line = _one_line_error(capsys, main(argv))
    assert expected in line
    assert not os.path.exists(tmp_path / "run")


def test_missing_config_file_is_a_one_line_error(tmp_path, capsys):
    missing = str(tmp_path / "missing.yaml")
    line = _one_line_error(
        capsys, main(["train", "--config", missing, "--run-dir", str(tmp_path / "run")])
    )
    assert missing in line


@pytest.mark.parametrize("name", ["corpus #2", "data: multi30k"])
def test_data_dir_is_taken_literally(tmp_path, monkeypatch, name):
    """``--data-dir`` is a path, not YAML: '#' or ': ' in it must survive."""
    captured = {}

    def fake_train(config, run_dir):
        """Records the config ``train`` would get, instead of training."""
        captured["config"] = config
        return None

    monkeypatch.setattr("translate.training.train", fake_train)
    data_dir = tmp_path / name
    data_dir.mkdir()
    argv = [
        "train",
        "--config",
        write_config(tmp_path),
        "--run-dir",
        str(tmp_path / "run"),
        "--data-dir",
        str(data_dir),
    ]
    assert run_quietly(argv)[0] == 0
    assert captured["config"].data.dir == str(data_dir)


def test_module_help_exits_zero():
    result = subprocess.run(
        [sys.executable, "-m", "translate", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(cli.__file__))),
    )
    assert result.returncode == 0, result.stderr
    for command in ("train", "translate", "evaluate"):
        assert command in result.stdout


# Running train again ---------------------------------------------------------------


@pytest.fixture(scope="module")
def rerun(trained):
    """Runs the same ``translate train`` command again, recording any ``fit`` call.

    ``keras.Model.fit`` is replaced by a spy that records where training would
    resume and returns without training (a real resume is slow; it is exercised
    in ``test_resume.py``). Everything before it -- reading the state, loading
    the checkpoint -- runs for real.

    Returns:
        Metrics and state before and after, the fit calls, exit status and stdout.
    """
    return _rerun_with_spy(trained["run_dir"], trained["train_argv"])


def _rerun_with_spy(run_dir, argv):
    """Runs ``translate train`` with ``keras.Model.fit`` replaced by a spy (see ``rerun``)."""
    import keras

    before = {"metrics": read_metrics(run_dir), "state": read_state(run_dir)}
    calls = []

    def spy_fit(self, *args, **kwargs):
        """Records where ``fit`` would start and end, and trains nothing."""
        calls.append(
            {"initial_epoch": kwargs.get("initial_epoch", 0), "epochs": kwargs.get("epochs", 1)}
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRANSLATE_PROGRESS", "0")
        patch.setattr(keras.Model, "fit", spy_fit)
        status, stdout = run_quietly(argv)
    after = {"metrics": read_metrics(run_dir), "state": read_state(run_dir)}
    return {
        "before": before,
        "after": after,
        "fit_calls": calls,
        "status": status,
        "stdout": stdout,
    }


def test_rerun_does_not_redo_epochs(rerun):
    assert rerun["status"] == 0
    before, after = rerun["before"], rerun["after"]
    # If training goes on at all, it starts after the last completed epoch.
    for call in rerun["fit_calls"]:
        assert call["initial_epoch"] == before["state"]["epoch"] >= 1
        assert call["epochs"] == TINY_CONFIG["training"]["epochs"]
    assert after["metrics"][: len(before["metrics"])] == before["metrics"]
    epochs = [r["epoch"] for r in after["metrics"]]
    assert epochs == sorted(set(epochs)), f"an epoch was recorded twice: {epochs}"
    assert after["state"]["epoch"] >= before["state"]["epoch"]


def test_rerun_of_run_stopped_at_max_steps_trains_no_further(rerun):
    """The first run ended at training.max_steps; the same command must not train again."""
    assert rerun["fit_calls"] == [], "the finished run was trained again"
    assert rerun["after"]["state"]["step"] == rerun["before"]["state"]["step"] == MAX_STEPS
    assert rerun["after"]["metrics"] == rerun["before"]["metrics"]
    assert "already finished" in rerun["stdout"]


def test_raising_the_step_limit_continues_a_finished_run(trained, tmp_path):
    """A run stopped at max_steps trains on when run again with a larger limit."""
    run_dir = str(tmp_path / "run")
    shutil.copytree(trained["run_dir"], run_dir)  # the spy marks the copy as stopped
    argv = list(trained["train_argv"])
    argv[argv.index("--run-dir") + 1] = run_dir
    again = _rerun_with_spy(run_dir, argv + ["--set", f"training.max_steps={2 * MAX_STEPS}"])
    assert again["status"] == 0 and "already finished" not in again["stdout"]
    assert f"resuming after epoch 1 (step {MAX_STEPS}" in again["stdout"]
    assert again["fit_calls"] == [{"initial_epoch": 1, "epochs": TINY_CONFIG["training"]["epochs"]}]


@pytest.mark.parametrize("init", ["unigram", "zeros"])
def test_training_starts_from_the_configured_output_bias(init, multi30k_dir, tmp_path):
    import copy

    import keras
    import numpy as np

    config = copy.deepcopy(TINY_CONFIG)
    config["model"]["output_bias_init"] = init
    biases = []

    def spy_fit(self, *args, **kwargs):
        """Records the output bias the first step would start from; trains nothing."""
        biases.append(self.decoder.output_layer.bias.numpy())

    argv = [
        "train",
        "--config",
        write_config(tmp_path, config),
        "--run-dir",
        str(tmp_path / "run"),
        "--data-dir",
        multi30k_dir,
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRANSLATE_PROGRESS", "0")
        patch.setattr(keras.Model, "fit", spy_fit)
        status, _ = run_quietly(argv)
    assert status == 0 and len(biases) == 1
    bias = biases[0]
    if init == "zeros":
        assert not bias.any()
        return
    assert np.isclose(np.log(np.exp(bias.astype(np.float64)).sum()), 0.0, atol=1e-4)
    from translate.data import sources
    from translate.tokenizer import EOS_ID, SubwordTokenizer

    # Recount the decoder outputs of the pairs training keeps, independently.
    tokenizer = SubwordTokenizer.load(str(tmp_path / "run" / "tokenizer"))
    limit = config["data"]["train_limit"]
    source_lines, target_lines = sources.read_lines("multi30k", "de", "en", "train", multi30k_dir)
    source_ids = tokenizer.encode_source(source_lines[:limit]).row_lengths().numpy()
    target_ids = tokenizer.encode_target(target_lines[:limit])
    counts = np.zeros(tokenizer.target_vocab_size)
    for source_length, target in zip(source_ids, target_ids.numpy()):
        if source_length > 1 and 0 < len(target) and max(source_length, len(target) + 1) <= 100:
            counts += np.bincount(np.append(target, EOS_ID), minlength=len(counts))
    expected = np.log((counts + 1) / (counts + 1).sum())
    np.testing.assert_allclose(bias, expected, atol=1e-4)
