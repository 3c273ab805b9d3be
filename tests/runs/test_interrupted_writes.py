"""Outputs of real processes killed midway, or written by two processes at once.

Each test starts the command line in a subprocess. To stop it at a known
point, the subprocess runs it behind a wrapper (:data:`_PAUSING`) whose
``os.replace`` waits, at the rename of a chosen path, until a file appears;
the test then kills it with SIGKILL, or runs a second writer against it. The
output the user asked for must then be absent, the previous one, or complete,
never half written, and a second writer gets one clear error; a rerun works.

Every case goes through ``bad_input`` or ``survives`` of ``helpers.py``, which
record it (``ROBUSTNESS_CASES``, see ``benchmarks/robustness_report.py``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from helpers import bad_input, copy_run, one_error_line, run_cli, survives

from translate import TranslateError
from translate.runs.rundir import check_model_archive

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="SIGKILL and the writers' flock are POSIX"),
]

# The command line, with os.replace waiting at the rename onto PAUSE_AT (once PAUSE_READY
# is written, until PAUSE_GO exists).
_PAUSING = textwrap.dedent(
    """
    import os, sys, time
    at, ready, go = (os.environ[name] for name in ("PAUSE_AT", "PAUSE_READY", "PAUSE_GO"))
    real_replace = os.replace

    def replace(source, destination, *args, **kwargs):
        if os.path.realpath(destination) == at:
            open(ready, "w").close()
            while not os.path.exists(go):
                time.sleep(0.05)
        return real_replace(source, destination, *args, **kwargs)

    os.replace = replace
    from translate.cli.commands import main
    sys.exit(main(sys.argv[1:]))
    """
)
_WAIT_SECONDS = 600  # a start of TensorFlow and a trace on a loaded machine


def _start(argv: list[str], tmp_path, pause_at: str | None = None) -> subprocess.Popen:
    """Starts ``translate ARGV`` in a new process, to pause at the rename of ``pause_at``."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    if pause_at is None:
        command = [sys.executable, "-m", "translate", *argv]
    else:
        command = [sys.executable, "-c", _PAUSING, *argv]
        env |= {
            "PAUSE_AT": os.path.realpath(pause_at),
            "PAUSE_READY": str(tmp_path / "paused"),
            "PAUSE_GO": str(tmp_path / "go-on"),
        }
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for(process: subprocess.Popen, path) -> None:
    """Waits until ``path`` exists, failing with the process's output if it ends first."""
    deadline = time.monotonic() + _WAIT_SECONDS
    while not os.path.exists(path):
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the command ended ({process.returncode}) first: {out}{err}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{path} did not appear in {_WAIT_SECONDS} s")
        time.sleep(0.01)


def _kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL


def _finish(process: subprocess.Popen, tmp_path) -> tuple[int, str]:
    """Lets a paused process go on; returns its exit status and standard error."""
    (tmp_path / "go-on").touch()
    _, err = process.communicate(timeout=_WAIT_SECONDS)
    return process.returncode, err


def _leftovers(folder) -> list[str]:
    """Temporaries and lock files of atomic writes left in ``folder``."""
    return sorted(name for name in os.listdir(folder) if ".tmp" in name)


def _complete_export(version_dir) -> bool:
    from translate.inference.export import load_export

    load_export(version_dir)  # raises for a damaged or incomplete SavedModel
    return os.path.exists(os.path.join(version_dir, "assets", "export.json"))


def _complete_run(run_dir) -> bool:
    check_model_archive(os.path.join(run_dir, "model.keras"))
    return sorted(os.listdir(run_dir)) == ["config.yaml", "model.keras", "tokenizer"]


@pytest.mark.parametrize("point", ["while saving", "before the rename"])
def test_export_killed_midway_leaves_no_version(tiny_run, tmp_path, capsys, point):
    run_dir = copy_run(tiny_run, tmp_path)
    export_dir = tmp_path / "export"
    argv = ["export", "--model", run_dir, "--out", str(export_dir)]
    with survives("interrupt", f"export killed {point}"):
        if point == "while saving":  # killed as soon as the temporary folder appears
            process = _start(argv, tmp_path)
            _wait_for(process, export_dir / "1.tmp")
        else:  # the SavedModel is whole, not yet renamed
            process = _start(argv, tmp_path, pause_at=str(export_dir / "1"))
            _wait_for(process, tmp_path / "paused")
            assert os.path.exists(export_dir / "1.tmp" / "saved_model.pb")
        _kill(process)
        assert not os.path.exists(export_dir / "1")  # no version a server would load
        status, out, err = run_cli(argv, capsys)  # the rerun takes version 1 whole
        assert status == 0, err
    assert _complete_export(export_dir / "1")
    assert sorted(os.listdir(export_dir)) == ["1"]  # the killed one's temporary is gone


