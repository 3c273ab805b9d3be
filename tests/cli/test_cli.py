"""End-to-end tests of the ``translate`` command line, run in-process on a tiny run.

The trained run is the ``tiny_run`` fixture of ``conftest.py``: ``translate
train`` on a synthetic corpus, stopped by ``training.max_steps`` inside epoch 1
of 2. Tests that run a command which writes into a run directory work on a copy.
"""

import argparse
import contextlib
import io
import json
import os
import re
import runpy
import shutil
import subprocess
import sys

import pytest
import yaml
from helpers import TINY_CONFIG, run_files

from translate.cli import commands as cli
from translate.cli.commands import main
from translate.cli.parser import build_parser, number

MAX_STEPS = TINY_CONFIG["training"]["max_steps"]


def write_config(folder, config=None):
    """Writes a YAML config file.

    Args:
        folder: A ``pathlib.Path`` to write into.
        config: Nested dicts; :data:`helpers.TINY_CONFIG` by default.

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


def copy_run(tiny_run, tmp_path):
    """A copy of the trained tiny run, and the ``train`` command that trained it, aimed at it.

    Args:
        tiny_run: The fixture.
        tmp_path: Where to copy it.

    Returns:
        ``(run_dir, train_argv)``.
    """
    run_dir = str(tmp_path / "run")
    shutil.copytree(tiny_run["run_dir"], run_dir)
    return run_dir, ["train", "--config", tiny_run["config"], "--run-dir", run_dir]


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


def test_train_writes_a_complete_run_directory(tiny_run):
    run_dir = tiny_run["run_dir"]
    for name in ("config.yaml", "model.keras"):
        assert os.path.isfile(os.path.join(run_dir, name)), name
    assert os.path.isfile(os.path.join(run_dir, "tokenizer", "joint.model"))
    assert os.path.isfile(os.path.join(run_dir, "checkpoint", "last.weights.h5"))
    records = read_metrics(run_dir)
    assert [r["epoch"] for r in records] == [1]  # the step limit ended epoch 1
    assert records[0]["step"] == MAX_STEPS
    assert {"loss", "dev_bleu", "dev_chrf", "learning_rate"} <= set(records[0])


def test_saved_config_is_the_resolved_config(tiny_run):
    from translate.config.schema import load_config

    saved = load_config(os.path.join(tiny_run["run_dir"], "config.yaml"))
    assert saved == load_config(tiny_run["config"])  # the file's values and every default
    assert saved.data.source == tiny_run["corpus"] and saved.data.vocab_size == 400
    assert saved.model.encoder_units == 16 and saved.training.jit_compile is False
    assert saved.training.max_steps == MAX_STEPS


def test_train_stops_at_max_steps(tiny_run):
    state = read_state(tiny_run["run_dir"])
    assert state["finished"] is True
    assert state["step"] == MAX_STEPS and state["epoch"] == 1
    assert state["stop_reason"] == f"reached training.max_steps={MAX_STEPS}"
    assert f"training finished: reached training.max_steps={MAX_STEPS}" in tiny_run["log"]


# Translating ------------------------------------------------------------------------


def test_translate_prints_one_line_per_input(tiny_run, capsys):
    inputs = ["Ein Hund läuft im Park.", "", "Zwei Männer spielen Fußball auf der Straße."]
    status = main(["translate", "--model", tiny_run["run_dir"], "--beam-size", "1", *inputs])
    assert status == 0
    out = capsys.readouterr().out
    lines = out.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(inputs), repr(out)
    assert lines[1] == ""  # the empty input gives an empty line


def test_translate_json_lists_n_best(tiny_run, capsys):
    inputs = ["Ein Hund.", "Eine Frau sitzt auf einer Bank."]
    status = main(
        [
            "translate",
            "--model",
            tiny_run["run_dir"],
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


def test_translate_file_keeps_line_count_order_and_empty_lines(tiny_run, tmp_path):
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
        tiny_run["run_dir"],
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


def test_evaluate_writes_scores_and_signature(tiny_run, tmp_path, capsys):
    run_dir, _ = copy_run(tiny_run, tmp_path)  # evaluate writes its hypotheses into the run
    report_path = tmp_path / "report.json"
    status = main(["evaluate", "--model", run_dir, "--limit", "5", "--json", str(report_path)])
    assert status == 0
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["split"] == "test" and report["sentences"] == 5
    # Named by the split, the search settings and the limit: a full evaluation keeps its file.
    assert report["hypotheses_path"] == os.path.join(run_dir, "test.beam3.lp1.first5.hyp")
    with open(report["hypotheses_path"], encoding="utf-8") as handle:
        hypotheses = handle.read().split("\n")
    assert len(hypotheses) - 1 == 5 and hypotheses[-1] == ""
    from translate.inference import metrics

    with open(os.path.join(tiny_run["corpus"], "test.en"), encoding="utf-8") as handle:
        references = handle.read().splitlines()[:5]
    expected = metrics.score(hypotheses[:-1], references, with_ter=True)
    assert {key: report[key] for key in expected} == expected
    assert "tok:13a" in report["signature"]["bleu"]
    assert "tok:tercom" in report["signature"]["ter"]
    out = capsys.readouterr().out
    assert f"BLEU {report['bleu']}" in out and report["signature"]["bleu"] in out
    assert f"TER {report['ter']:.2f}  signature: {report['signature']['ter']}" in out


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

    monkeypatch.setattr("translate.training.train.train", fake_train)
    data_dir = tmp_path / name
    data_dir.mkdir()
    argv = [
        "train",
        "--config",
        write_config(tmp_path),
        "--run-dir",
        str(tmp_path / "run"),
        "--data-dir",
        os.path.relpath(data_dir),  # made absolute
    ]
    assert run_quietly(argv)[0] == 0
    assert captured["config"].data.dir == str(data_dir)


def test_python_dash_m_runs_the_command_line(monkeypatch, capsys):
    """``python -m translate`` (``translate/__main__.py``), here in this process."""
    monkeypatch.setattr(sys, "argv", ["translate", "--help"])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("translate", run_name="__main__", alter_sys=True)
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("train", "translate", "evaluate", "export", "average"):
        assert command in out


@pytest.mark.slow
def test_module_help_exits_zero_in_a_real_process():
    result = subprocess.run(
        [sys.executable, "-m", "translate", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(cli.__file__)))),
    )
    assert result.returncode == 0, result.stderr
    for command in ("train", "translate", "evaluate"):
        assert command in result.stdout


# Running train again ---------------------------------------------------------------


@pytest.fixture()
def rerun(tiny_run, tmp_path):
    """Runs the same ``translate train`` command again on a copy, recording any ``fit`` call.

    ``keras.Model.fit`` is replaced by a spy that records where training would
    resume and returns without training (a real resume is in
    ``test_training.py``). Everything before it -- reading the state, loading
    the checkpoint -- runs for real.

    Returns:
        Metrics and state before and after, the fit calls, exit status and stdout.
    """
    return _rerun_with_spy(*copy_run(tiny_run, tmp_path))


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


def test_raising_the_step_limit_continues_a_finished_run(tiny_run, tmp_path):
    """A run stopped at max_steps trains on when run again with a larger limit."""
    run_dir, argv = copy_run(tiny_run, tmp_path)
    again = _rerun_with_spy(run_dir, argv + ["--set", f"training.max_steps={2 * MAX_STEPS}"])
    assert again["status"] == 0 and "already finished" not in again["stdout"]
    assert f"resuming after epoch 1 (step {MAX_STEPS}" in again["stdout"]
    assert again["fit_calls"] == [{"initial_epoch": 1, "epochs": TINY_CONFIG["training"]["epochs"]}]


@pytest.mark.slow
@pytest.mark.parametrize("init", ["unigram", "zeros"])
def test_training_starts_from_the_configured_output_bias(init, tmp_path):
    import keras
    import numpy as np

    files = run_files(tmp_path, "bias", [f"model.output_bias_init={init}"])
    biases = []

    def spy_fit(self, *args, **kwargs):
        """Records the output bias the first step would start from; trains nothing."""
        biases.append(self.decoder.output_layer.bias.numpy())

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRANSLATE_PROGRESS", "0")
        patch.setattr(keras.Model, "fit", spy_fit)
        status, _ = run_quietly(
            ["train", "--config", files["config"], "--run-dir", files["run_dir"]]
        )
    assert status == 0 and len(biases) == 1
    bias = biases[0]
    if init == "zeros":
        assert not bias.any()
        return
    assert np.isclose(np.log(np.exp(bias.astype(np.float64)).sum()), 0.0, atol=1e-4)
    from translate.data import sources
    from translate.data.tokenizer import EOS_ID, SubwordTokenizer

    # Recount the decoder outputs of the pairs training keeps, independently.
    tokenizer = SubwordTokenizer.load(os.path.join(files["run_dir"], "tokenizer"))
    source_lines, target_lines = sources.read_lines(files["corpus"], "de", "en", "train")
    source_ids = tokenizer.encode_source(source_lines).row_lengths().numpy()
    target_ids = tokenizer.encode_target(target_lines)
    max_length = TINY_CONFIG["data"]["max_length"]
    counts = np.zeros(tokenizer.target_vocab_size)
    for source_length, target in zip(source_ids, target_ids.numpy()):
        if (
            1 < source_length
            and 0 < len(target)
            and max(source_length, len(target) + 1) <= max_length
        ):
            counts += np.bincount(np.append(target, EOS_ID), minlength=len(counts))
    expected = np.log((counts + 1) / (counts + 1).sum())
    np.testing.assert_allclose(bias, expected, atol=1e-4)


# Output files: written whole or not at all ------------------------------------------------


@pytest.mark.slow
def test_output_may_be_the_input_file(tiny_run, tmp_path):
    """``-i f -o f`` translates f's lines and replaces f with the translations."""
    path = tmp_path / "both.txt"
    path.write_text("Ein Hund läuft.\n\nEin Kind.\n", encoding="utf-8")
    argv = ["translate", "--model", tiny_run["run_dir"], "--beam-size", "1", "--format", "json"]
    assert main([*argv, "-i", str(path), "-o", str(path)]) == 0
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [record["source"] for record in records] == ["Ein Hund läuft.", "", "Ein Kind."]
    assert not (tmp_path / "both.tmp.txt").exists()


