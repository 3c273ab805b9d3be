"""Caches are used only for the files they were built from.

A ``data.cache`` of token ids is checked against the corpus it was built from
and written again when the corpus changes or its record is missing; resuming a
run on changed training data is refused; the corpus fingerprint reads only the
head and tail of each file.

Every case goes through ``bad_input`` or ``survives`` of ``helpers.py``, which
record it; with env ``ROBUSTNESS_CASES=FILE`` the record is written there at the
end of the session (``benchmarks/robustness_report.py`` counts it).
"""

from __future__ import annotations

import os

import pytest
from helpers import (
    bad_input,
    run_files,
    survives,
    write_parallel,
)

from translate.config.schema import load_config


@pytest.fixture(scope="module")
def tokenizer():
    from helpers import template_pairs

    from translate.data.tokenizer import SubwordTokenizer

    pairs = template_pairs()
    return SubwordTokenizer.train([s for s, _ in pairs], [t for _, t in pairs], vocab_size=120)


def _batches(folder, tokenizer, cache):
    from translate.data import sources
    from translate.data.pipeline import training_batches

    return training_batches(
        sources.load_parallel(str(folder), "de", "en", "train"),
        tokenizer,
        batch_size=8,
        max_length=40,
        bucket_width=4,
        shuffle_buffer=10,
        seed=1,
        cache=cache,
        corpus_fingerprint=sources.corpus_fingerprint(str(folder), "de", "en", "train"),
    )[1]


def test_token_cache_files_are_kept_only_for_what_they_were_built_from(tmp_path, capfd):
    from translate.data import cache

    prefix = str(tmp_path / "tokens")
    old = cache.built_from({"files": [{"file": "train.de", "size": 10}]}, (b"m",), 0)
    new = cache.built_from({"files": [{"file": "train.de", "size": 12}]}, (b"m",), 0)
    files = [prefix + ".index", prefix + ".data-00000-of-00001"]
    for path in files:
        open(path, "wb").close()
    cache.record(prefix, old)
    cache.prepare(prefix, old)
    assert all(os.path.exists(path) for path in files)
    with survives("cache", "data.cache files of another corpus"):
        cache.prepare(prefix, new)
    assert not any(os.path.exists(path) for path in files)
    assert "train.de: 10 bytes, now 12" in capfd.readouterr().err
    for path in files:
        open(path, "wb").close()
    assert not os.path.exists(prefix + cache.RECORD_SUFFIX)  # Deleted with the cache.
    with survives("cache", "data.cache files without a record"):
        cache.prepare(prefix, new)
    assert not any(os.path.exists(path) for path in files)


@pytest.mark.slow
def test_data_cache_is_written_again_when_the_corpus_changes(tmp_path, tokenizer, capfd):
    from helpers import template_pairs

    corpus, prefix = tmp_path / "corpus", str(tmp_path / "tokens")
    write_parallel(corpus, "train", template_pairs()[:50])
    assert _batches(corpus, tokenizer, prefix).kept == 50
    assert "out of date" not in capfd.readouterr().err
    with survives("cache", "data.cache under a changed corpus"):
        write_parallel(corpus, "train", template_pairs()[:70])
        counts = _batches(corpus, tokenizer, prefix)
    assert counts.kept == 70
    assert "data.cache" in capfd.readouterr().err


@pytest.mark.slow
def test_data_cache_is_reused_as_is_and_rewritten_without_a_record(tmp_path, tokenizer, capfd):
    from helpers import template_pairs

    corpus, prefix = tmp_path / "corpus", str(tmp_path / "tokens")
    write_parallel(corpus, "train", template_pairs()[:30])
    _batches(corpus, tokenizer, prefix)
    index_time = os.stat(prefix + ".index").st_mtime_ns
    assert _batches(corpus, tokenizer, prefix).kept == 30
    assert os.stat(prefix + ".index").st_mtime_ns == index_time  # Read, not written again.
    assert "out of date" not in capfd.readouterr().err
    os.remove(prefix + ".source.json")  # A cache of an earlier version, or of unknown origin.
    write_parallel(corpus, "train", template_pairs()[:40])
    with survives("cache", "data.cache without a record"):
        assert _batches(corpus, tokenizer, prefix).kept == 40


def test_resuming_on_changed_training_data_is_refused(tmp_path):
    from translate.runs.rundir import RunDir
    from translate.training import train as training

    files = run_files(tmp_path)
    config = load_config(files["config"])
    RunDir(files["run_dir"]).save_tokenizer(training.train_tokenizer(config))
    train_en = os.path.join(files["corpus"], "train.en")
    with open(train_en, "a", encoding="utf-8") as handle:
        handle.write("One more line.\n")
    with open(os.path.join(files["corpus"], "train.de"), "a", encoding="utf-8") as handle:
        handle.write("Noch eine Zeile.\n")
    with bad_input("cache", "resume after the training files changed", "train.de", "new --run-dir"):
        training.train(config, files["run_dir"])


def test_fingerprint_reads_only_head_and_tail(tmp_path, monkeypatch):
    from translate.data import cache

    path = tmp_path / "big.gz"
    path.write_bytes(os.urandom(1 << 21))
    reads = []

    class Counting:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def read(self, size=-1):
            reads.append(size)
            return self.handle.read(size)

        def seek(self, *args):
            return self.handle.seek(*args)

    monkeypatch.setattr(cache, "open", lambda *a, **k: Counting(open(*a, **k)), raising=False)
    record = cache.file_fingerprint(path)
    assert record["size"] == 1 << 21
    assert len(reads) == 2 and all(0 < size <= cache.SAMPLE_BYTES for size in reads)
