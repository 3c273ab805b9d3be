"""Bad command lines end in one ``error:`` line and exit status 2; odd input keeps its line count.

* A bad config, a bad translate option or a bad numeric option gives one
  ``error: ...`` line on standard error and status 2, before any work, also in a
  real ``python -m translate`` process.
* ``translate -i FILE`` and standard input with odd lines, bad bytes and stray
  carriage returns give one output line per input line, and a warning for a
  line that was cut.

Every case goes through ``bad_input`` or ``survives`` of ``helpers.py``, which
record it; with env ``ROBUSTNESS_CASES=FILE`` the record is written there at the
end of the session (``benchmarks/robustness_report.py`` counts it).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from unittest import mock

import pytest
from helpers import (
    ODD_LINES,
    bad_input,
    one_error_line,
    run_cli,
    survives,
)

from translate import TranslateError
from translate.cli import commands as cli


def test_cli_prints_one_error_line_and_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("training:\n  epoch: 3\n", encoding="utf-8")
    with bad_input("cli", "train with unknown key", "training.epoch"):
        status = cli.main(["train", "--config", str(bad), "--run-dir", str(tmp_path / "run")])
        err = capsys.readouterr().err
        assert status == 2
        assert err.startswith("error: ") and err.count("\n") == 1, err
        raise TranslateError(err.strip())
    assert not (tmp_path / "run").exists()  # nothing was created for a bad config


@pytest.mark.slow
def test_cli_exit_status_in_a_real_process(tmp_path):
    """The installed entry point: ``python -m translate`` exits 2 with one line on stderr."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "translate",
            "train",
            "--config",
            str(tmp_path / "missing.yaml"),
            "--run-dir",
            str(tmp_path / "run"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    with bad_input(
        "cli", "missing config in a subprocess", "config file not found", "missing.yaml"
    ):
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        assert len(errors) == 1, result.stderr
        raise TranslateError(errors[0])


@pytest.mark.slow
def test_cli_keeps_line_count_and_warns_about_truncation(tiny_run, tmp_path, capsys):
    odd = [line for name, line in ODD_LINES.items() if name != "very long word"]
    lines = ["ein hund ."] + odd + ["x" * 10_000, "", "die katze ."]
    raw = b"".join(line.encode("utf-8", "surrogatepass") + b"\n" for line in lines)
    raw = raw.replace(b"\r", b" ").replace(b"\n\n", b"\nbad \xff\xfe\xc3 bytes\n", 1)
    long_number = raw.split(b"\n").index(b"x" * 10_000) + 1  # 1-based line number
    expected_lines = raw.count(b"\n")
    source = tmp_path / "in.txt"
    source.write_bytes(raw)
    out = tmp_path / "out.jsonl"
    with survives("cli", "translate -i FILE --format json"):
        status = cli.main(
            [
                "translate",
                "--model",
                tiny_run["run_dir"],
                "-i",
                str(source),
                "-o",
                str(out),
                "--format",
                "json",
                "--beam-size",
                "1",
            ]
        )
    err = capsys.readouterr().err
    assert status == 0, err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n")[:-1]]
    assert len(records) == expected_lines
    assert records[0]["source"] == "ein hund ." and records[-1]["source"] == "die katze ."
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: line {long_number} is longer than 256 subwords; "
        "only its beginning was translated"
    ], err

    # Standard input: undecodable bytes and stray carriage returns change no line count.
    stdin = io.TextIOWrapper(
        io.BytesIO(b"ein hund\r\n\xff\xfe\n\rkatze\r zwei\n\n"), encoding="utf-8"
    )
    with (
        mock.patch.object(sys, "stdin", stdin),
        survives("cli", "translate from stdin with bad bytes"),
    ):
        status = cli.main(["translate", "--model", tiny_run["run_dir"], "--beam-size", "1"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert captured.out.count("\n") == 4, captured.out


TRANSLATE_OPTION_CASES = [
    ("beam size 0", ["--beam-size", "0"], ["--beam-size", "got '0'"]),
    ("negative batch size", ["--batch-size", "-1"], ["--batch-size", "got '-1'"]),
    ("batch size 0", ["--batch-size", "0"], ["--batch-size", "got '0'"]),
    ("n-best over beam", ["--beam-size", "2", "--n-best", "3"], ["n-best", "got 3"]),
    ("missing input file", ["-i", "{tmp}/nope.txt"], ["cannot read", "nope.txt"]),
    ("output in a missing folder", ["-o", "{tmp}/no/such/out.txt"], ["cannot write", "out.txt"]),
    ("model dir missing", ["--model", "{tmp}/nowhere"], ["model directory not found", "nowhere"]),
]


@pytest.mark.parametrize(
    "name,options,expected", TRANSLATE_OPTION_CASES, ids=[c[0] for c in TRANSLATE_OPTION_CASES]
)
def test_cli_translate_option_errors(tiny_run, tmp_path, capsys, name, options, expected):
    options = [option.replace("{tmp}", str(tmp_path)) for option in options]
    model = [] if "--model" in options else ["--model", tiny_run["run_dir"]]
    with bad_input("cli", f"translate {name}", *expected):
        text = [] if "-i" in options else ["ein hund ."]  # text arguments win over -i
        status, _, err = run_cli(["translate", *model, *options, *text], capsys)
        assert status == 2 and err.startswith("error: ") and "\n" not in err, (status, err)
        raise TranslateError(err)


NUMERIC_OPTION_CASES = [
    ("translate", "--beam-size", "0", ">= 1"),
    ("translate", "--beam-size", "-1", ">= 1"),
    ("translate", "--beam-size", "1.5", "an integer"),
    ("translate", "--beam-size", "inf", "an integer"),
    ("translate", "--n-best", "0", ">= 1"),
    ("translate", "--n-best", "nan", "an integer"),
    ("translate", "--batch-size", "0", ">= 1"),
    ("translate", "--length-penalty", "nan", "finite"),
    ("translate", "--length-penalty", "-5", ">= 0"),
    ("translate", "--length-penalty", "inf", "finite"),
    ("translate", "--coverage-penalty", "nan", "finite"),
    ("translate", "--coverage-penalty", "-0.5", ">= 0"),
    ("translate", "--length-penalty", "x", "a number"),
    ("evaluate", "--limit", "-1", ">= 0"),
    ("evaluate", "--limit", "nan", "an integer"),
    ("evaluate", "--limit", "2.5", "an integer"),
    ("evaluate", "--plots", "-1", ">= 0"),
    ("evaluate", "--beam-size", "0", ">= 1"),
    ("evaluate", "--length-penalty=", "-inf", "finite"),
    ("evaluate", "--batch-size", "-8", ">= 1"),
    ("export", "--version", "0", ">= 1"),
    ("export", "--version", "-3", ">= 1"),
    ("export", "--beam-size", "0", ">= 1"),
    ("average", "--last", "0", ">= 1"),
    ("average", "--last", "inf", "an integer"),
]


@pytest.mark.parametrize(
    "command,option,value,rule",
    NUMERIC_OPTION_CASES,
    ids=[f"{c[0]} {c[1]} {c[2]}" for c in NUMERIC_OPTION_CASES],
)
def test_numeric_options_are_checked_before_any_work(
    tmp_path, capsys, command, option, value, rule
):
    option = option.rstrip("=")  # --option=-inf: argparse takes -inf alone for an option
    argv = [command, "--model", str(tmp_path / "never-read"), f"{option}={value}"]
    argv += ["--out", str(tmp_path / "out")] if command == "export" else []
    with bad_input("cli option", f"{command} {option} {value}", option, repr(value), rule):
        status, out, err = run_cli(argv, capsys)
        raise TranslateError(one_error_line(status, err))
    assert not (tmp_path / "out").exists()
