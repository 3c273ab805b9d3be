"""Bad corpora get one clear answer naming the file, line and counts.

Two sides of different lengths name both files and both counts (for a folder,
and for the Multi30k folder also after a first preparation); invalid UTF-8,
damaged gzip, empty or missing sides and malformed TSV name the file and line;
empty and over-long pairs are filtered and counted; a changed Multi30k folder is
prepared again, not served from the prepared copy.

Every case goes through ``bad_input`` or ``survives`` of ``helpers.py``, which
record it; with env ``ROBUSTNESS_CASES=FILE`` the record is written there at the
end of the session (``benchmarks/robustness_report.py`` counts it).
"""

from __future__ import annotations

import gzip
import os

import pytest
from helpers import (
    TRAIN_PAIRS_EMPTY,
    TRAIN_PAIRS_KEPT,
    TRAIN_PAIRS_LONG,
    bad_input,
    survives,
    write_lines,
    write_parallel,
)


def _load(folder, split="train"):
    from translate.data import sources

    return sources.load_parallel(os.fspath(folder), "de", "en", split)


def test_mismatched_line_counts_name_both_files_and_counts(tmp_path):
    (tmp_path / "train.de").write_text("a\nb\nc\n", encoding="utf-8")
    (tmp_path / "train.en").write_text("a\nb\n", encoding="utf-8")
    with bad_input(
        "corpus", "mismatched line counts", "train.de", "has 3 lines", "train.en", "has 2"
    ):
        _load(tmp_path)


def test_last_line_without_newline_still_counts(tmp_path):
    (tmp_path / "train.de").write_text("a\nb", encoding="utf-8")
    (tmp_path / "train.en").write_text("x\ny\n", encoding="utf-8")
    with survives("corpus", "missing final newline"):
        pairs = list(_load(tmp_path).as_numpy_iterator())
    assert pairs == [(b"a", b"x"), (b"b", b"y")]


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_invalid_utf8_names_file_and_line(tmp_path, compress):
    good, bad = b"ein hund\nzwei\n", b"a dog\n\xff\xfe broken\n"
    suffix = ".gz" if compress else ""
    for lang, data in (("de", good), ("en", bad)):
        path = tmp_path / f"train.{lang}{suffix}"
        path.write_bytes(gzip.compress(data) if compress else data)
    with bad_input(
        "corpus",
        f"invalid UTF-8 ({'gzip' if compress else 'plain'})",
        f"train.en{suffix}, line 2",
        "invalid UTF-8",
    ):
        _load(tmp_path)


