"""Bad data and configs: stale caches, misaligned corpora, offline datasets, odd YAML.

* Configs: everything YAML can say that a config must not (duplicate keys,
  anchors, aliases, merge keys, tags, non-name keys, deep nesting, base-60
  numbers, several documents, long lines, ...) is refused with one short line
  naming the file, the line and the key; a ``--set`` error names the
  ``--set`` argument.
* Caches: a prepared Multi30k, a ``data.cache`` of token ids and a run's
  tokenizer are checked against the files they were built from, and rebuilt
  or refused when those change.
* Corpora: two sides of different lengths name both files and both counts,
  for a folder and for the Multi30k folder, also after a first preparation.
* Offline: a TFDS dataset that is not prepared fails within seconds, not
  minutes, with a line saying how to provide its files.

Every case goes through ``bad_input`` or ``survives`` of ``helpers.py``
(counted by ``benchmarks/robustness_report.py``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
from helpers import bad_input, run_files, survives, write_lines, write_parallel

from translate import TranslateError
from translate.config.schema import load_config
from translate.config.strict_yaml import MAX_BYTES

# Every message of a refused config stays this short, whatever the input.
MAX_MESSAGE = 300

# Configs --------------------------------------------------------------------------------

# (case, YAML text, parts the message must name besides the file). Each names the line.
YAML_CASES = [
    ("duplicate key", "training:\n  epochs: 3\n  epochs: 4\n", ["line 3", "training.epochs"]),
    ("duplicate section", "training:\n  seed: 1\ntraining:\n  seed: 2\n", ["line 3", "training"]),
    ("anchor", "training:\n  epochs: &n 3\n", ["line 2", "training.epochs", "anchor"]),
    (
        "alias",
        "training:\n  epochs: 3\n  warmup_steps: *n\n",
        ["line 3", "training.warmup_steps", "alias"],
    ),
    ("merge key", "training:\n  <<: {epochs: 3}\n", ["line 2", "<<", "training"]),
    ("binary tag", "data:\n  source: !!binary aGVsbG8=\n", ["line 2", "data.source", "!!binary"]),
    ("set tag", "data:\n  source: !!set {a, b}\n", ["line 2", "data.source", "!!set"]),
    ("timestamp tag", "training:\n  seed: !!timestamp 2024-01-01\n", ["line 2", "!!timestamp"]),
    ("custom tag", "data:\n  source: !path corpus\n", ["line 2", "data.source", "!path"]),
    (
        "python tag in a key",
        "training:\n  epochs: !!python/object/apply:os.getpid []\n",
        ["line 2", "training.epochs", "python/object/apply"],
    ),
    ("integer key", "training:\n  1: 3\n", ["line 2", "key 1", "training"]),
    ("null key", "training:\n  null: 3\n", ["line 2", "key null"]),
    ("boolean key", "yes:\n  epochs: 3\n", ["line 1", "key yes"]),
    ("list key", "training:\n  ? [a]\n  : 3\n", ["line 2", "not a name"]),
    ("deep nesting", "training:\n  epochs: " + "[" * 200 + "]" * 200 + "\n", ["line 2", "deeply"]),
    (
        "deep nesting over many lines",
        "training:\n  epochs:\n" + "".join(" " * 4 + "[\n" for _ in range(5000)),
        ["line 6", "deeply", "training.epochs"],
    ),
    ("NaN", "training:\n  learning_rate: .nan\n", ["line 2", "training.learning_rate", "finite"]),
    ("infinity for int", "training:\n  epochs: .inf\n", ["line 2", "training.epochs", "int"]),
    ("yes for int", "training:\n  batch_size: yes\n", ["line 2", "training.batch_size", "boolean"]),
    ("on for str", "data:\n  source: on\n", ["line 2", "data.source", "boolean"]),
    ("no for a language", "data:\n  src_lang: no\n", ["line 2", "data.src_lang", "quote"]),
    (
        "date for int",
        "training:\n  seed: 2024-01-01\n",
        ["line 2", "training.seed", "'2024-01-01'"],
    ),
    ("null for int", "training:\n  epochs:\n", ["line 2", "training.epochs", "got null"]),
    ("tilde for float", "training:\n  clip_norm: ~\n", ["line 2", "training.clip_norm", "null"]),
    ("base 60 number", "training:\n  max_minutes: 1:30\n", ["line 2", "max_minutes", "90"]),
    ("octal number", "training:\n  seed: 010\n", ["line 2", "training.seed", "8"]),
    ("huge integer", "training:\n  epochs: " + "9" * 400 + "\n", ["line 2", "at most"]),
    ("two documents", "training:\n  epochs: 3\n---\nmodel: {}\n", ["line 3", "document"]),
    ("scalar document", "just text\n", ["line 1", "mapping"]),
    ("list document", "- training\n", ["line 1", "mapping"]),
    ("tab indentation", "training:\n\tepochs: 3\n", ["line 2", "not valid YAML"]),
    ("tab after a colon", "training:\n  epochs:\t3\n", ["line 2", "not valid YAML"]),
    ("long line", "data:\n  source: " + "x" * 100_000 + "\n", ["line 2", "characters long"]),
    ("long value", "data:\n  tokenizer_type: " + "x" * 900 + "\n", ["line 2", "tokenizer_type"]),
    ("long key", "training:\n  " + "k" * 900 + ": 3\n", ["line 2", "unknown config key"]),
    ("key with line break", 'training:\n  "a\\nb": 3\n', ["line 2", "unknown config key"]),
    ("control character", "data:\n  source: \x07\n", ["line 2", "U+0007"]),
    ("BOM inside", "training:\n  epochs: 3\ufeff\n", ["line 2"]),
    ("unknown key on its line", "data:\n  vocab_size: 8\n  vocab: 9\n", ["line 3", "data.vocab"]),
    ("bad choice on its line", "model:\n\n  attention: dot\n", ["line 3", "model.attention"]),
]


@pytest.mark.parametrize("name,text,expected", YAML_CASES, ids=[c[0] for c in YAML_CASES])
def test_config_yaml_a_config_must_not_use_is_refused(tmp_path, name, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with bad_input("config", name, f"{path}, ", *expected):
        try:
            load_config(path)
        except TranslateError as error:
            assert len(str(error)) <= MAX_MESSAGE, str(error)
            raise


def test_config_file_too_large_is_refused_without_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("# padding\n" * (MAX_BYTES // 10 + 10), encoding="utf-8")
    with bad_input("config", "file over 1 MiB", str(path), "larger than"):
        load_config(path)


# Odd but meaningful YAML that must load as written.
GOOD_CASES = [
    ("leading BOM", "\ufefftraining:\n  epochs: 3\n", ("training", "epochs"), 3),
    ("date for a folder", "data:\n  dir: 2024-01-01\n", ("data", "dir"), "2024-01-01"),
    ("exponent float", "training:\n  learning_rate: 3e-4\n", ("training", "learning_rate"), 3e-4),
    ("on for a switch", "training:\n  cpu_kernels: on\n", ("training", "cpu_kernels"), "on"),
    ("yes for a bool", "model:\n  input_feeding: no\n", ("model", "input_feeding"), False),
    ("explicit str tag", "data:\n  src_lang: !!str de\n", ("data", "src_lang"), "de"),
    ("empty section", "training:\ndata:\n  src_lang: de\n", ("data", "src_lang"), "de"),
    ("comments only", "# nothing here\n", ("training", "epochs"), 20),
]


@pytest.mark.parametrize("name,text,key,value", GOOD_CASES, ids=[c[0] for c in GOOD_CASES])
def test_config_odd_but_meaningful_yaml_loads(tmp_path, name, text, key, value):
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    with survives("config", name):
        config = load_config(path)
    assert getattr(getattr(config, key[0]), key[1]) == value


SET_CASES = [
    ("--set wrong type", "training.batch_size=abc", ["must be int", "'abc'"]),
    ("--set anchor", "training.epochs=&a 3", ["anchor", "training.epochs"]),
    ("--set tag", "training.epochs=!!binary aGk=", ["!!binary", "training.epochs"]),
    ("--set boolean for text", "data.src_lang=no", ["data.src_lang", "boolean"]),
    ("--set base 60", "training.seed=1:30", ["training.seed", "90"]),
    ("--set huge number", "training.epochs=" + "9" * 500, ["at most"]),
    ("--set deep list", "data.source=" + "[" * 50 + "]" * 50, ["deeply"]),
    ("--set unknown key", "training.epoch=3", ["training.epoch", "did you mean"]),
    ("--set null", "training.epochs=", ["training.epochs", "null"]),
]


@pytest.mark.parametrize("name,override,expected", SET_CASES, ids=[c[0] for c in SET_CASES])
def test_set_errors_name_the_set_argument(tmp_path, name, override, expected):
    path = tmp_path / "good.yaml"
    path.write_text("training:\n  epochs: 3\n", encoding="utf-8")
    shown = override if len(override) <= 60 else override[:57] + "..."
    with bad_input("config", name, f"--set {shown}: ", *expected):
        try:
            load_config(path, [override])
        except TranslateError as error:
            assert str(path) not in str(error) and len(str(error)) <= MAX_MESSAGE, str(error)
            raise


def test_set_overrides_a_file_key_and_errors_on_other_keys_still_name_the_file(tmp_path):
    path = tmp_path / "mixed.yaml"
    path.write_text("training:\n  epochs: 3\n  seed: x\n", encoding="utf-8")
    with bad_input("config", "file error beside a --set", f"{path}, line 3", "training.seed"):
        load_config(path, ["training.epochs=4"])
    with survives("config", "--set mends a file's bad value"):
        config = load_config(path, ["training.seed=5"])
    assert (config.training.epochs, config.training.seed) == (3, 5)


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


# data.cache and the tokenizer -------------------------------------------------------------


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
    from translate.data import token_cache

    prefix = str(tmp_path / "tokens")
    old = token_cache.built_from({"files": [{"file": "train.de", "size": 10}]}, (b"m",), 0)
    new = token_cache.built_from({"files": [{"file": "train.de", "size": 12}]}, (b"m",), 0)
    files = [prefix + ".index", prefix + ".data-00000-of-00001"]
    for path in files:
        open(path, "wb").close()
    token_cache.record(prefix, old)
    token_cache.prepare(prefix, old)
    assert all(os.path.exists(path) for path in files)
    with survives("cache", "data.cache files of another corpus"):
        token_cache.prepare(prefix, new)
    assert not any(os.path.exists(path) for path in files)
    assert "train.de: 10 bytes, now 12" in capfd.readouterr().err
    for path in files:
        open(path, "wb").close()
    assert not os.path.exists(prefix + token_cache.RECORD_SUFFIX)  # Deleted with the cache.
    with survives("cache", "data.cache files without a record"):
        token_cache.prepare(prefix, new)
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


# Offline TFDS -----------------------------------------------------------------------------


def test_probe_of_an_unresolvable_host_answers_at_once():
    from translate.data import network

    started = time.monotonic()
    reason = network.unreachable(["https://files.example.invalid/corpus.tgz"], timeout=5)
    assert reason and "files.example.invalid:443" in reason
    assert time.monotonic() - started < 10


def test_probe_succeeds_when_one_host_answers():
    from translate.data import network

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        urls = [f"http://127.0.0.1:{port}/a.tgz", "https://files.example.invalid/b.tgz"]
        assert network.unreachable(urls, timeout=5) is None


OFFLINE = {"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
OFFLINE_PARTS = [
    "tfds:ted_hrlr_translate/pt_to_en",
    "download failed",
    "--data-dir",
    "manual_dir",
    "TFDS_DATA_DIR",
    "data_dir",
]


def test_tfds_dataset_not_prepared_fails_fast_offline(tmp_path, monkeypatch):
    """Port 9 of this machine refuses connections: as offline as it gets, on any network."""
    from translate.data import sources

    for name, value in OFFLINE.items():
        monkeypatch.setenv(name, value)
    started = time.monotonic()
    with bad_input("corpus", "TFDS dataset offline", *OFFLINE_PARTS):
        sources.load_parallel(
            "tfds:ted_hrlr_translate/pt_to_en", "pt", "en", "train", None, str(tmp_path)
        )
    assert time.monotonic() - started < 60


def test_tfds_file_given_by_hand_with_wrong_checksum(tmp_path, monkeypatch):
    from translate.data import sources

    for name, value in OFFLINE.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "manual").mkdir()
    (tmp_path / "manual" / "qi18naacl-dataset.tar.gz").write_bytes(b"not the archive\n")
    with bad_input(
        "corpus", "TFDS file by hand, wrong checksum", "qi18naacl-dataset.tar.gz", "checksum"
    ):
        sources.load_parallel(
            "tfds:ted_hrlr_translate/pt_to_en",
            "pt",
            "en",
            "train",
            str(tmp_path / "manual"),
            str(tmp_path / "tfds"),
        )


@pytest.mark.slow
def test_tfds_offline_train_command_exits_2_within_a_minute(tmp_path):
    config = tmp_path / "tfds.yaml"
    config.write_text(
        "data:\n  source: tfds:ted_hrlr_translate/pt_to_en\n  src_lang: pt\n  tgt_lang: en\n",
        encoding="utf-8",
    )
    env = {**os.environ, **OFFLINE, "TF_CPP_MIN_LOG_LEVEL": "3", "TFDS_DATA_DIR": str(tmp_path)}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "translate", "train", "--config", str(config)]
        + ["--run-dir", str(tmp_path / "run")],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    seconds = time.monotonic() - started
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    with bad_input("cli", "train on a TFDS dataset offline", *OFFLINE_PARTS):
        assert result.returncode == 2 and len(errors) == 1, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
        assert seconds < 60, seconds
        raise TranslateError(errors[0])


def test_fingerprint_reads_only_head_and_tail(tmp_path, monkeypatch):
    from translate.data import fingerprint

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

    monkeypatch.setattr(fingerprint, "open", lambda *a, **k: Counting(open(*a, **k)), raising=False)
    record = fingerprint.file_fingerprint(path)
    assert record["size"] == 1 << 21
    assert len(reads) == 2 and all(0 < size <= fingerprint.SAMPLE_BYTES for size in reads)
