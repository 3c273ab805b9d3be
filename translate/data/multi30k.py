"""TensorFlow Datasets builder for Multi30k task 1 (image-caption translation).

One builder config per ordered language pair over cs, de, en and fr
(``multi30k/de-en``, ``multi30k/en-de``, ``multi30k/fr-en``, ...). Each example
is a ``{src_lang: text, tgt_lang: text}`` translation and the examples of a split
keep the line order of the published files.

The raw files come from one of two places:

* A local folder (argument ``raw_dir``, else env ``MULTI30K_DIR``) holding
  ``{split}.{lang}.gz`` exactly as published under ``data/task1/raw/`` of the
  ``multi30k/dataset`` GitHub repository. Nothing is downloaded. The train, val
  and test_2016_flickr files must be there; a later test set whose files are
  absent is not generated.
* Otherwise the files are downloaded from GitHub by the TFDS download manager,
  which checks the sizes and sha256 sums recorded in ``checksums.tsv`` next to
  this module.

Example:
    >>> builder = Multi30k(config="de-en", data_dir="/tmp/tfds",
    ...                    raw_dir="/data/multi30k")
    >>> builder.download_and_prepare()
    >>> ds = builder.as_dataset(split="val", shuffle_files=False)
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import shutil
import socket
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import tensorflow_datasets as tfds

from translate import TranslateError
from translate.data import cache
from translate.data.lines import check_parallel, iter_lines
from translate.runs.fileio import write_text

LANGUAGES = ("cs", "de", "en", "fr")
REQUIRED_SPLITS = ("train", "val", "test_2016_flickr")

# Languages each split is published in. Czech exists only for train, val and
# the 2016 and 2018 Flickr test sets: the repository publishes no
# test_2017_flickr.cs.gz and no test_2017_mscoco.cs.gz.
SPLIT_LANGUAGES = {
    "train": LANGUAGES,
    "val": LANGUAGES,
    "test_2016_flickr": LANGUAGES,
    "test_2017_flickr": ("de", "en", "fr"),
    "test_2017_mscoco": ("de", "en", "fr"),
    "test_2018_flickr": LANGUAGES,
}

# Written next to TFDS's prepared records: the fingerprint of the files they were made from.
SOURCE_RECORD = "translate_source.json"
URL_ROOT = "https://raw.githubusercontent.com/multi30k/dataset/master/data/task1/raw/"
ENV_VAR = "MULTI30K_DIR"
_HOW_TO_PROVIDE = (
    "give a local folder holding the Multi30k task 1 raw {split}.{lang}.gz files "
    f"with env {ENV_VAR}, config key data.dir or flag --data-dir"
)


def pair_splits(src_lang: str, tgt_lang: str) -> list[str]:
    """Returns the Multi30k splits published in both languages, in release order.

    Args:
        src_lang: Source language code.
        tgt_lang: Target language code.
    """
    return [
        split for split, langs in SPLIT_LANGUAGES.items() if src_lang in langs and tgt_lang in langs
    ]


def file_name(split: str, lang: str) -> str:
    """Returns the published file name of one side of a split, e.g. ``val.de.gz``."""
    return f"{split}.{lang}.gz"


def raw_fingerprint(src_lang: str, tgt_lang: str, raw_dir: str | None) -> dict[str, Any]:
    """What the prepared dataset of a language pair is made from.

    Args:
        src_lang: Source language code.
        tgt_lang: Target language code.
        raw_dir: The local folder (else env ``MULTI30K_DIR``); None to download.

    Returns:
        The :func:`~translate.data.cache.files_fingerprint` of the pair's files present in
        the folder (name, size, modification time, sample hash), or
        ``{"download": URL_ROOT}`` without a folder.
    """
    folder = raw_dir or os.environ.get(ENV_VAR)
    if not folder:
        return {"download": URL_ROOT}
    paths = [
        os.path.join(folder, file_name(split, lang))
        for split in pair_splits(src_lang, tgt_lang)
        for lang in (src_lang, tgt_lang)
    ]
    record = cache.files_fingerprint([path for path in paths if os.path.isfile(path)])
    return {**record, "folder": os.path.realpath(folder)}


def prepared_builder(
    src_lang: str, tgt_lang: str, raw_dir: str | None, data_dir: str | None
) -> Multi30k:
    """The builder of a language pair, prepared from the files it is given now.

    TFDS keeps a prepared dataset under ``data_dir`` and would serve it again
    whatever the local folder holds later. Here the fingerprint of the raw files
    is recorded next to it (``SOURCE_RECORD``) and checked on every call: when
    the folder or its files changed (names, sizes, modification times, samples
    of their content), the prepared copy is deleted and made again from the
    files now there, with a note on stderr.

    Args:
        src_lang: Source language code.
        tgt_lang: Target language code.
        raw_dir: The local folder of the raw files (else env ``MULTI30K_DIR``;
            without either, the files are downloaded).
        data_dir: Where TFDS keeps prepared datasets (None for its default).

    Raises:
        TranslateError: As the builder does (missing or misaligned files, a
            failed download).
    """
    config = f"{src_lang}-{tgt_lang}"
    builder = Multi30k(config=config, data_dir=data_dir, raw_dir=raw_dir)
    if builder._raw_dir and not os.path.isdir(builder._raw_dir):
        raise TranslateError(
            f"Multi30k folder {builder._raw_dir} does not exist; {_HOW_TO_PROVIDE}"
        )
    wanted = raw_fingerprint(src_lang, tgt_lang, builder._raw_dir)
    if builder.is_prepared():
        change = cache.difference(_recorded(builder.data_dir), wanted)
        if change is None:
            return builder
        print(
            f"note: multi30k {config}: the prepared copy in {builder.data_dir} is out of date "
            f"({change}); preparing it again",
            file=sys.stderr,
            flush=True,
        )
        shutil.rmtree(builder.data_dir)
        builder = Multi30k(config=config, data_dir=data_dir, raw_dir=raw_dir)
    builder.download_and_prepare()
    write_text(os.path.join(builder.data_dir, SOURCE_RECORD), json.dumps(wanted, indent=1))
    return builder


def _recorded(prepared_dir: str) -> Any:
    """The fingerprint recorded in a prepared dataset's folder, or None."""
    try:
        with open(os.path.join(prepared_dir, SOURCE_RECORD), encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


@dataclasses.dataclass(eq=False, kw_only=True)
class Multi30kConfig(tfds.core.BuilderConfig):
    """Builder config for one translation direction.

    Attributes:
        src_lang: Source language code.
        tgt_lang: Target language code.
    """

    src_lang: str
    tgt_lang: str


class Multi30k(tfds.core.GeneratorBasedBuilder):
    """Multi30k task 1: Flickr30k captions translated between cs, de, en and fr."""

    VERSION = tfds.core.Version("1.0.0")
    RELEASE_NOTES = {"1.0.0": "Multi30k task 1 raw (untokenized, cased) files."}
    BUILDER_CONFIGS = [
        Multi30kConfig(
            name=f"{src}-{tgt}",
            description=f"Multi30k task 1, {src} to {tgt}.",
            src_lang=src,
            tgt_lang=tgt,
        )
        for src, tgt in itertools.permutations(LANGUAGES, 2)
    ]

    def __init__(self, *, raw_dir: str | os.PathLike | None = None, **kwargs: Any):
        """Creates the builder.

        Args:
            raw_dir: Local folder of the raw ``.gz`` files; defaults to env
                ``MULTI30K_DIR``. If neither is set, the files are downloaded.
            **kwargs: Passed to `tfds.core.GeneratorBasedBuilder` (``config``,
                ``data_dir`` where the prepared records go, ``version``).
        """
        folder = raw_dir or os.environ.get(ENV_VAR)
        self._raw_dir = os.fspath(folder) if folder else None
        super().__init__(**kwargs)
        # Pickling rebuilds the builder from `_original_state`; keep the folder.
        self._original_state["raw_dir"] = self._raw_dir

    def _info(self) -> tfds.core.DatasetInfo:
        config = self.builder_config
        return tfds.core.DatasetInfo(
            builder=self,
            description=(
                "Multi30k task 1: English descriptions of Flickr30k images with "
                "German, French and Czech translations (raw, cased text)."
            ),
            features=tfds.features.Translation(languages=(config.src_lang, config.tgt_lang)),
            supervised_keys=(config.src_lang, config.tgt_lang),
            homepage="https://github.com/multi30k/dataset",
            # Examples are stored in line order (keys are line indices), which the
            # evaluation relies on to align hypotheses with references.
            disable_shuffling=True,
        )

    def _split_generators(
        self, dl_manager: tfds.download.DownloadManager
    ) -> dict[str, Iterator[tuple[int, dict[str, str]]]]:
        files = {
            split: {lang: file_name(split, lang) for lang in self._langs}
            for split in pair_splits(*self._langs)
        }
        if self._raw_dir:
            paths = self._local_paths(files)
        else:
            paths = self._download(dl_manager, files)
        src_lang, tgt_lang = self._langs
        return {
            split: self._generate_examples(pair[src_lang], pair[tgt_lang])
            for split, pair in paths.items()
        }

    def _generate_examples(
        self, src_path: os.PathLike, tgt_path: os.PathLike
    ) -> Iterator[tuple[int, dict[str, str]]]:
        check_parallel(src_path, tgt_path)
        src_lang, tgt_lang = self._langs
        lines = zip(iter_lines(src_path), iter_lines(tgt_path))
        for index, (src, tgt) in enumerate(lines):
            yield index, {src_lang: src, tgt_lang: tgt}

    @property
    def _langs(self) -> tuple[str, str]:
        return self.builder_config.src_lang, self.builder_config.tgt_lang

    def _local_paths(self, files: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        """Returns the local path of every file of the splits present in raw_dir.

        Raises:
            TranslateError: If raw_dir is not a folder or lacks a file of a
                required split.
        """
        if not os.path.isdir(self._raw_dir):
            raise TranslateError(
                f"Multi30k folder {self._raw_dir} does not exist; {_HOW_TO_PROVIDE}"
            )
        paths = {}
        missing = []
        for split, names in files.items():
            split_paths = {lang: os.path.join(self._raw_dir, name) for lang, name in names.items()}
            absent = [names[lang] for lang, path in split_paths.items() if not os.path.isfile(path)]
            if not absent:
                paths[split] = split_paths
            elif split in REQUIRED_SPLITS:
                missing.extend(absent)
        if missing:
            raise TranslateError(
                f"Multi30k {self.builder_config.name}: {', '.join(missing)} missing "
                f"in {self._raw_dir}; {_HOW_TO_PROVIDE}"
            )
        return paths

    def _download(
        self,
        dl_manager: tfds.download.DownloadManager,
        files: dict[str, dict[str, str]],
    ) -> dict[str, dict[str, os.PathLike]]:
        """Downloads the files, or raises TranslateError naming them if it cannot.

        Files listed in checksums.tsv are verified against their recorded size
        and sha256. The later test sets (test_2017_*, test_2018_flickr) have no
        recorded checksum: TFDS accepts unrecorded URLs unless
        ``force_checksums_validation`` is set, so they are downloaded unchecked.
        """
        urls = {
            split: {lang: URL_ROOT + name for lang, name in names.items()}
            for split, names in files.items()
        }
        try:
            _check_network()
            return dl_manager.download(urls)
        except (OSError, tfds.download.DownloadError) as err:
            needed = [name for names in files.values() for name in names.values()]
            raise TranslateError(
                f"Multi30k {self.builder_config.name}: could not download "
                f"{', '.join(needed)} from {URL_ROOT} ({err}); without network, "
                f"{_HOW_TO_PROVIDE}"
            ) from err


def _check_network() -> None:
    """Fails fast when the download host cannot be resolved and no proxy is set.

    Offline, the TFDS downloader retries each file for minutes before failing.

    Raises:
        OSError: If the host name does not resolve.
    """
    if "https" in urllib.request.getproxies():
        return  # The proxy resolves the host.
    host = urllib.parse.urlparse(URL_ROOT).hostname
    try:
        socket.getaddrinfo(host, 443)
    except OSError as err:
        raise OSError(f"cannot resolve {host}: {err}") from err
