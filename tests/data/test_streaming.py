"""Large corpora stream through tf.data: TFDS sources, local files, and ``data.cache``."""

import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from translate import TranslateError
from translate.config.schema import load_config
from translate.data import sources
from translate.data.pipeline import training_batches
from translate.data.tokenizer import SubwordTokenizer

_DE = "eins zwei drei vier fünf sechs sieben acht neun zehn".split()
_EN = "one two three four five six seven eight nine ten".split()


def _ops(dataset):
    """The op types of a dataset's graph (its whole input pipeline)."""
    graph = tf.compat.v1.GraphDef()
    graph.ParseFromString(dataset._as_serialized_graph().numpy())  # pylint: disable=protected-access
    ops = {node.op for node in graph.node}
    for function in graph.library.function:
        ops |= {node.op for node in function.node_def}
    return ops


def _folder_corpus(folder, count=300):
    folder.mkdir()
    pairs = [(i % 10, 1 + i % 4) for i in range(count)]
    for lang, words in (("de", _DE), ("en", _EN)):
        lines = [" ".join((words * 2)[i : i + n]) for i, n in pairs]
        (folder / f"train.{lang}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(folder)


@pytest.fixture(scope="module")
def number_tokenizer():
    sources_, targets = [], []
    for n in range(1, 5):
        for i in range(10):
            sources_.append(" ".join((_DE * 2)[i : i + n]))
            targets.append(" ".join((_EN * 2)[i : i + n]))
    return SubwordTokenizer.train(sources_ * 3, targets * 3, vocab_size=300)


def _batches(pairs, tokenizer, cache):
    return training_batches(
        pairs,
        tokenizer,
        batch_size=16,
        max_length=32,
        bucket_width=4,
        shuffle_buffer=64,
        seed=1,
        cache=cache,
    )


def test_tfds_corpus_streams_through_training_batches(tmp_path, monkeypatch):

    # mock_data replaces the download, not the probe of the download hosts before it.
    monkeypatch.setattr(sources, "unreachable", lambda urls, timeout=0: None)
    with tfds.testing.mock_data(num_examples=200):
        pairs = sources.load_parallel(
            "tfds:ted_hrlr_translate/pt_to_en", "pt", "en", "train", tfds_data_dir=str(tmp_path)
        )
        sample = list(pairs.take(100).as_numpy_iterator())
        tokenizer = SubwordTokenizer.train(
            [s.decode() for s, _ in sample], [t.decode() for _, t in sample], vocab_size=300
        )
        batches, counts = _batches(pairs, tokenizer, cache="none")
        taken = list(batches.take(3))
    assert counts.kept + counts.empty + counts.too_long == 200
    assert len(taken) == 3
    for inputs, target_out in taken:
        assert inputs["source"].shape[0] == target_out.shape[0] <= 16
        assert int(tf.reduce_max(inputs["source"])) < tokenizer.source_vocab_size
    assert not any("Cache" in op for op in _ops(batches))


def test_local_files_stream_from_disk_without_a_python_copy(tmp_path, number_tokenizer):
    big = sources.load_parallel(_folder_corpus(tmp_path / "big", count=5000), "de", "en", "train")
    assert "TextLineDataset" in _ops(big)
    corpus_bytes = sum(path.stat().st_size for path in (tmp_path / "big").iterdir())
    graph_bytes = len(big._as_serialized_graph().numpy())  # pylint: disable=protected-access
    assert graph_bytes < corpus_bytes / 10  # The lines are not in the graph: read from disk.
    pairs = sources.load_parallel(_folder_corpus(tmp_path / "corpus"), "de", "en", "train")
    batches, counts = _batches(pairs, number_tokenizer, cache="none")
    assert counts.kept == 300
    assert sum(int(target.shape[0]) for _, target in batches) == 300
    assert not any("Cache" in op for op in _ops(batches))


@pytest.mark.slow
def test_cache_memory_is_the_default_and_true_still_means_memory(tmp_path, number_tokenizer):
    assert load_config(None).data.cache == "memory"
    pairs = sources.load_parallel(_folder_corpus(tmp_path / "corpus"), "de", "en", "train")
    for cache in ("memory", True):
        batches, _ = _batches(pairs, number_tokenizer, cache=cache)
        assert any("Cache" in op for op in _ops(batches))


@pytest.mark.slow
def test_cache_file_prefix_writes_a_file_cache_and_reuses_it(tmp_path, number_tokenizer):
    pairs = sources.load_parallel(_folder_corpus(tmp_path / "corpus"), "de", "en", "train")
    prefix = str(tmp_path / "cache" / "tokens")
    with pytest.raises(TranslateError, match="does not exist"):
        _batches(pairs, number_tokenizer, cache=prefix)
    (tmp_path / "cache").mkdir()
    batches, counts = _batches(pairs, number_tokenizer, cache=prefix)  # The count fills the cache.
    assert (tmp_path / "cache" / "tokens.index").exists()
    first = sum(int(target.shape[0]) for _, target in batches)
    again, _ = _batches(pairs, number_tokenizer, cache=prefix)  # Read back from the files.
    assert first == counts.kept == sum(int(target.shape[0]) for _, target in again) == 300


def test_cache_config_rejects_an_empty_value():
    assert load_config(None, ["data.cache=none"]).data.cache == "none"
    with pytest.raises(TranslateError, match="data.cache' is empty"):
        load_config(None, ["data.cache=''"])
