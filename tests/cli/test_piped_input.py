"""Input from a pipe is answered as it arrives; a regular file is read in full chunks.

* :class:`translate.runs.fileio.ArrivingLines` splits and decodes a pipe like a
  file is read (``\\n`` ends a line, a trailing ``\\r`` goes, bad UTF-8 becomes
  U+FFFD, a last line may lack its end), and ``ready()`` never blocks.
* :func:`translate.inference.translator.chunks` ends a chunk where no further
  line has arrived.
* A real ``python -m translate translate`` (and ``score``) process answers each
  line written to its standard input before the next one is written.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys

import pytest

from translate.inference.translator import chunks
from translate.runs.fileio import ArrivingLines, open_lines, read_lines


def test_arriving_lines_split_and_decode_like_a_file(tmp_path):
    data = b"eins\r\n\nzwei \xff drei\r\r\nletzte ohne Ende\r"
    path = tmp_path / "lines.txt"
    path.write_bytes(data)
    read, write = os.pipe()
    os.write(write, data)
    os.close(write)
    assert list(ArrivingLines(read, close=True)) == list(open_lines(str(path)))
    assert list(open_lines(str(path))) == ["eins", "", "zwei \ufffd drei", "letzte ohne Ende"]


def test_ready_says_whether_a_line_has_arrived_without_blocking():
    read, write = os.pipe()
    lines = ArrivingLines(read, close=True)
    assert not lines.ready()  # nothing written yet: no wait
    os.write(write, "Ein Hu".encode())
    assert not lines.ready()  # half a line is not a line
    os.write(write, "nd.\nZwei".encode())
    assert lines.ready() and next(lines) == "Ein Hund."
    assert not lines.ready()
    os.write(write, " Katzen.\n".encode())
    assert next(lines) == "Zwei Katzen."
    os.close(write)
    assert lines.ready() and list(lines) == []  # the end is there too


def test_chunks_end_where_no_further_line_has_arrived():
    read, write = os.pipe()
    lines = ArrivingLines(read, close=True)
    os.write(write, b"a\nb\n")
    grouped = chunks(lines, 2000)
    assert next(grouped) == ["a", "b"]  # not waiting for 1,998 more
    os.write(write, b"c\n" * 5)
    os.close(write)
    assert list(grouped) == [["c"] * 5]
    assert list(chunks(iter(["x"] * 5), 2)) == [["x", "x"], ["x", "x"], ["x"]]  # no ready()


def test_a_regular_file_is_not_read_as_arriving(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("a\nb\n", encoding="utf-8")
    assert not hasattr(open_lines(str(path)), "ready")
    assert not hasattr(read_lines(str(path)), "ready")


def _dialogue(argv: list[str], stdin_lines: list[str], timeout: float = 120) -> list[str]:
    """Writes one line at a time to a real process and reads its answer before the next."""
    env = {**os.environ}
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # the command sets its own
    process = subprocess.Popen(
        [sys.executable, "-m", "translate", *argv],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    answers = []
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            for line in stdin_lines:
                process.stdin.write(line.encode("utf-8") + b"\n")
                process.stdin.flush()  # and the pipe stays open: the process must not wait
                assert selector.select(timeout), f"no answer to {line!r} within {timeout} s"
                answers.append(process.stdout.readline().decode("utf-8").rstrip("\n"))
        process.stdin.close()
        rest = process.stdout.read().decode("utf-8")
        err = process.stderr.read().decode("utf-8")
        assert process.wait(timeout=timeout) == 0, err
        assert rest == "", rest  # one answer per line, nothing held back
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return answers


@pytest.mark.slow  # a real process per command, each loading TensorFlow: ~30 s
def test_a_piped_translation_answers_each_line_before_the_next_is_written(tiny_run, tmp_path):
    from translate.inference.translator import Translator

    sentences = ["Ein Hund.", "", "Zwei Männer spielen Fußball.", "Eine Frau liest."]
    argv = ["translate", "--model", tiny_run["run_dir"], "--beam-size", "2"]
    answers = _dialogue(argv, sentences)
    expected = Translator.load(tiny_run["run_dir"])
    expected.decoding = expected.search_settings(beam_size=2)
    assert answers == [t.text for t in expected.translate(sentences)]  # in order, blank kept
    assert answers[1] == ""

    # score reads its input the same way: each pair is scored once its source has arrived.
    references = tmp_path / "references.en"
    references.write_text("A dog.\n\nTwo men play soccer.\nA woman reads.\n", encoding="utf-8")
    argv = ["score", "--model", tiny_run["run_dir"], "-i", "/dev/stdin", "-r", str(references)]
    scores = _dialogue(argv, sentences)
    assert len(scores) == 4 and all(len(line.split("\t")) == 3 for line in scores)
