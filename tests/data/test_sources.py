"""Tests of the corpus sources (:mod:`translate.data.sources`): folders of parallel or TSV
files, the corpus names it dispatches on, and TFDS catalog datasets (offline, mocked)."""

import gzip
import os

import pytest
import tensorflow_datasets as tfds
from helpers import write_lines

from translate import TranslateError
from translate.data import sources


def test_multi30k_rejects_unknown_language_and_split():
    with pytest.raises(TranslateError, match="no language 'xx'; it has cs, de, en, fr"):
        sources.load_parallel("multi30k", "xx", "en", "train")
    with pytest.raises(TranslateError, match="no split 'test_2017_mscoco'"):
        sources.load_parallel("multi30k", "cs", "en", "test_2017_mscoco")


# Folders of parallel files ---------------------------------------------------------

DE = ["Ein Hund läuft.", "Zwei Männer.", "Grüße!"]
EN = ["A dog runs.", "Two men.", "Greetings!"]


def _pairs(dataset):
    return [(s.decode(), t.decode()) for s, t in dataset.as_numpy_iterator()]


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gz"])
def test_folder_parallel_files(tmp_path, compress):
    write_lines(tmp_path / ("train.de" + (".gz" if compress else "")), DE, compress)
    write_lines(tmp_path / ("train.en" + (".gz" if compress else "")), EN, compress)

    pairs = sources.load_parallel(str(tmp_path), "de", "en", "train")
    assert _pairs(pairs) == list(zip(DE, EN))


def test_folder_tsv_and_files_prefix(tmp_path):
    write_lines(tmp_path / "val.tsv", [f"{de}\t{en}" for de, en in zip(DE, EN)])

    assert sources.read_lines(f"files:{tmp_path}", "de", "en", "val") == (DE, EN)
    assert sources.split_names(f"files:{tmp_path}", "de", "en") == ["val"]


def test_folder_strips_windows_line_ends_like_python_reader(tmp_path):
    (tmp_path / "train.de").write_bytes(b"eins\r\nzwei\r\n")
    (tmp_path / "train.en").write_bytes(b"one\ntwo")

    assert sources.read_lines(str(tmp_path), "de", "en", "train") == (
        ["eins", "zwei"],
        ["one", "two"],
    )
    assert list(sources.iter_lines(tmp_path / "train.de")) == ["eins", "zwei"]


def test_folder_mismatched_line_counts(tmp_path):
    src = write_lines(tmp_path / "train.de", DE)
    tgt = write_lines(tmp_path / "train.en", EN[:2])
    with pytest.raises(TranslateError) as err:
        sources.load_parallel(str(tmp_path), "de", "en", "train")
    assert f"{src} has 3 lines but {tgt} has 2" in str(err.value)


def test_folder_invalid_utf8_names_file_and_line(tmp_path):
    write_lines(tmp_path / "train.de", DE)
    (tmp_path / "train.en.gz").write_bytes(gzip.compress(b"fine\nbad \xff byte\n"))
    with pytest.raises(TranslateError, match=r"train\.en\.gz, line 2: invalid UTF-8"):
        sources.load_parallel(str(tmp_path), "de", "en", "train")


def test_folder_tsv_line_without_one_tab(tmp_path):
    write_lines(tmp_path / "test.tsv", ["a\tb", "no tab here", "c\td"])
    with pytest.raises(TranslateError, match=r"test\.tsv, line 2: .* found 0 tabs"):
        sources.load_parallel(str(tmp_path), "de", "en", "test")


@pytest.mark.parametrize("files", [("train.de", "train.en"), ("train.tsv",)])
def test_folder_empty_corpus(tmp_path, files):
    for name in files:
        (tmp_path / name).write_bytes(b"")
    with pytest.raises(TranslateError, match=f"corpus .*{files[0]}.* is empty"):
        sources.load_parallel(str(tmp_path), "de", "en", "train")


def test_folder_missing_files_names_paths_tried(tmp_path):
    write_lines(tmp_path / "train.de", DE)
    with pytest.raises(TranslateError) as err:
        sources.load_parallel(str(tmp_path), "de", "en", "train")
    for name in ("train.de[.gz]", "train.en[.gz]", "train.tsv[.gz]"):
        assert os.path.join(str(tmp_path), name) in str(err.value)


def test_unknown_source_is_an_error(tmp_path):
    with pytest.raises(TranslateError, match="neither 'multi30k'"):
        sources.load_parallel(str(tmp_path / "nowhere"), "de", "en", "train")


# TFDS catalog datasets, offline through mock_data ---------------------------------


@pytest.fixture(autouse=True)
def _hosts_answer(request, monkeypatch):
    """mock_data replaces the download, not the probe of the download hosts before it."""
    if request.node.name.startswith("test_tfds_"):
        monkeypatch.setattr(sources, "unreachable", lambda urls, timeout=0: None)


def test_tfds_source_maps_features_to_pairs(tmp_path):
    with tfds.testing.mock_data(num_examples=4):
        pairs = sources.load_parallel(
            "tfds:ted_hrlr_translate/pt_to_en",
            "pt",
            "en",
            "validation",
            tfds_data_dir=str(tmp_path),
        )
        examples = list(pairs.as_numpy_iterator())
        swapped = sources.load_parallel(
            "tfds:ted_hrlr_translate/pt_to_en",
            "en",
            "pt",
            "validation",
            tfds_data_dir=str(tmp_path),
        )
        features = tfds.load(
            "ted_hrlr_translate/pt_to_en", split="validation", data_dir=str(tmp_path)
        )
        expected = [(row["pt"], row["en"]) for row in features.as_numpy_iterator()]
        assert list(swapped.as_numpy_iterator()) == [(t, s) for s, t in expected]
    assert len(examples) == 4 and examples == expected
    assert len({source for source, _ in examples}) == 4  # four different mock sentences


def test_tfds_source_unknown_language_names_available_ones(tmp_path):
    with tfds.testing.mock_data(num_examples=1):
        with pytest.raises(TranslateError, match="no language 'de'; it has en, pt"):
            sources.load_parallel(
                "tfds:ted_hrlr_translate/pt_to_en", "de", "en", "train", tfds_data_dir=str(tmp_path)
            )


def test_tfds_source_unknown_dataset():
    with pytest.raises(TranslateError, match="TFDS has no dataset 'no_such_corpus'"):
        sources.load_parallel("tfds:no_such_corpus", "de", "en", "train")