@pytest.mark.parametrize("point", ["while writing", "between the renames"])
def test_average_killed_midway_leaves_the_old_or_no_folder(tiny_run, tmp_path, capsys, point):
    run_dir = copy_run(tiny_run, tmp_path)
    out_dir = tmp_path / "avg"
    argv = ["average", "--model", run_dir, "--last", "1", "--out", str(out_dir)]
    assert run_cli(argv, capsys)[0] == 0  # a previous average, replaced by the next one
    previous = (out_dir / "model.keras").read_bytes()
    with survives("interrupt", f"average killed {point}"):
        if point == "while writing":  # the new folder has its config and tokenizer, no model
            process = _start(argv, tmp_path, pause_at=str(out_dir) + ".tmp/model.keras")
        else:  # the old folder moved aside, the new one not yet in its place
            process = _start(argv, tmp_path, pause_at=str(out_dir))
        _wait_for(process, tmp_path / "paused")
        _kill(process)
        if point == "while writing":
            assert (out_dir / "model.keras").read_bytes() == previous
        else:
            assert not os.path.exists(out_dir)  # absent, never half of one
        status, out, err = run_cli(argv, capsys)
        assert status == 0, err
    assert _complete_run(out_dir)
    assert _leftovers(tmp_path) == []


def test_two_exports_into_one_folder(tiny_run, tmp_path, capsys):
    """The second export into a folder the first is writing the same version of gets one
    error; the first one's version is whole."""
    run_dir = copy_run(tiny_run, tmp_path)
    export_dir = tmp_path / "export"
    argv = ["export", "--model", run_dir, "--out", str(export_dir)]
    first = _start(argv, tmp_path, pause_at=str(export_dir / "1"))
    _wait_for(first, tmp_path / "paused")
    try:
        with bad_input("concurrency", "export into a version being written", "another process"):
            status, _, err = run_cli(argv, capsys)
            raise TranslateError(one_error_line(status, err))
        assert f"pid {first.pid}" in err and str(export_dir / "1") in err
    finally:
        status, err = _finish(first, tmp_path)
    assert status == 0, err
    assert _complete_export(export_dir / "1") and sorted(os.listdir(export_dir)) == ["1"]
    with bad_input("concurrency", "export of a version written meanwhile", "already exists"):
        status, _, err = run_cli([*argv, "--version", "1"], capsys)
        raise TranslateError(one_error_line(status, err))


def test_two_exports_started_together(tiny_run, tmp_path):
    """Two exports started at once, unpaused: each succeeds or fails with one error line,
    and every version folder is a whole export."""
    run_dir = copy_run(tiny_run, tmp_path)
    export_dir = tmp_path / "export"
    argv = ["export", "--model", run_dir, "--out", str(export_dir)]
    processes = [_start(argv, tmp_path) for _ in range(2)]
    results = [(p.wait(timeout=_WAIT_SECONDS), p.communicate()[1]) for p in processes]
    with survives("concurrency", "two exports started together"):
        for status, err in results:
            if status != 0:
                errors = [line for line in err.splitlines() if line.startswith("error: ")]
                assert status == 2 and len(errors) == 1 and "Traceback" not in err, err
                assert "another process" in errors[0] or "already exists" in errors[0], err
        assert 0 in [status for status, _ in results]
        versions = sorted(os.listdir(export_dir))
        assert versions in (["1"], ["1", "2"]), versions
        assert all(_complete_export(export_dir / version) for version in versions)


def test_two_translations_into_one_output(tiny_run, tmp_path, capsys):
    run_dir = copy_run(tiny_run, tmp_path)
    source = tmp_path / "source.txt"
    source.write_text("Ein Hund.\nEin Mann.\nEine Frau.\n", encoding="utf-8")
    output = tmp_path / "out.txt"
    output.write_text("previous\n", encoding="utf-8")
    argv = ["translate", "--model", run_dir, "-i", str(source), "-o", str(output)]
    first = _start(argv, tmp_path, pause_at=str(output))
    _wait_for(first, tmp_path / "paused")
    try:
        assert output.read_text(encoding="utf-8") == "previous\n"  # the old file, whole
        with bad_input("concurrency", "translate -o a file being written", str(output)):
            status, out, err = run_cli(argv, capsys)
            raise TranslateError(one_error_line(status, err))
        assert f"another process (pid {first.pid}) is writing it" in err
    finally:
        status, err = _finish(first, tmp_path)
    assert status == 0, err
    assert len(output.read_text(encoding="utf-8").split("\n")) == 4  # three lines, each ended
    assert _leftovers(tmp_path) == []
    with survives("concurrency", "translate -o after the other writer ended"):
        status, _, err = run_cli(argv, capsys)
    assert status == 0, err