def test_damaged_gzip_is_a_clear_error(tmp_path):
    data = gzip.compress("".join(f"satz {i}\n" for i in range(2000)).encode())
    (tmp_path / "train.en.gz").write_bytes(
        gzip.compress("".join(f"line {i}\n" for i in range(2000)).encode())
    )
    (tmp_path / "train.de.gz").write_bytes(data[: len(data) // 2])  # truncated
    with bad_input("corpus", "truncated gzip", "cannot read", "train.de.gz"):
        _load(tmp_path)
    damaged = bytearray(data)
    damaged[40:60] = b"\x00" * 20  # garbage inside the deflate stream
    (tmp_path / "train.de.gz").write_bytes(bytes(damaged))
    with bad_input("corpus", "corrupted gzip", "cannot read", "train.de.gz"):
        _load(tmp_path)
    (tmp_path / "train.de.gz").write_bytes(b"not gzip at all\n")
    with bad_input("corpus", "not gzip", "cannot read", "train.de.gz"):
        _load(tmp_path)


def test_empty_and_missing_corpora(tmp_path):
    (tmp_path / "train.de").write_text("", encoding="utf-8")
    (tmp_path / "train.en").write_text("", encoding="utf-8")
    with bad_input("corpus", "empty corpus", "train.de", "is empty"):
        _load(tmp_path)
    (tmp_path / "val.de").write_text("nur eine Seite\n", encoding="utf-8")
    with bad_input("corpus", "one side missing", "no val corpus", "val.en"):
        _load(tmp_path, "val")
    with bad_input("corpus", "not a folder", str(tmp_path / "nowhere"), "neither"):
        _load(tmp_path / "nowhere")
    (tmp_path / "test.tsv").write_text("a\tb\nc\td\te\n", encoding="utf-8")
    with bad_input("corpus", "tsv with 2 tabs", "test.tsv, line 2", "2 tabs"):
        _load(tmp_path, "test")
    from translate.data import sources

    with bad_input("corpus", "same language twice", "'de'"):
        sources.load_parallel(os.fspath(tmp_path), "de", "de", "train")


def test_empty_and_overlong_pairs_are_filtered_and_counted(tiny_run, tmp_path):
    from translate.data.pipeline import training_batches
    from translate.data.tokenizer import SubwordTokenizer

    tokenizer = SubwordTokenizer.load(os.path.join(tiny_run["run_dir"], "tokenizer"))
    pairs = [
        ("ein hund .", "a dog ."),
        ("", "x"),
        ("y", ""),
        (" \t ", "z"),
        ("hund " * 50, "dog ."),
        ("die katze .", "the cat ."),
        ("\u200b", "w"),
    ]
    write_parallel(tmp_path, "train", pairs)
    with survives("corpus", "empty and over-long pairs"):
        _, counts = training_batches(
            _load(tmp_path),
            tokenizer,
            batch_size=4,
            max_length=20,
            bucket_width=4,
            shuffle_buffer=10,
            seed=1,
        )
    # "\u200b" normalizes to nothing, so it is an empty side too.
    assert (counts.kept, counts.empty, counts.too_long) == (2, 4, 1), counts
    assert "2 training pairs kept; dropped 4 with an empty side and 1 longer" in counts.describe()
    write_parallel(tmp_path, "train", [("", "x"), ("hund " * 50, "dog .")])
    with bad_input(
        "corpus", "nothing left after filtering", "no training pairs left", "max_length=20"
    ):
        training_batches(
            _load(tmp_path),
            tokenizer,
            batch_size=4,
            max_length=20,
            bucket_width=4,
            shuffle_buffer=10,
            seed=1,
        )
    # The trained run reported its own filter counts.
    assert (
        f"{TRAIN_PAIRS_KEPT} training pairs kept; dropped {TRAIN_PAIRS_EMPTY} with an empty "
        f"side and {TRAIN_PAIRS_LONG} longer"
    ) in tiny_run["log"]


def test_tokenizer_needs_text():
    from translate.data.tokenizer import SubwordTokenizer

    with bad_input("corpus", "blank corpus for the tokenizer", "no text"):
        SubwordTokenizer.train(["", "  "], ["\t", ""], vocab_size=300)


# Line counts ----------------------------------------------------------------------------


def test_mismatched_folder_corpus_names_both_files_and_counts(tmp_path):
    from translate.data import sources

    write_lines(tmp_path / "train.de", ["ein satz"] * 29_000)
    write_lines(tmp_path / "train.en", ["a sentence"] * 28_990)
    with bad_input(
        "corpus",
        "28,990 against 29,000 lines",
        f"{tmp_path / 'train.de'} has 29,000 lines",
        f"{tmp_path / 'train.en'} has 28,990",
    ):
        sources.load_parallel(str(tmp_path), "de", "en", "train")


def _multi30k_folder(folder, lines_de, lines_en=None):
    folder.mkdir(exist_ok=True)
    for split in ("train", "val", "test_2016_flickr"):
        write_lines(folder / f"{split}.de.gz", lines_de, compress=True)
        write_lines(folder / f"{split}.en.gz", lines_en or lines_de, compress=True)
    return str(folder)


def test_multi30k_change_after_preparing_is_seen_not_served_from_the_cache(tmp_path, capfd):
    from translate.data import sources

    raw, tfds_dir = tmp_path / "raw", str(tmp_path / "tfds")
    _multi30k_folder(raw, ["eins", "zwei"])
    assert sources.read_lines("multi30k", "de", "en", "train", str(raw), tfds_dir)[0] == [
        "eins",
        "zwei",
    ]
    with survives("cache", "multi30k files changed under a prepared copy"):
        _multi30k_folder(raw, ["vier", "fünf", "sechs"])
        sources_now, _ = sources.read_lines("multi30k", "de", "en", "train", str(raw), tfds_dir)
    assert sources_now == ["vier", "fünf", "sechs"]
    assert "preparing it again" in capfd.readouterr().err
    write_lines(raw / "train.en.gz", ["one", "two"], compress=True)
    with bad_input(
        "corpus",
        "multi30k sides differ after a first preparation",
        f"{raw / 'train.de.gz'} has 3 lines",
        f"{raw / 'train.en.gz'} has 2",
    ):
        sources.load_parallel("multi30k", "de", "en", "train", str(raw), tfds_dir)


def test_multi30k_other_folder_is_prepared_from_its_own_files(tmp_path):
    from translate.data import sources

    tfds_dir = str(tmp_path / "tfds")
    first = _multi30k_folder(tmp_path / "a", ["a"])
    second = _multi30k_folder(tmp_path / "b", ["b"])
    assert sources.read_lines("multi30k", "de", "en", "val", first, tfds_dir)[0] == ["a"]
    with survives("cache", "MULTI30K_DIR points to another folder"):
        assert sources.read_lines("multi30k", "de", "en", "val", second, tfds_dir)[0] == ["b"]


def test_multi30k_prepared_without_a_record_is_prepared_again(tmp_path, capfd):
    from translate.data import multi30k, sources

    tfds_dir = str(tmp_path / "tfds")
    raw = _multi30k_folder(tmp_path / "raw", ["a"])
    sources.read_lines("multi30k", "de", "en", "val", raw, tfds_dir)
    prepared = multi30k.Multi30k(config="de-en", data_dir=tfds_dir, raw_dir=raw).data_dir
    os.remove(os.path.join(prepared, multi30k.SOURCE_RECORD))  # As an earlier version left it.
    capfd.readouterr()
    with survives("cache", "prepared Multi30k of unknown origin"):
        assert sources.read_lines("multi30k", "de", "en", "val", raw, tfds_dir)[0] == ["a"]
    assert "nothing recorded" in capfd.readouterr().err
