"""Tests of the SentencePiece subword tokenizer (training, in-graph use, saving)."""

import json
import os

import keras
import pytest
import tensorflow as tf
from helpers import bad_input, config_error

from translate import TranslateError
from translate.config.schema import load_config
from translate.data.tokenizer import (
    BOS_ID,
    EOS_ID,
    PAD_ID,
    UNK_ID,
    SubwordTokenizer,
    tokenizer_files,
    train_sentencepiece,
)
from translate.runs.rundir import TOKENIZER_ORIGIN_FILE, RunDir
from translate.training import train as training

# A small inline parallel corpus (8 x 6 x 6 = 288 sentence pairs), so the tests
# never depend on downloaded data.
_DE_SUBJECTS = [
    "Ein Mann",
    "Eine Frau",
    "Ein Kind",
    "Ein Hund",
    "Zwei Männer",
    "Drei Mädchen",
    "Eine Gruppe von Leuten",
    "Ein älterer Herr",
]
_EN_SUBJECTS = [
    "A man",
    "A woman",
    "A child",
    "A dog",
    "Two men",
    "Three girls",
    "A group of people",
    "An older gentleman",
]
_DE_VERBS = ["läuft", "sitzt", "spielt", "steht", "wartet", "tanzt"]
_EN_VERBS = ["runs", "sits", "plays", "stands", "waits", "dances"]
_DE_PLACES = [
    "auf der Straße.",
    "im Park.",
    "am Strand.",
    "vor einem Gebäude.",
    "in der Küche.",
    "neben dem Fluss.",
]
_EN_PLACES = [
    "on the street.",
    "in the park.",
    "on the beach.",
    "in front of a building.",
    "in the kitchen.",
    "next to the river.",
]


def corpus():
    """Builds the inline German-English corpus.

    Returns:
        Two aligned lists of sentences, German and English.
    """
    german, english = [], []
    for de_subject, en_subject in zip(_DE_SUBJECTS, _EN_SUBJECTS):
        for de_verb, en_verb in zip(_DE_VERBS, _EN_VERBS):
            for de_place, en_place in zip(_DE_PLACES, _EN_PLACES):
                german.append(f"{de_subject} {de_verb} {de_place}")
                english.append(f"{en_subject} {en_verb} {en_place}")
    return german, english


GERMAN = [
    "Ein Hund läuft im Park.",
    "Zwei Männer spielen Fußball auf der Straße.",
    "Das Mädchen isst Äpfel, Birnen und 3 Stück Kuchen!",
    "Eine Frau wartet vor einem Gebäude.",
]
ENGLISH = [
    "A dog runs in the park.",
    "Two men play soccer on the street.",
    "The girl eats apples, pears and 3 pieces of cake!",
    "A woman waits in front of a building.",
]


@pytest.fixture(scope="module")
def joint():
    """A joint German-English tokenizer trained on the inline corpus."""
    german, english = corpus()
    return SubwordTokenizer.train(german, english, vocab_size=300)


@pytest.fixture(scope="module")
def separate():
    """One tokenizer per language (German source, English target)."""
    german, english = corpus()
    return SubwordTokenizer.train(german, english, vocab_size=300, joint=False)


def _texts(ids_or_strings):
    """Converts a ``(batch,)`` string tensor to a list of Python strings.

    Args:
        ids_or_strings: A ``tf.string`` tensor.

    Returns:
        The decoded strings.
    """
    return [s.decode("utf-8") for s in ids_or_strings.numpy()]


def test_corpus_is_a_few_hundred_lines():
    german, english = corpus()
    assert len(german) == len(english) == 288
    assert len(set(german)) == 288


def test_special_ids_are_fixed(joint):
    assert (PAD_ID, UNK_ID, BOS_ID, EOS_ID) == (0, 1, 2, 3)
    pieces = _texts(joint.target_pieces(tf.constant([0, 1, 2, 3])))
    assert pieces == ["<pad>", "<unk>", "<s>", "</s>"]