def test_failed_translation_leaves_the_previous_output_as_it_was(tiny_run, tmp_path, capsys):
    output = tmp_path / "out.txt"
    output.write_text("previous translations\n", encoding="utf-8")
    argv = ["translate", "--model", tiny_run["run_dir"], "-o", str(output)]
    assert main([*argv, "-i", str(tmp_path / "missing.de")]) == 2
    assert "missing.de" in capsys.readouterr().err
    assert output.read_text(encoding="utf-8") == "previous translations\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_interrupted_translation_leaves_the_previous_output_as_it_was(
    tiny_run, tmp_path, capsys, monkeypatch
):
    from translate.inference.translator import Translator

    source = tmp_path / "in.de"
    source.write_text("Ein Hund läuft.\nEin Kind.\n", encoding="utf-8")
    output = tmp_path / "out.txt"
    output.write_text("previous translations\n", encoding="utf-8")

    def interrupt(*args, **kwargs):
        yield from ()
        raise KeyboardInterrupt

    monkeypatch.setattr(Translator, "translate_stream", interrupt)
    argv = ["translate", "--model", tiny_run["run_dir"], "-i", str(source), "-o", str(output)]
    assert main(argv) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "resume" not in err
    assert output.read_text(encoding="utf-8") == "previous translations\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.de", "out.txt"]


