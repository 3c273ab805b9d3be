"""Tests of the data layer: the Multi30k TFDS builder and `load_parallel`."""

import gzip
import hashlib
import os
import socket

import pytest
import requests
import tensorflow as tf
import tensorflow_datasets as tfds

from translate.data import multi30k, sources
from translate.errors import TranslateError


def _write(path, lines, compress=False):
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    with (gzip.open if compress else open)(path, "wb") as f:
        f.write(data)
    return str(path)


def _gz_lines(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read().splitlines()


def _fake_multi30k(folder, splits, lines=("eins", "zwei", "drei")):
    """Writes tiny Multi30k-named files for de and en."""
    folder.mkdir(exist_ok=True)
    for split in splits:
        for lang in ("de", "en"):
            _write(folder / f"{split}.{lang}.gz", [f"{lang} {x}" for x in lines], True)
    return str(folder)


# Multi30k builder over the real files -------------------------------------------


@pytest.fixture(scope="session")
def tfds_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("tfds"))


@pytest.mark.parametrize("pair", ["de-en", "fr-en"])
def test_builder_prepares_multi30k_splits(multi30k_dir, tfds_dir, pair):
    builder = multi30k.Multi30k(config=pair, data_dir=tfds_dir, raw_dir=multi30k_dir)
    builder.download_and_prepare()

    sizes = {name: info.num_examples for name, info in builder.info.splits.items()}
    assert sizes == {"train": 29_000, "val": 1_014, "test_2016_flickr": 1_000}
    assert str(builder.data_path).startswith(tfds_dir)


def test_multi30k_keeps_line_order(multi30k_dir, tfds_dir):
    srcs, refs = sources.read_lines(
        "multi30k",
        "de",
        "en",
        "test_2016_flickr",
        data_dir=multi30k_dir,
        tfds_data_dir=tfds_dir,
    )
    de = _gz_lines(os.path.join(multi30k_dir, "test_2016_flickr.de.gz"))
    en = _gz_lines(os.path.join(multi30k_dir, "test_2016_flickr.en.gz"))
    assert (srcs[0], refs[0]) == (de[0], en[0])
    assert (srcs[-1], refs[-1]) == (de[-1], en[-1])
    assert (srcs, refs) == (de, en)


def test_multi30k_train_pairs_stream(multi30k_dir, tfds_dir):
    pairs = sources.load_parallel(
        "multi30k", "de", "en", "train", data_dir=multi30k_dir, tfds_data_dir=tfds_dir
    )
    assert int(pairs.cardinality()) == 29_000
    src, tgt = next(iter(pairs))
    assert (src.shape, tgt.shape) == ((), ())
    assert src.numpy().decode() == _gz_lines(os.path.join(multi30k_dir, "train.de.gz"))[0]


# Multi30k builder over fake folders, and its errors -------------------------------