def test_joint_tokenizer_shares_one_model(joint):
    assert joint.joint
    assert joint.source_vocab_size == joint.target_vocab_size
    # A small corpus gets at least the requested size raised to fit bytes + characters.
    assert joint.source_vocab_size >= 300


def test_separate_tokenizers_differ(separate):
    assert not separate.joint
    assert separate.source_model != separate.target_model


@pytest.mark.parametrize("sentences", [GERMAN, ENGLISH], ids=["german", "english"])
def test_joint_round_trip(joint, sentences):
    ids = joint.encode_target(tf.constant(sentences))
    assert isinstance(ids, tf.RaggedTensor)
    assert ids.dtype == tf.int32
    flat = ids.flat_values.numpy()
    assert (flat > EOS_ID).all(), "target ids carry no pad, bos or eos"
    assert _texts(joint.decode_target(ids)) == sentences


def test_separate_round_trip(separate):
    ids = separate.encode_target(tf.constant(ENGLISH))
    assert _texts(separate.decode_target(ids)) == ENGLISH
    # German through the source model: the pieces join back to the sentence.
    source_ids = separate.encode_source(tf.constant(GERMAN[:1]))[0].numpy()
    pieces = _texts(separate.source_pieces(tf.constant(source_ids[:-1])))
    assert "".join(pieces).replace("\u2581", " ").strip() == GERMAN[0]


def test_subwords_are_shorter_than_characters(joint):
    ids = joint.encode_target(tf.constant(["Ein Mann läuft auf der Straße."]))
    assert 1 < ids.row_lengths().numpy()[0] < len("Ein Mann läuft auf der Straße.")


def test_encode_source_ends_with_eos(joint, separate):
    for tokenizer in (joint, separate):
        ids = tokenizer.encode_source(tf.constant(GERMAN))
        assert ids.shape[0] == len(GERMAN)
        for row in ids.to_list():
            assert row[-1] == EOS_ID
            assert EOS_ID not in row[:-1]
            assert BOS_ID not in row and PAD_ID not in row
            assert len(row) > 1


def test_encode_source_of_empty_string_is_just_eos(joint):
    ids = joint.encode_source(tf.constant(["", "Ein Hund."]))
    assert ids.to_list()[0] == [EOS_ID]


def test_decode_target_drops_special_ids_and_padding(joint):
    ids = joint.encode_target(tf.constant(ENGLISH[:2])).to_list()
    padded = []
    width = max(len(row) for row in ids) + 3
    for row in ids:
        full = [BOS_ID] + row + [EOS_ID]
        padded.append(full + [PAD_ID] * (width - len(full)))
    assert _texts(joint.decode_target(tf.constant(padded))) == ENGLISH[:2]


def test_decode_target_accepts_dense_and_ragged(joint):
    ragged = joint.encode_target(tf.constant(ENGLISH[:1]))
    dense = ragged.to_tensor()
    assert _texts(joint.decode_target(ragged)) == _texts(joint.decode_target(dense))


def test_tokenizer_works_inside_tf_function(joint):
    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def round_trip(text):
        """Encodes and decodes inside one graph."""
        return joint.decode_target(joint.encode_target(text))

    assert _texts(round_trip(tf.constant(ENGLISH))) == ENGLISH


@pytest.mark.parametrize(
    "sentence",
    [
        "Ein Hund 🐕 spielt im Park 🌳.",
        "Ein Mann schreibt 漢字 und Ελληνικά.",
        "Emoji only: 🙂🙃",
    ],
)
def test_unseen_characters_round_trip_through_byte_fallback(joint, sentence):
    ids = joint.encode_target(tf.constant([sentence]))
    assert UNK_ID not in ids.flat_values.numpy().tolist()
    assert _texts(joint.decode_target(ids)) == [sentence]


