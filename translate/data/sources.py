"""One interface to every parallel corpus: `load_parallel`.

A corpus is named by a ``source`` string:

* ``multi30k``: Multi30k task 1 through the TFDS builder in
  :mod:`translate.data.multi30k`; splits ``train``, ``val``,
  ``test_2016_flickr`` (and the later test sets where published).
* ``tfds:NAME`` or ``tfds:NAME/CONFIG``: a translation dataset of the TFDS
  catalog, e.g. ``tfds:ted_hrlr_translate/pt_to_en``; split names are TFDS's.
* a folder path, optionally written ``files:PATH``, holding either
  ``{split}.{src_lang}`` and ``{split}.{tgt_lang}`` (plain or ``.gz``), one
  sentence per line, or one ``{split}.tsv`` with tab-separated source and target.

Every corpus comes back as a ``tf.data.Dataset`` of scalar ``tf.string``
``(source, target)`` pairs in file order, read lazily from disk. Local files are
checked with :mod:`translate.data.lines` first. Before a TFDS download, the
download hosts are probed (:func:`unreachable`), so an offline run fails in
seconds rather than minutes.

Example:
    >>> ds = load_parallel("multi30k", "de", "en", "val")
    >>> sources, references = read_lines("multi30k", "de", "en", "test_2016_flickr")
"""

from __future__ import annotations

import os
import queue
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence

import requests
import tensorflow as tf
import tensorflow_datasets as tfds
from tensorflow_datasets.core.download import download_manager

from translate import TranslateError
from translate.config.messages import shorten
from translate.data import cache, multi30k
from translate.data.lines import check_parallel, iter_lines

MULTI30K = "multi30k"
TFDS_PREFIX = "tfds:"
FILES_PREFIX = "files:"
# Seconds a probe of the download hosts may take, for all hosts together (unreachable).
PROBE_SECONDS = 8.0


def load_parallel(
    source: str,
    src_lang: str,
    tgt_lang: str,
    split: str,
    data_dir: str | None = None,
    tfds_data_dir: str | None = None,
) -> tf.data.Dataset:
    """Returns a split of a parallel corpus as (source, target) string pairs.

    Local files are checked before the dataset is returned, in one streaming
    pass: both sides must have the same number of lines, be valid UTF-8 and
    not be empty.

    Args:
        source: ``multi30k``, ``tfds:NAME[/CONFIG]`` or a folder (``files:PATH``).
        src_lang: Source language code.
        tgt_lang: Target language code.
        split: Split name, e.g. ``train``, ``val`` or ``test_2016_flickr``.
        data_dir: For ``multi30k``, the local folder of the raw ``.gz`` files
            (default env ``MULTI30K_DIR``, else they are downloaded); for
            ``tfds:NAME``, a folder of its files downloaded by hand (TFDS's
            ``manual_dir``).
        tfds_data_dir: Where TFDS writes prepared datasets (default TFDS's own,
            env ``TFDS_DATA_DIR`` or ``~/tensorflow_datasets``).

    Returns:
        A dataset of scalar ``tf.string`` pairs in corpus order.

    Raises:
        TranslateError: For an unknown source, language or split, for missing,
            misaligned, non-UTF-8 or empty files, and for a dataset that is not
            prepared and cannot be downloaded (within seconds when offline).
    """
    if src_lang == tgt_lang:
        raise TranslateError(f"source and target language are both {src_lang!r}")
    if source == MULTI30K:
        return _multi30k_pairs(src_lang, tgt_lang, split, data_dir, tfds_data_dir)
    if source.startswith(TFDS_PREFIX):
        name = source[len(TFDS_PREFIX) :]
        return _tfds_pairs(name, src_lang, tgt_lang, split, data_dir, tfds_data_dir)
    return _folder_pairs(_corpus_folder(source), src_lang, tgt_lang, split)


def read_lines(
    source: str,
    src_lang: str,
    tgt_lang: str,
    split: str,
    data_dir: str | None = None,
    tfds_data_dir: str | None = None,
) -> tuple[list[str], list[str]]:
    """Returns a small split (val, test) as Python lists of sources and references.

    Args and errors are those of `load_parallel`; the lists are in corpus order.
    """
    src_lines, ref_lines = [], []
    pairs = load_parallel(source, src_lang, tgt_lang, split, data_dir, tfds_data_dir)
    for src, tgt in pairs.as_numpy_iterator():
        src_lines.append(src.decode("utf-8"))
        ref_lines.append(tgt.decode("utf-8"))
    return src_lines, ref_lines