@pytest.mark.slow
def test_output_that_is_no_regular_file_is_written_in_place(tiny_run, tmp_path):
    """A FIFO cannot be replaced by a renamed file: it is written directly and streams."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []

    def read() -> None:
        with open(fifo, encoding="utf-8") as handle:
            received.extend(handle.read().splitlines())

    import threading

    reader = threading.Thread(target=read)
    reader.start()
    argv = ["translate", "--model", tiny_run["run_dir"], "--beam-size", "1", "--format", "json"]
    assert main([*argv, "-o", str(fifo), "Ein Kind.", "Ein Hund."]) == 0
    reader.join(timeout=60)
    assert [json.loads(line)["source"] for line in received] == ["Ein Kind.", "Ein Hund."]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


# Options: one line per usage error, numbers checked in one place --------------------------


@pytest.mark.parametrize(
    "argv, verbose",
    [
        (["-v", "translate", "--model", "m"], True),
        (["translate", "--verbose", "--model", "m"], True),
        (["translate", "--model", "m"], False),
    ],
)
def test_verbose_goes_before_or_after_the_command(argv, verbose):
    assert build_parser().parse_args(argv).verbose is verbose


@pytest.mark.parametrize(
    "kind, minimum, text, expected",
    [
        (int, 1, "3", 3),
        (int, 0, "0", 0),
        (float, 0.0, "0.6", 0.6),
        (int, 1, "0", "must be >= 1, got '0'"),
        (int, 0, "1.5", "must be an integer, got '1.5'"),
        (float, 0.0, "nan", "must be a finite number, got 'nan'"),
        (float, 0.0, "-inf", "must be a finite number, got '-inf'"),
        (float, 0.0, "-0.5", "must be >= 0, got '-0.5'"),
        (float, 0.0, "one", "must be a number, got 'one'"),
    ],
)
def test_number_parses_or_names_the_value(kind, minimum, text, expected):
    parse = number(kind, minimum)
    if isinstance(expected, str):
        with pytest.raises(argparse.ArgumentTypeError, match=re.escape(expected)):
            parse(text)
    else:
        assert parse(text) == expected and type(parse(text)) is kind


def test_usage_errors_are_one_line(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["translate", "text"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err == (
        "error: the following arguments are required: --model (see 'translate translate --help')\n"
    )


def test_interrupted_commands_say_what_happened_to_their_files():
    parse = build_parser().parse_args
    hint = cli._interrupt_hint
    assert hint(parse(["train", "--config", "c", "--run-dir", "r"])) == (
        "run the same command again to resume"
    )
    assert hint(parse(["translate", "--model", "m", "-o", "f.txt"])) == "f.txt was left as it was"
    assert "no file" in hint(parse(["translate", "--model", "m"]))
    assert hint(parse(["evaluate", "--model", "m"])) == (
        "the files it was writing were left as they were"
    )