def test_save_load_round_trip_gives_identical_ids(joint, separate, tmp_path):
    text = tf.constant(GERMAN + ENGLISH)
    for name, tokenizer in (("joint", joint), ("separate", separate)):
        directory = tmp_path / name
        tokenizer.save(directory)
        loaded = SubwordTokenizer.load(directory)
        assert loaded.joint == tokenizer.joint
        assert loaded.source_model == tokenizer.source_model
        assert loaded.target_model == tokenizer.target_model
        assert loaded.encode_source(text).to_list() == tokenizer.encode_source(text).to_list()
        assert loaded.encode_target(text).to_list() == tokenizer.encode_target(text).to_list()


def test_save_writes_expected_files(joint, separate, tmp_path):
    joint.save(tmp_path / "j")
    separate.save(tmp_path / "s")
    assert sorted(os.listdir(tmp_path / "j")) == ["joint.model"]
    assert sorted(os.listdir(tmp_path / "s")) == ["source.model", "target.model"]


def test_training_is_deterministic():
    german, english = corpus()
    first = train_sentencepiece(german + english, 300)
    second = train_sentencepiece(german + english, 300)
    a = SubwordTokenizer(first).encode_target(tf.constant(GERMAN)).to_list()
    b = SubwordTokenizer(second).encode_target(tf.constant(GERMAN)).to_list()
    assert a == b


def test_bpe_tokenizer_round_trips():
    german, english = corpus()
    tokenizer = SubwordTokenizer.train(german, english, vocab_size=300, model_type="bpe")
    assert _texts(tokenizer.decode_target(tokenizer.encode_target(tf.constant(ENGLISH)))) == ENGLISH


def test_training_on_no_text_is_an_error():
    with pytest.raises(TranslateError, match="no text"):
        train_sentencepiece(["", "   ", "\n"], 300)


def test_load_folder_without_model_is_an_error(tmp_path):
    (tmp_path / "readme.txt").write_text("no model here")
    with pytest.raises(TranslateError) as info:
        SubwordTokenizer.load(tmp_path)
    assert str(tmp_path) in str(info.value)
    assert "joint.model" in str(info.value)


def test_load_missing_folder_is_an_error(tmp_path):
    with pytest.raises(TranslateError, match="no tokenizer found"):
        SubwordTokenizer.load(tmp_path / "does-not-exist")