def split_names(
    source: str,
    src_lang: str,
    tgt_lang: str,
    data_dir: str | None = None,
    tfds_data_dir: str | None = None,
) -> list[str]:
    """Returns the split names a corpus offers for a language pair.

    Args:
        source: As for `load_parallel`.
        src_lang: Source language code.
        tgt_lang: Target language code.
        data_dir: For ``multi30k``, the local folder of the raw ``.gz`` files
            (default env ``MULTI30K_DIR``).
        tfds_data_dir: Where TFDS keeps prepared datasets.

    Returns:
        For ``multi30k``, the splits published in both languages, restricted to
        those whose two files are in the local folder if one is given; for a
        TFDS dataset, the splits its metadata records (empty until it is
        prepared); for a folder, the splits with both sides or a ``.tsv``.
    """
    if source == MULTI30K:
        return _multi30k_splits(src_lang, tgt_lang, data_dir)
    if source.startswith(TFDS_PREFIX):
        return list(_tfds_builder(source[len(TFDS_PREFIX) :], tfds_data_dir).info.splits)
    return _folder_splits(_corpus_folder(source), src_lang, tgt_lang)


def corpus_fingerprint(
    source: str,
    src_lang: str,
    tgt_lang: str,
    split: str,
    data_dir: str | None = None,
) -> dict:
    """What a split of a corpus is read from, cheaply (no full read of any file).

    Caches built from the split (a ``data.cache`` of token ids, a run's
    tokenizer) record it and are checked against it later.

    Args:
        source: As for `load_parallel`.
        src_lang: Source language code.
        tgt_lang: Target language code.
        split: The split.
        data_dir: As for `load_parallel`.

    Returns:
        For local files (a folder, or Multi30k's local folder), the names,
        sizes, modification times and sample hashes of the split's files
        (:func:`translate.data.cache.files_fingerprint`); for a download
        or a TFDS catalog dataset, its name (TFDS versions what it prepares).
    """
    described = {"source": source, "pair": f"{src_lang}-{tgt_lang}", "split": split}
    if source == MULTI30K:
        folder = data_dir or os.environ.get(multi30k.ENV_VAR)
        if not folder:
            return {**described, "download": multi30k.URL_ROOT}
        paths = [
            os.path.join(folder, multi30k.file_name(split, lang)) for lang in (src_lang, tgt_lang)
        ]
    elif source.startswith(TFDS_PREFIX):
        return described
    else:
        folder = _corpus_folder(source)
        paths = [_find_file(folder, f"{split}.{lang}") for lang in (src_lang, tgt_lang)]
        if not all(paths):
            paths = [_find_file(folder, f"{split}.tsv")]
    present = [path for path in paths if path and os.path.isfile(path)]
    return {**described, **cache.files_fingerprint(present)}


def _check_languages(corpus: str, available: Sequence[str], langs: Sequence[str]) -> None:
    for lang in langs:
        if lang not in available:
            raise TranslateError(
                f"{corpus} has no language {lang!r}; it has "
                f"{', '.join(available) or 'no text features'}"
            )


def _as_pairs(
    builder: tfds.core.DatasetBuilder, split: str, src_lang: str, tgt_lang: str
) -> tf.data.Dataset:
    examples = builder.as_dataset(split=split, shuffle_files=False)
    return examples.map(lambda example: (example[src_lang], example[tgt_lang]))


# Multi30k ---------------------------------------------------------------------


def _multi30k_pairs(
    src_lang: str,
    tgt_lang: str,
    split: str,
    data_dir: str | None,
    tfds_data_dir: str | None,
) -> tf.data.Dataset:
    _check_languages(MULTI30K, multi30k.LANGUAGES, (src_lang, tgt_lang))
    splits = multi30k.pair_splits(src_lang, tgt_lang)
    if split not in splits:
        raise TranslateError(
            f"multi30k {src_lang}-{tgt_lang} has no split {split!r}; it has {', '.join(splits)}"
        )
    builder = multi30k.prepared_builder(src_lang, tgt_lang, data_dir, tfds_data_dir)
    if split not in builder.info.splits:
        files = " and ".join(multi30k.file_name(split, lang) for lang in (src_lang, tgt_lang))
        raise TranslateError(
            f"multi30k {src_lang}-{tgt_lang}: split {split!r} is not in "
            f"{builder.data_dir}: {files} were not in the local folder when it was "
            "prepared; add them there (it is prepared again when its files change)"
        )
    return _as_pairs(builder, split, src_lang, tgt_lang)


def _multi30k_splits(src_lang: str, tgt_lang: str, data_dir: str | None) -> list[str]:
    _check_languages(MULTI30K, multi30k.LANGUAGES, (src_lang, tgt_lang))
    splits = multi30k.pair_splits(src_lang, tgt_lang)
    folder = data_dir or os.environ.get(multi30k.ENV_VAR)
    if not folder:
        return splits
    return [
        split
        for split in splits
        if all(
            os.path.isfile(os.path.join(folder, multi30k.file_name(split, lang)))
            for lang in (src_lang, tgt_lang)
        )
    ]


