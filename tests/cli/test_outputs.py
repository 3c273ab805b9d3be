"""Every output file is written whole or not at all, also in real processes.

Each case that may touch an output passes it as ``keeps``: the previous file must
be byte-identical afterwards with no temporary beside it (``lost_bytes`` in the
report). Translations, attention plots, evaluations, averages and exports under
write errors, full disks, closed pipes, signals and damaged snapshots; and the
same for ``python -m translate`` processes that are killed, piped into ``head``
or write to ``/dev/full``.

Every case goes through ``bad_input`` or ``survives`` of ``helpers.py``, which
record it; with env ``ROBUSTNESS_CASES=FILE`` the record is written there at the
end of the session (``benchmarks/robustness_report.py`` counts it).
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
import sys
import zipfile
from unittest import mock

import pytest
from helpers import (
    bad_input,
    one_error_line,
    run_cli,
    survives,
)

from translate import TranslateError
from translate.cli import commands as cli
from translate.cli import interrupts

PREVIOUS = "previous output, kept byte for byte\n"


def _previous(path) -> str:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(PREVIOUS)
    return str(path)


@pytest.fixture()
def out_dir(tmp_path):
    folder = tmp_path / "outputs"
    folder.mkdir()
    return folder


def _translate(run_dir, *options):
    return ["translate", "--model", run_dir, "--beam-size", "1", *options]


@pytest.fixture()
def shared_translators(tiny_translator, random_translator, tiny_run, random_run, monkeypatch):
    """The commands below take the session's translators instead of loading their own.

    Each command gets a shallow copy (its search settings are its own; the model
    and the compiled graphs are shared), which saves seconds of loading per command.
    """
    import copy

    from translate.inference.translator import Translator

    by_run = {tiny_run["run_dir"]: tiny_translator, random_run: random_translator}

    def load(runs, config=None):
        # One run directory, or a list of them: every command here names one --model.
        run_dir = runs if isinstance(runs, (str, os.PathLike)) else runs[0]
        return copy.copy(by_run[os.fspath(run_dir)])

    monkeypatch.setattr(Translator, "load", staticmethod(load))
    return by_run


@pytest.mark.slow
def test_unwritable_translation_outputs(shared_translators, tiny_run, out_dir, capsys):
    run = tiny_run["run_dir"]
    blocker = out_dir / "a-file"
    blocker.write_text("", encoding="utf-8")
    (out_dir / "folder").mkdir()
    cases = [
        ("-o in a missing folder", str(out_dir / "no" / "out.txt"), ["no folder"]),
        ("-o below a file", str(blocker / "out.txt"), ["is not a folder"]),
        ("-o is a folder", str(out_dir / "folder"), ["it is a folder"]),
        ("-o /dev/full", "/dev/full", ["No space left on device"]),
    ]
    for name, path, expected in cases:
        with bad_input("output", f"translate {name}", "cannot write", path, *expected):
            status, _, err = run_cli(_translate(run, "-o", path, "Ein Hund."), capsys)
            raise TranslateError(one_error_line(status, err))
    assert sorted(p.name for p in out_dir.iterdir()) == ["a-file", "folder"]


@pytest.mark.slow
def test_a_write_error_in_mid_file_keeps_the_previous_output(
    shared_translators, tiny_run, out_dir, capsys, monkeypatch
):
    from translate.inference.translator import Translator

    output = _previous(out_dir / "out.txt")
    real_stream = Translator.translate_stream

    def half_then_full_disk(self, lines, **options):
        """The first translation, then the disk is full."""
        yield next(real_stream(self, lines, **options))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Translator, "translate_stream", half_then_full_disk)
    with bad_input(
        "output",
        "ENOSPC in mid-translation",
        "cannot write",
        "out.txt",
        "No space left on device",
        "previous file is kept",
        keeps=output,
    ):
        status, _, err = run_cli(_translate(tiny_run["run_dir"], "-o", output, "x"), capsys)
        raise TranslateError(one_error_line(status, err))


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
@pytest.mark.slow
def test_interrupted_translation_keeps_the_previous_output(
    shared_translators, tiny_run, out_dir, capsys, monkeypatch, signal_name
):
    """The signal arrives in mid-translation: the real handler runs (SIGTERM's is the CLI's)."""
    import signal

    from translate.inference.translator import Translator

    output = _previous(out_dir / "out.txt")
    source = out_dir / "in.de"
    source.write_text("Ein Hund.\nEin Kind.\n", encoding="utf-8")
    real_stream = Translator.translate_stream

    def stream_then_signal(self, lines, **options):
        for number, translation in enumerate(real_stream(self, lines, **options)):
            yield translation
            if number == 0:
                os.kill(os.getpid(), getattr(signal, signal_name))

    monkeypatch.setattr(Translator, "translate_stream", stream_then_signal)
    # Ctrl-C's usual handler, even where this test runs with SIGINT ignored (a background job).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    argv = _translate(tiny_run["run_dir"], "-i", str(source), "-o", output)
    try:
        with survives("output", f"{signal_name} in mid-translation", keeps=output):
            status, _, err = run_cli(argv, capsys)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert status == (130 if signal_name == "SIGINT" else 143), err
    assert err.splitlines()[-1] == f"interrupted; {output} was left as it was", err
    assert signal.getsignal(signal.SIGTERM) is not interrupts._handle  # handler restored


def test_the_input_is_never_the_outputs_temporary(shared_translators, tiny_run, out_dir, capsys):
    """``-i out.tmp.txt -o out.txt``: the temporary of out.txt takes another name."""
    source = out_dir / "out.tmp.txt"
    source.write_text("Ein Hund.\nEin Kind.\n", encoding="utf-8")
    before = source.read_bytes()
    output = out_dir / "out.txt"
    argv = _translate(tiny_run["run_dir"], "-i", str(source), "-o", str(output))
    with survives("output", "input named as the output's temporary"):
        status, _, err = run_cli(argv, capsys)
    assert status == 0, err
    assert source.read_bytes() == before
    assert output.read_text(encoding="utf-8").count("\n") == 2
    assert sorted(p.name for p in out_dir.iterdir()) == ["out.tmp.txt", "out.txt"]


class _ClosedStream(io.TextIOBase):
    """A standard output whose writes fail like a closed pipe or a full disk."""

    def __init__(self, error: OSError):
        self.error = error

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise self.error

    def flush(self) -> None:
        raise self.error


def test_closed_pipe_and_full_standard_output(shared_translators, tiny_run, capsys, monkeypatch):
    argv = _translate(tiny_run["run_dir"], "Ein Hund.", "Ein Kind.")
    monkeypatch.setattr(sys, "stdout", _ClosedStream(BrokenPipeError(errno.EPIPE, "Broken pipe")))
    with survives("output", "standard output closed (| head)"):
        status = cli.main(argv)
    assert status == 141 and capsys.readouterr().err == ""  # quiet, like cat
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(sys, "stdout", _ClosedStream(full))
    with bad_input("output", "standard output full", "cannot write standard output", "No space"):
        status = cli.main(argv)
        raise TranslateError(one_error_line(status, capsys.readouterr().err))


@pytest.mark.slow  # draws with matplotlib after compiling the attention graph: ~7 s
def test_attention_plot_errors_come_before_any_output(
    shared_translators, random_run, out_dir, capsys
):
    output = _previous(out_dir / "out.txt")
    plot = _previous(out_dir / "attention.png")
    for name, path, expected in [
        ("unsupported --attention-plot extension", out_dir / "a.xyz", "'xyz' is not supported"),
        ("--attention-plot in a missing folder", out_dir / "no" / "a.png", "no folder"),
    ]:
        argv = _translate(random_run, "-o", output, "--attention-plot", str(path), "Ein Hund.")
        with bad_input("output", name, str(path), expected, keeps=output):
            status, _, err = run_cli(argv, capsys)
            raise TranslateError(one_error_line(status, err))
    argv = _translate(random_run, "--attention-plot", plot, "Ein Hund sieht einen Ball.")
    with survives("output", "attention plot replaces the previous image"):
        status, _, err = run_cli(argv, capsys)
    assert status == 0, err
    with open(plot, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in out_dir.iterdir()) == ["attention.png", "out.txt"]


def test_an_empty_first_translation_skips_its_plot_with_a_warning(
    shared_translators, tiny_run, out_dir, capsys, monkeypatch
):
    """No attention to draw (an empty translation): no plot, but every line is translated."""
    import numpy as np

    from translate.inference.translator import Translation, Translator

    def empty(self, texts, with_attention=False, **options):
        attention = np.zeros((0, 3), np.float32) if with_attention else None
        return [Translation(text, [""], [0.0], attention=attention) for text in texts]

    monkeypatch.setattr(Translator, "translate", empty)
    plot, output = out_dir / "a.png", out_dir / "out.txt"
    argv = _translate(tiny_run["run_dir"], "--attention-plot", str(plot), "-o", str(output))
    with survives("output", "attention plot of an empty translation"):
        status, _, err = run_cli([*argv, "Ein Hund.", "Ein Kind."], capsys)
    assert status == 0 and err.startswith("warning: no attention plot"), err
    assert output.read_text(encoding="utf-8").count("\n") == 2 and not plot.exists()


def _evaluate(run_dir, *options):
    return ["evaluate", "--model", run_dir, "--beam-size", "1", *options]


@pytest.mark.slow  # four evaluations: ~7 s
def test_a_limited_evaluation_never_replaces_the_full_one(
    shared_translators, random_run, random_translator, tmp_path, capsys
):
    run_dir = shutil.copytree(random_run, tmp_path / "run")
    shared_translators[str(run_dir)] = random_translator
    status, out, err = run_cli(_evaluate(str(run_dir)), capsys)
    assert status == 0, err
    full = run_dir / "test.beam1.lp1.hyp"
    assert f"hypotheses in {full}" in out and full.read_text(encoding="utf-8").count("\n") == 12
    for options in (["--limit", "3"], ["--length-penalty", "0.5"], ["--limit", "0"]):
        with survives("output", f"evaluate {' '.join(options)} after a full one", keeps=full):
            status, out, err = run_cli(_evaluate(str(run_dir), *options), capsys)
        assert status == 0, err
    names = sorted(p.name for p in run_dir.glob("*.hyp"))
    assert names == ["test.beam1.lp0.5.hyp", "test.beam1.lp1.first3.hyp", "test.beam1.lp1.hyp"]
    assert "hypotheses in " + str(run_dir / "test.beam1.lp1.first3.hyp") not in out


def test_unwritable_evaluation_outputs_fail_before_translating(
    random_run, tmp_path, capsys, monkeypatch
):
    from translate.inference import evaluation

    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    previous = _previous(tmp_path / "scores.json")
    monkeypatch.setattr(evaluation.Translator, "load", mock.Mock(side_effect=AssertionError))
    cases = [
        ("--attention-plots below a file", ["--attention-plots", str(blocker / "plots")]),
        ("--attention-plots is a file", ["--attention-plots", str(blocker)]),
        ("--json is a folder", ["--json", str(tmp_path / "folder")]),
        ("--json below a file", ["--json", str(blocker / "s.json")]),
        ("--hypotheses is a folder", ["--hypotheses", str(tmp_path / "folder")]),
        ("--hypotheses below a file", ["--hypotheses", str(blocker / "no" / "h.txt")]),
    ]
    for name, options in cases:
        with bad_input("output", f"evaluate {name}", options[0], options[1], keeps=previous):
            status, _, err = run_cli(_evaluate(random_run, *options), capsys)
            raise TranslateError(one_error_line(status, err))


@pytest.fixture()
def snapshot_run(random_run, random_translator, tmp_path):
    """A copy of the random run with weight snapshots of epochs 1-3."""
    from translate.runs.rundir import RunDir

    run = RunDir(shutil.copytree(random_run, tmp_path / "run"))
    for epoch in (1, 2, 3):
        run.save_snapshot(random_translator.model, epoch, keep=3)
    return run


def _damage(path, how: str) -> None:
    data = open(path, "rb").read()
    with open(path, "wb") as handle:
        handle.write(
            {
                "truncated": data[: len(data) // 2],
                "empty": b"",
                "not a zip": b"not a zip file at all",
                "zip of text": _zip_of_text(),
                "one byte changed": data[:100] + bytes([data[100] ^ 0xFF]) + data[101:],
            }[how]
        )


def _zip_of_text() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "no arrays here")
    return buffer.getvalue()


@pytest.mark.slow  # six averages, each loading and saving a model: ~5 s
def test_average_over_damaged_snapshots_names_the_file_and_keeps_the_previous(snapshot_run, capsys):
    out = os.path.join(snapshot_run.path, "averaged")
    status, stdout, err = run_cli(
        ["average", "--model", snapshot_run.path, "--last", "2"]
        + [
            "--out",
            out,
        ],
        capsys,
    )
    assert status == 0, err
    model = os.path.join(out, "model.keras")
    newest = snapshot_run.snapshot_file(3)
    pristine = open(newest, "rb").read()
    for how in ("truncated", "empty", "not a zip", "zip of text", "one byte changed"):
        with open(newest, "wb") as handle:
            handle.write(pristine)
        _damage(newest, how)
        argv = ["average", "--model", snapshot_run.path, "--last", "2", "--out", out]
        with bad_input("output", f"average over a {how} snapshot", newest, keeps=model):
            status, _, err = run_cli(argv, capsys)
            raise TranslateError(one_error_line(status, err))
    assert sorted(os.listdir(out)) == ["config.yaml", "model.keras", "tokenizer"]


def test_average_refuses_outputs_it_would_destroy(snapshot_run, tmp_path, capsys):
    others = tmp_path / "my-files"
    others.mkdir()
    keep = _previous(others / "notes.txt")
    cases = [
        ("a folder of other files", str(others), ["other files"]),
        ("the folder holding the run", str(tmp_path), ["must differ", "not hold it"]),
        ("the run itself", snapshot_run.path, ["must differ"]),
    ]
    for name, out, expected in cases:
        argv = ["average", "--model", snapshot_run.path, "--last", "2", "--out", out]
        with bad_input("output", f"average --out {name}", out, *expected, keeps=keep):
            status, _, err = run_cli(argv, capsys)
            raise TranslateError(one_error_line(status, err))


def test_export_to_an_unwritable_folder_fails_before_loading(random_run, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    argv = ["export", "--model", random_run, "--out", str(blocker / "exports")]
    with bad_input("output", "export --out below a file", "cannot write", str(blocker)):
        status, _, err = run_cli(argv, capsys)
        raise TranslateError(one_error_line(status, err))


# The same in real processes ----------------------------------------------------------


def _command(*argv) -> list[str]:
    return [sys.executable, "-m", "translate", *argv]


def _environment(**extra) -> dict:
    env = {**os.environ, **extra}
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # the command sets its own
    return env


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_a_killed_translation_process_leaves_the_previous_output(random_run, tmp_path, signal_name):
    """The signal comes once the first block of translations is in the temporary file."""
    import signal
    import time

    source = tmp_path / "in.de"
    source.write_text("Ein Mann fährt ein rotes Auto im Park.\n" * 5_000, encoding="utf-8")
    output = _previous(tmp_path / "out.txt")
    temporary = tmp_path / "out.tmp.txt"
    argv = _translate(random_run, "-i", str(source), "-o", output)
    with survives("output", f"{signal_name} to a translating process", keeps=output):
        process = subprocess.Popen(
            _command(*argv),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_environment(),
            # Ctrl-C's usual disposition, even where the tests run as a background job
            # (which starts with SIGINT ignored, and passes that on).
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        deadline = time.monotonic() + 240
        while not (temporary.exists() and temporary.stat().st_size) and process.poll() is None:
            assert time.monotonic() < deadline, "no translation was written"
            time.sleep(0.1)
        process.send_signal(getattr(signal, signal_name))
        _, err = process.communicate(timeout=120)
        err = err.decode("utf-8")
        assert "Traceback" not in err, err
        expected = 130 if signal_name == "SIGINT" else -signal.SIGTERM
        assert process.returncode == expected, (process.returncode, err)
        assert err.strip().splitlines()[-1] == f"interrupted; {output} was left as it was", err


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly_in_a_real_process(tiny_run, tmp_path):
    source = tmp_path / "in.de"
    source.write_text("Ein Hund.\n" * 3000, encoding="utf-8")
    argv = _translate(tiny_run["run_dir"], "-i", str(source))
    with survives("output", "translate | head -1 in a real process"):
        process = subprocess.Popen(
            _command(*argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_environment()
        )
        process.stdout.readline()
        process.stdout.close()  # what head does after its line
        err = process.stderr.read().decode("utf-8")
        process.wait(timeout=240)
        assert err == "" and process.returncode == 141, (process.returncode, err)


@pytest.mark.slow
def test_full_disk_outputs_in_a_real_process(tiny_run):
    for name, extra in [("-o /dev/full", ["-o", "/dev/full"]), ("> /dev/full", [])]:
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                _command(*_translate(tiny_run["run_dir"], *extra, "Ein Hund.")),
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                timeout=240,
                env=_environment(),
            )
        with bad_input("output", f"{name} in a real process", "cannot write", "No space left"):
            raise TranslateError(one_error_line(result.returncode, result.stderr))


@pytest.mark.slow
def test_tensorflow_start_up_messages_only_with_verbose(tiny_run):
    chatter = ("cuInit", "oneDNN", "absl", "cuda", "I0000", "E0000", "W0000")
    for verbose in ([], ["--verbose"]):
        result = subprocess.run(
            _command(*verbose, *_translate(tiny_run["run_dir"], "Ein Hund.")),
            capture_output=True,
            text=True,
            timeout=240,
            env=_environment(),
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.count("\n") == 1
        noisy = [line for line in result.stderr.splitlines() if any(c in line for c in chatter)]
        if verbose:
            assert noisy, result.stderr  # TensorFlow's own lines are shown when asked for
        else:
            assert result.stderr == "", result.stderr
