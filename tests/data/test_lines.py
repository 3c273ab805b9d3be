"""Tests of reading local corpus files: lines, counts and the check of two aligned files."""

import gzip

import pytest

from translate import TranslateError
from translate.data.lines import check_parallel, count_lines, iter_lines


def test_lines_lose_their_line_ends_like_text_line_dataset(tmp_path):
    path = tmp_path / "train.de"
    path.write_bytes(b"eins\r\nzwei\n\ndrei")
    assert list(iter_lines(path)) == ["eins", "zwei", "", "drei"]
    packed = tmp_path / "train.de.gz"
    packed.write_bytes(gzip.compress(b"eins\nzwei\n"))
    assert list(iter_lines(packed)) == ["eins", "zwei"] and count_lines(packed) == 2


def test_bad_bytes_and_bad_files_name_the_file_and_line(tmp_path):
    path = tmp_path / "val.en"
    path.write_bytes(b"fine\nbad \xff byte\n")
    with pytest.raises(TranslateError, match=rf"{path}, line 2: invalid UTF-8 \(byte 5 of"):
        count_lines(path)
    broken = tmp_path / "val.de.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(TranslateError, match=f"cannot read {broken}"):
        count_lines(broken)


def test_parallel_files_must_have_the_same_nonzero_length(tmp_path):
    (tmp_path / "a.de").write_text("eins\nzwei\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("one\ntwo\n", encoding="utf-8")
    (tmp_path / "b.en").write_text("one\n", encoding="utf-8")
    (tmp_path / "e.de").write_text("", encoding="utf-8")
    (tmp_path / "e.en").write_text("", encoding="utf-8")
    assert check_parallel(tmp_path / "a.de", tmp_path / "a.en") == 2
    with pytest.raises(TranslateError, match="a.de has 2 lines but .*b.en has 1"):
        check_parallel(tmp_path / "a.de", tmp_path / "b.en")
    with pytest.raises(TranslateError, match="is empty"):
        check_parallel(tmp_path / "e.de", tmp_path / "e.en")