# TFDS catalog -------------------------------------------------------------------


def _tfds_pairs(
    name: str,
    src_lang: str,
    tgt_lang: str,
    split: str,
    manual_dir: str | None,
    tfds_data_dir: str | None,
) -> tf.data.Dataset:
    corpus = TFDS_PREFIX + name
    builder = _tfds_builder(name, tfds_data_dir)
    _check_languages(corpus, _text_features(builder), (src_lang, tgt_lang))
    if not builder.is_prepared():
        _prepare_tfds(corpus, builder, manual_dir)
    try:
        return _as_pairs(builder, split, src_lang, tgt_lang)
    except ValueError as err:  # Unknown split or malformed split spec.
        raise TranslateError(f"{corpus}, split {split!r}: {_first_line(err)}") from err


def _prepare_tfds(corpus: str, builder: tfds.core.DatasetBuilder, manual_dir: str | None) -> None:
    """Downloads and prepares a catalog dataset, failing within seconds when offline.

    Unless files were put in ``manual_dir``, the download hosts are probed first
    (:func:`unreachable`); TFDS's own downloader would
    retry each URL for minutes before failing.
    """
    folder = os.path.abspath(os.path.expanduser(manual_dir)) if manual_dir else None
    url_infos = dict(builder.url_infos or {})
    file_names = sorted({info.filename for info in url_infos.values() if info.filename})
    given = folder and any(os.path.isfile(os.path.join(folder, n)) for n in file_names)
    reason = None if given else unreachable(url_infos)
    if reason is None:
        try:
            builder.download_and_prepare(
                download_config=tfds.download.DownloadConfig(manual_dir=folder)
            )
            return
        except (requests.RequestException, tfds.download.DownloadError) as err:
            reason = _first_line(err)
        except OSError as err:  # A full disk, a folder without write permission.
            raise TranslateError(
                f"{corpus}: cannot prepare it in {builder.data_dir}: "
                f"{shorten(_first_line(err), 160)}"
            ) from err
        except download_manager.NonMatchingChecksumError as err:
            raise TranslateError(
                f"{corpus}: a file does not match the size and checksum TFDS records for it: "
                f"{shorten(_first_line(err), 200)}"
            ) from err
    names = ", ".join(file_names[:3]) + (", ..." if len(file_names) > 3 else "")
    raise TranslateError(
        f"{corpus}: download failed: {shorten(reason, 160)}; it is not prepared in "
        f"{builder.data_dir}. Without network, put its files ({names or 'as TFDS names them'}) "
        "in a folder given with --data-dir (TFDS manual_dir), or point env TFDS_DATA_DIR "
        "(TFDS data_dir) at a folder where it is prepared"
    )


def _tfds_builder(name: str, tfds_data_dir: str | None) -> tfds.core.DatasetBuilder:
    corpus = TFDS_PREFIX + name
    if not name:
        raise TranslateError(f"{corpus!r} names no dataset; write tfds:NAME[/CONFIG]")
    try:
        return tfds.builder(name, data_dir=tfds_data_dir)
    except tfds.core.DatasetNotFoundError as err:
        raise TranslateError(f"{corpus}: TFDS has no dataset {name.split('/')[0]!r}") from err
    except ValueError as err:  # Unknown config or version.
        raise TranslateError(f"{corpus}: {_first_line(err)}") from err


def _text_features(builder: tfds.core.DatasetBuilder) -> list[str]:
    """Returns the names of the top-level text features, i.e. the languages."""
    features = builder.info.features
    if not isinstance(features, tfds.features.FeaturesDict):
        return []
    return sorted(
        key for key, feature in features.items() if isinstance(feature, tfds.features.Text)
    )


def _first_line(err: Exception) -> str:
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__


# Folders of files ---------------------------------------------------------------


def _corpus_folder(source: str) -> str:
    path = source[len(FILES_PREFIX) :] if source.startswith(FILES_PREFIX) else source
    folder = os.path.expanduser(path)
    if not os.path.isdir(folder):
        raise TranslateError(
            f"data.source {source!r} is neither 'multi30k', 'tfds:NAME[/CONFIG]' "
            "nor an existing folder"
        )
    return folder


def _find_file(folder: str, name: str) -> str | None:
    """Returns folder/name or folder/name.gz, whichever exists first, else None."""
    for candidate in (name, name + ".gz"):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            return path
    return None