def test_builder_empty_folder_names_missing_files(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    builder = multi30k.Multi30k(config="de-en", data_dir=str(tmp_path / "tfds"), raw_dir=str(empty))
    with pytest.raises(TranslateError) as err:
        builder.download_and_prepare()
    message = str(err.value)
    for name in ("train.de.gz", "val.en.gz", "test_2016_flickr.de.gz", str(empty)):
        assert name in message
    for hint in ("MULTI30K_DIR", "data.dir", "--data-dir"):
        assert hint in message


@pytest.fixture
def no_folder_no_proxy(monkeypatch):
    """No MULTI30K_DIR and no proxy, so the builder downloads directly."""
    for var in ("MULTI30K_DIR", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def dns_works(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: [])


def _assert_names_files_and_hints(message, names):
    for text in (*names, "MULTI30K_DIR", "data.dir", "--data-dir"):
        assert text in message


def test_builder_offline_fails_fast_naming_files(tmp_path, monkeypatch, no_folder_no_proxy):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    def download(self, urls):
        raise AssertionError("must not try to download when the host does not resolve")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    monkeypatch.setattr(tfds.download.DownloadManager, "download", download)
    builder = multi30k.Multi30k(config="fr-en", data_dir=str(tmp_path / "tfds"))
    with pytest.raises(TranslateError) as err:
        builder.download_and_prepare()
    _assert_names_files_and_hints(
        str(err.value),
        ["train.fr.gz", "test_2016_flickr.en.gz", "cannot resolve raw.githubusercontent.com"],
    )


def test_builder_failed_download_names_files(tmp_path, monkeypatch, no_folder_no_proxy, dns_works):
    def download(self, urls):
        raise requests.exceptions.ConnectionError("Connection refused")

    monkeypatch.setattr(tfds.download.DownloadManager, "download", download)
    builder = multi30k.Multi30k(config="de-en", data_dir=str(tmp_path / "tfds"))
    with pytest.raises(TranslateError) as err:
        builder.download_and_prepare()
    _assert_names_files_and_hints(
        str(err.value), ["train.de.gz", "val.en.gz", "Connection refused"]
    )


def test_builder_downloads_every_published_split(
    tmp_path, monkeypatch, no_folder_no_proxy, dns_works
):
    raw = tmp_path / "raw"
    _fake_multi30k(raw, multi30k.SPLIT_LANGUAGES)
    requested = []

    def download(self, urls):
        requested.extend(tf.nest.flatten(urls))
        return tf.nest.map_structure(lambda url: raw / url.rsplit("/", 1)[1], urls)

    monkeypatch.setattr(tfds.download.DownloadManager, "download", download)
    builder = multi30k.Multi30k(config="en-de", data_dir=str(tmp_path / "tfds"))
    builder.download_and_prepare()

    assert multi30k.URL_ROOT + "train.en.gz" in requested
    assert list(builder.info.splits) == list(multi30k.SPLIT_LANGUAGES)


def test_recorded_checksums_match_the_published_files(multi30k_dir):
    recorded = multi30k.Multi30k.url_infos
    assert len(recorded) == 12
    for url, info in recorded.items():
        assert url == multi30k.URL_ROOT + info.filename
        with open(os.path.join(multi30k_dir, info.filename), "rb") as f:
            data = f.read()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (info.size, info.checksum)


def test_builder_generates_optional_splits_present_locally(tmp_path):
    raw = _fake_multi30k(tmp_path / "raw", multi30k.REQUIRED_SPLITS + ("test_2017_flickr",))
    tfds_data_dir = str(tmp_path / "tfds")

    assert sources.split_names("multi30k", "de", "en", data_dir=raw) == [
        "train",
        "val",
        "test_2016_flickr",
        "test_2017_flickr",
    ]
    srcs, refs = sources.read_lines("multi30k", "de", "en", "test_2017_flickr", raw, tfds_data_dir)
    assert (srcs, refs) == (["de eins", "de zwei", "de drei"], ["en eins", "en zwei", "en drei"])
    with pytest.raises(
        TranslateError,
        match=r"test_2018_flickr\.de\.gz and "
        r"test_2018_flickr\.en\.gz were not in the local folder",
    ):
        sources.load_parallel("multi30k", "de", "en", "test_2018_flickr", raw, tfds_data_dir)


def test_builder_missing_required_split_is_an_error(tmp_path):
    raw = _fake_multi30k(tmp_path / "raw", ["train", "val"])
    builder = multi30k.Multi30k(config="de-en", data_dir=str(tmp_path / "tfds"), raw_dir=raw)
    with pytest.raises(TranslateError) as err:
        builder.download_and_prepare()
    assert "test_2016_flickr.de.gz, test_2016_flickr.en.gz missing" in str(err.value)
    assert "train." not in str(err.value)


def test_builder_misaligned_files_is_an_error(tmp_path):
    raw = _fake_multi30k(tmp_path / "raw", multi30k.REQUIRED_SPLITS)
    _write(tmp_path / "raw" / "val.en.gz", ["only one"], compress=True)
    builder = multi30k.Multi30k(config="de-en", data_dir=str(tmp_path / "tfds"), raw_dir=raw)
    with pytest.raises(TranslateError, match=r"val\.de\.gz has 3 lines but .*val\.en\.gz has 1"):
        builder.download_and_prepare()


def test_multi30k_rejects_unknown_language_and_split():
    with pytest.raises(TranslateError, match="no language 'xx'; it has cs, de, en, fr"):
        sources.load_parallel("multi30k", "xx", "en", "train")
    with pytest.raises(TranslateError, match="no split 'test_2017_mscoco'"):
        sources.load_parallel("multi30k", "cs", "en", "test_2017_mscoco")


def test_builder_has_one_config_per_ordered_pair():
    names = {config.name for config in multi30k.Multi30k.BUILDER_CONFIGS}
    assert len(names) == 12 and {"de-en", "en-de", "fr-en", "cs-en"} <= names


# Folders of parallel files ---------------------------------------------------------

DE = ["Ein Hund läuft.", "Zwei Männer.", "Grüße!"]
EN = ["A dog runs.", "Two men.", "Greetings!"]


def _pairs(dataset):
    return [(s.decode(), t.decode()) for s, t in dataset.as_numpy_iterator()]


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gz"])
def test_folder_parallel_files(tmp_path, compress):
    _write(tmp_path / ("train.de" + (".gz" if compress else "")), DE, compress)
    _write(tmp_path / ("train.en" + (".gz" if compress else "")), EN, compress)

    pairs = sources.load_parallel(str(tmp_path), "de", "en", "train")
    assert _pairs(pairs) == list(zip(DE, EN))


def test_folder_tsv_and_files_prefix(tmp_path):
    _write(tmp_path / "val.tsv", [f"{de}\t{en}" for de, en in zip(DE, EN)])

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
    src = _write(tmp_path / "train.de", DE)
    tgt = _write(tmp_path / "train.en", EN[:2])
    with pytest.raises(TranslateError) as err:
        sources.load_parallel(str(tmp_path), "de", "en", "train")
    assert f"{src} has 3 lines but {tgt} has 2" in str(err.value)


def test_folder_invalid_utf8_names_file_and_line(tmp_path):
    _write(tmp_path / "train.de", DE)
    (tmp_path / "train.en.gz").write_bytes(gzip.compress(b"fine\nbad \xff byte\n"))
    with pytest.raises(TranslateError, match=r"train\.en\.gz, line 2: invalid UTF-8"):
        sources.load_parallel(str(tmp_path), "de", "en", "train")


def test_folder_tsv_line_without_one_tab(tmp_path):
    _write(tmp_path / "test.tsv", ["a\tb", "no tab here", "c\td"])
    with pytest.raises(TranslateError, match=r"test\.tsv, line 2: .* found 0 tabs"):
        sources.load_parallel(str(tmp_path), "de", "en", "test")


@pytest.mark.parametrize("files", [("train.de", "train.en"), ("train.tsv",)])
def test_folder_empty_corpus(tmp_path, files):
    for name in files:
        (tmp_path / name).write_bytes(b"")
    with pytest.raises(TranslateError, match=f"corpus .*{files[0]}.* is empty"):
        sources.load_parallel(str(tmp_path), "de", "en", "train")


def test_folder_missing_files_names_paths_tried(tmp_path):
    _write(tmp_path / "train.de", DE)
    with pytest.raises(TranslateError) as err:
        sources.load_parallel(str(tmp_path), "de", "en", "train")
    for name in ("train.de[.gz]", "train.en[.gz]", "train.tsv[.gz]"):
        assert os.path.join(str(tmp_path), name) in str(err.value)


def test_unknown_source_is_an_error(tmp_path):
    with pytest.raises(TranslateError, match="neither 'multi30k'"):
        sources.load_parallel(str(tmp_path / "nowhere"), "de", "en", "train")


# TFDS catalog datasets, offline through mock_data ---------------------------------


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
    assert len(examples) == 4
    assert all(isinstance(s, bytes) and isinstance(t, bytes) for s, t in examples)


def test_tfds_source_unknown_language_names_available_ones(tmp_path):
    with tfds.testing.mock_data(num_examples=1):
        with pytest.raises(TranslateError, match="no language 'de'; it has en, pt"):
            sources.load_parallel(
                "tfds:ted_hrlr_translate/pt_to_en", "de", "en", "train", tfds_data_dir=str(tmp_path)
            )


def test_tfds_source_unknown_dataset():
    with pytest.raises(TranslateError, match="TFDS has no dataset 'no_such_corpus'"):
        sources.load_parallel("tfds:no_such_corpus", "de", "en", "train")
