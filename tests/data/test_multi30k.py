"""Tests of the Multi30k TFDS builder (:mod:`translate.data.multi30k`): over the real files,
over fake folders, downloads (mocked) and its errors."""

import gzip
import hashlib
import os
import socket

import pytest
import requests
import tensorflow as tf
import tensorflow_datasets as tfds
from helpers import write_lines

from translate import TranslateError
from translate.data import multi30k, sources


def _gz_lines(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read().splitlines()


def _fake_multi30k(folder, splits, lines=("eins", "zwei", "drei")):
    """Writes tiny Multi30k-named files for de and en."""
    folder.mkdir(exist_ok=True)
    for split in splits:
        for lang in ("de", "en"):
            write_lines(folder / f"{split}.{lang}.gz", [f"{lang} {x}" for x in lines], True)
    return str(folder)


# Multi30k builder over the real files -------------------------------------------


@pytest.fixture(scope="session")
def tfds_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("tfds"))


@pytest.mark.slow
@pytest.mark.parametrize("pair", ["de-en", "fr-en"])
def test_builder_prepares_multi30k_splits(multi30k_dir, tfds_dir, pair):
    builder = multi30k.Multi30k(config=pair, data_dir=tfds_dir, raw_dir=multi30k_dir)
    builder.download_and_prepare()

    sizes = {name: info.num_examples for name, info in builder.info.splits.items()}
    assert sizes == {"train": 29_000, "val": 1_014, "test_2016_flickr": 1_000}
    assert str(builder.data_path).startswith(tfds_dir)


@pytest.mark.slow
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


@pytest.mark.slow
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
    write_lines(tmp_path / "raw" / "val.en.gz", ["only one"], compress=True)
    builder = multi30k.Multi30k(config="de-en", data_dir=str(tmp_path / "tfds"), raw_dir=raw)
    with pytest.raises(TranslateError, match=r"val\.de\.gz has 3 lines but .*val\.en\.gz has 1"):
        builder.download_and_prepare()


def test_builder_has_one_config_per_ordered_pair():
    names = {config.name for config in multi30k.Multi30k.BUILDER_CONFIGS}
    assert len(names) == 12 and {"de-en", "en-de", "fr-en", "cs-en"} <= names