def _folder_pairs(folder: str, src_lang: str, tgt_lang: str, split: str) -> tf.data.Dataset:
    src_path = _find_file(folder, f"{split}.{src_lang}")
    tgt_path = _find_file(folder, f"{split}.{tgt_lang}")
    if src_path and tgt_path:
        check_parallel(src_path, tgt_path)
        return tf.data.Dataset.zip((_text_lines(src_path), _text_lines(tgt_path)))
    tsv_path = _find_file(folder, f"{split}.tsv")
    if tsv_path:
        _check_tsv(tsv_path)
        return _text_lines(tsv_path).map(_split_tsv_line)
    tried = [
        os.path.join(folder, f"{split}.{suffix}[.gz]") for suffix in (src_lang, tgt_lang, "tsv")
    ]
    raise TranslateError(f"no {split} corpus for {src_lang}-{tgt_lang}: tried {', '.join(tried)}")


def _text_lines(path: str) -> tf.data.Dataset:
    compression = "GZIP" if path.endswith(".gz") else ""
    return tf.data.TextLineDataset(path, compression_type=compression)


def _check_tsv(path: str) -> None:
    """Checks every line has exactly one tab and the file is not empty."""
    count = 0
    for count, line in enumerate(iter_lines(path), start=1):
        tabs = line.count("\t")
        if tabs != 1:
            raise TranslateError(
                f"{path}, line {count}: expected source<TAB>target, found {tabs} tabs"
            )
    if count == 0:
        raise TranslateError(f"corpus {path} is empty")


def _split_tsv_line(line: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    columns = tf.strings.split(line, "\t")
    return columns[0], columns[1]


def _folder_splits(folder: str, src_lang: str, tgt_lang: str) -> list[str]:
    splits = set()
    for name in os.listdir(folder):
        stem, _, suffix = name.removesuffix(".gz").rpartition(".")
        if suffix == "tsv" or (suffix == src_lang and _find_file(folder, f"{stem}.{tgt_lang}")):
            splits.add(stem)
    return sorted(splits)


def _endpoint(url: str) -> tuple[str, int]:
    """The host and port a download of ``url`` connects to first (its proxy's, if one is set)."""
    parts = urllib.parse.urlparse(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(parts.hostname or ""):
        proxy_parts = urllib.parse.urlparse(proxy if "://" in proxy else f"http://{proxy}")
        return proxy_parts.hostname or "", proxy_parts.port or 80
    default_port = 443 if parts.scheme == "https" else 21 if parts.scheme == "ftp" else 80
    return parts.hostname or "", parts.port or default_port


def _connect(host: str, port: int, timeout: float) -> None:
    """Resolves ``host`` and opens (then closes) one TCP connection to it."""
    with socket.create_connection((host, port), timeout=timeout):
        pass


def unreachable(urls: Iterable[str], timeout: float = PROBE_SECONDS) -> str | None:
    """Why none of the hosts of ``urls`` can be reached, or None if one of them can.

    Offline, the TFDS downloader does not fail quickly: each URL goes through
    ``requests`` with ``urllib3`` retries (``MAX_RETRIES = 10`` with exponential
    back-off in ``tensorflow_datasets/core/download/downloader.py``) and no
    connect timeout. Here each distinct host (or the proxy) is tried once, all
    at the same time, with a short timeout (name resolution, then a TCP
    connection to the port of the URL or of the configured proxy), so the answer
    comes within about ``timeout`` seconds however many hosts there are. Only
    when no host answers does the caller give up; the download itself still
    goes through TFDS's own code path, retries included.

    Args:
        urls: The URLs a download would fetch.
        timeout: Seconds allowed for name resolution and connection, for all hosts.

    Returns:
        None if at least one host accepted a connection (or there is no URL);
        otherwise a short reason naming the first host, e.g.
        ``"cannot reach example.org:443 ([Errno -2] Name or service not known)"``.
    """
    endpoints = sorted({_endpoint(url) for url in urls} - {("", 80), ("", 443)})
    if not endpoints:
        return None
    answers: queue.Queue = queue.Queue()

    def probe(endpoint: tuple[str, int]) -> None:
        try:
            _connect(*endpoint, timeout)
            answers.put((endpoint, None))
        except OSError as error:
            answers.put((endpoint, str(error) or type(error).__name__))

    # Daemon threads: a name lookup that hangs cannot be cancelled, nor may it delay exit.
    for endpoint in endpoints:
        threading.Thread(target=probe, args=(endpoint,), daemon=True).start()
    reasons = {}
    deadline = time.monotonic() + timeout + 1
    while len(reasons) < len(endpoints):
        try:
            endpoint, reason = answers.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            break
        if reason is None:
            return None
        reasons[endpoint] = reason
    host, port = endpoints[0]
    reason = reasons.get((host, port), f"no answer within {timeout:g} s")
    return f"cannot reach {host}:{port} ({reason})"
