"""Reading local text corpora: UTF-8 lines, line counts, and a check of two aligned files.

Used by :mod:`translate.data.sources` for folders of files, by
:mod:`translate.data.multi30k` for the raw Multi30k files, and (for
:func:`count_lines`, the one line counter) by the commands that stream files.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator

from translate import TranslateError


def iter_lines(path: str | os.PathLike) -> Iterator[str]:
    """Yields the lines of a UTF-8 text file (``.gz`` is decompressed).

    A line loses its ``\\n`` and a ``\\r`` before it, like `tf.data.TextLineDataset`.

    Args:
        path: Plain or gzip-compressed text file.

    Raises:
        TranslateError: If the file cannot be read or a line is not UTF-8
            (naming the file and the 1-based line number).
    """
    path = os.fspath(path)
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as lines:
            for number, line in enumerate(lines, start=1):
                yield _decode_line(line, path, number)
    except (OSError, EOFError, zlib.error) as err:  # zlib.error: damaged .gz data.
        raise TranslateError(f"cannot read {path}: {err}") from err


def count_lines(path: str | os.PathLike, *, decode: bool = True) -> int:
    """Returns the number of lines of a text file: its ``\n`` plus a last line without one.

    Args:
        path: The file.
        decode: Read it as :func:`iter_lines` does (``.gz`` decompressed, every
            line checked to be UTF-8); False counts the bytes as stored, in
            blocks, as a reader that replaces bad UTF-8 sees the lines.

    Raises:
        TranslateError: With ``decode``, as :func:`iter_lines`.
        OSError: Without it, if the file cannot be read.
    """
    if decode:
        return sum(1 for _ in iter_lines(path))
    lines, last = 0, b"\n"
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def check_parallel(src_path: str | os.PathLike, tgt_path: str | os.PathLike) -> int:
    """Checks two line-aligned files and returns their common line count.

    Raises:
        TranslateError: If the counts differ, the corpus is empty or a file is
            unreadable or not UTF-8.
    """
    src_count = count_lines(src_path)
    tgt_count = count_lines(tgt_path)
    if src_count != tgt_count:
        raise TranslateError(
            f"parallel files differ in length: {os.fspath(src_path)} has "
            f"{src_count:,} lines but {os.fspath(tgt_path)} has {tgt_count:,}"
        )
    if src_count == 0:
        raise TranslateError(f"corpus {os.fspath(src_path)} / {os.fspath(tgt_path)} is empty")
    return src_count


def _decode_line(line: bytes, path: str, number: int) -> str:
    if line.endswith(b"\n"):
        line = line[:-1]
    if line.endswith(b"\r"):
        line = line[:-1]
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as err:
        raise TranslateError(
            f"{path}, line {number}: invalid UTF-8 (byte {err.start + 1} of the line)"
        ) from err