@pytest.mark.parametrize(
    "content",
    [b"this is not a sentencepiece model", b"", b"\x00" * 64, "truncated"],
    ids=["text", "empty", "zeros", "truncated"],
)
def test_corrupt_model_file_is_an_error(joint, tmp_path, content):
    if content == "truncated":
        content = joint.source_model[: len(joint.source_model) // 2]
    path = tmp_path / "joint.model"
    path.write_bytes(content)
    with pytest.raises(TranslateError) as info:
        SubwordTokenizer.load(tmp_path)
    assert str(path) in str(info.value)
    assert "not a SentencePiece model" in str(info.value)


def test_per_language_folder_missing_target_model_is_an_error(separate, tmp_path):
    """A half-copied per-language tokenizer must give a TranslateError, not OSError."""
    separate.save(tmp_path)
    os.remove(tmp_path / "target.model")
    with pytest.raises(TranslateError) as info:
        SubwordTokenizer.load(tmp_path)
    assert "target.model" in str(info.value)


def test_tokenizer_survives_reseeding_tensorflow(joint):
    """``translate.training.train.train`` calls ``keras.utils.set_random_seed``; a tokenizer
    (or a loaded Translator) alive in the same process must keep working after it.

    ``tf.random.set_seed`` clears TensorFlow's eager kernel cache, and with it the
    kernel-private resource of a ``tensorflow_text.SentencepieceTokenizer``.
    Kept last in this module: reseeding also breaks the module's fixtures.
    """

    tokenizer = SubwordTokenizer(joint.source_model)
    expected = tokenizer.encode_target(tf.constant(ENGLISH)).to_list()
    keras.utils.set_random_seed(1234)
    assert tokenizer.encode_target(tf.constant(ENGLISH)).to_list() == expected
    assert _texts(tokenizer.decode_target(tf.ragged.constant(expected))) == ENGLISH


# data.tokenizer_dir: training with another run's tokenizer ---------------------------------


def test_copy_tokenizer_copies_the_files_byte_for_byte_and_records_the_origin(random_run, tmp_path):

    source = os.path.join(random_run, "tokenizer")
    run = RunDir(tmp_path / "new-run")
    os.makedirs(run.path)
    tokenizer = run.copy_tokenizer(source)
    names = sorted(os.listdir(run.tokenizer_dir))  # the model files; not the source's data record
    assert names == sorted(tokenizer_files(source)) and names
    for name in names:
        with (
            open(os.path.join(source, name), "rb") as a,
            open(os.path.join(run.tokenizer_dir, name), "rb") as b,
        ):
            assert a.read() == b.read(), name
    with open(os.path.join(run.path, TOKENIZER_ORIGIN_FILE)) as handle:
        origin = json.load(handle)
    assert origin["copied_from"] == os.path.abspath(source)
    assert set(origin["sha256"]) == set(names)
    original = SubwordTokenizer.load(source)
    assert tokenizer.target_vocab_size == original.target_vocab_size
    assert tokenizer.target_model == original.target_model


def test_copy_tokenizer_accepts_the_run_directory(random_run, tmp_path):

    run = RunDir(tmp_path / "new-run")
    os.makedirs(run.path)
    run.copy_tokenizer(random_run)
    copied = sorted(os.listdir(run.tokenizer_dir))
    assert copied == sorted(tokenizer_files(os.path.join(random_run, "tokenizer")))


def test_training_takes_the_tokenizer_of_data_tokenizer_dir(random_run, tmp_path):
    """The training path itself: no tokenizer is trained, the files are the source's."""

    source = os.path.join(random_run, "tokenizer")
    config = load_config(None, [f"data.tokenizer_dir={source}"])
    run = RunDir(tmp_path / "new-run")
    os.makedirs(run.path)
    tokenizer = training._tokenizer(config, run, run, tf.distribute.get_strategy())
    assert tokenizer.source_model == SubwordTokenizer.load(source).source_model
    assert os.path.exists(os.path.join(run.path, TOKENIZER_ORIGIN_FILE))
    # The copy records this run's training data, so a resume on changed data is refused.
    recorded = SubwordTokenizer.load(run.tokenizer_dir).built_from
    assert recorded == training._train_fingerprint(config)


def test_tokenizer_dir_errors_name_the_key_and_the_path(separate, tmp_path):

    run = RunDir(tmp_path / "new-run")
    os.makedirs(run.path)
    missing = tmp_path / "nowhere"
    with bad_input("tokenizer", "tokenizer_dir missing", "data.tokenizer_dir", str(missing)):
        run.copy_tokenizer(missing)
    empty = tmp_path / "empty"
    empty.mkdir()
    with bad_input("tokenizer", "tokenizer_dir no models", "data.tokenizer_dir", "joint.model"):
        run.copy_tokenizer(empty)
    half = tmp_path / "half"
    separate.save(half)
    os.remove(half / "target.model")
    with bad_input("tokenizer", "tokenizer_dir half copied", "data.tokenizer_dir", "target.model"):
        run.copy_tokenizer(half)
    a_file = tmp_path / "joint.model"
    a_file.write_bytes(b"x")
    with bad_input("tokenizer", "tokenizer_dir is a file", "data.tokenizer_dir", "not a tokenizer"):
        run.copy_tokenizer(a_file)
    assert not os.path.exists(run.tokenizer_dir)  # Nothing half copied.


def test_empty_tokenizer_dir_is_refused():

    assert "data.tokenizer_dir" in config_error(["data.tokenizer_dir=' '"])
