"""``data.sentencepiece_model`` (and its ``source_``/``target_`` variants): the user's own models.

Training uses the given model instead of training one, copies it unchanged
into the run and from there into its export, and refuses a file that is not a
model, a model without the special pieces at the project's ids, and keys that
contradict each other.
"""

from __future__ import annotations

import hashlib
import json
import os

import pytest
import sentencepiece as spm
import tensorflow as tf
from helpers import SENTENCES, run_files, template_pairs

from translate import TranslateError
from translate.config.schema import load_config
from translate.data.tokenizer import (
    SPM_TRAIN_FLAGS,
    SubwordTokenizer,
    read_sentencepiece_model,
    train_sentencepiece,
)
from translate.inference.export import export, load_export
from translate.inference.translator import Translator
from translate.runs.rundir import RunDir
from translate.training.train import given_model_files, train


def _lines() -> list[str]:
    """Both sides of the template pairs."""
    return [side for pair in template_pairs() for side in pair]


@pytest.fixture(scope="module")
def own_model(tmp_path_factory) -> str:
    """A SentencePiece model file trained with the project's options, as a user would."""
    path = tmp_path_factory.mktemp("spm") / "mine.model"
    path.write_bytes(train_sentencepiece(_lines(), 400))
    return str(path)


def _config(files: dict, *overrides: str):
    return load_config(files["config"], list(overrides))


@pytest.mark.slow  # trains a run or starts a process
def test_training_uses_the_given_model_and_copies_it_into_the_run(own_model, tmp_path, capsys):
    files = run_files(tmp_path, "own")
    run = RunDir(files["run_dir"])
    config = _config(
        files, f"data.sentencepiece_model={json.dumps(own_model)}", "training.max_steps=1"
    )
    train(config, run.path)
    assert "training the subword tokenizer" not in capsys.readouterr().out
    with (
        open(own_model, "rb") as given,
        open(os.path.join(run.tokenizer_dir, "joint.model"), "rb") as copied,
    ):
        blob = given.read()
        assert copied.read() == blob
    with open(run.tokenizer_origin_file, encoding="utf-8") as handle:
        record = json.load(handle)
    assert record == {
        "copied_from": {"joint.model": own_model},
        "sha256": {"joint.model": hashlib.sha256(blob).hexdigest()},
    }
    assert SubwordTokenizer.load(run.tokenizer_dir).source_model == blob


@pytest.mark.slow  # trains a run
def test_the_export_of_a_run_trained_on_the_given_model_holds_it_and_translates(
    own_model, tmp_path
):
    files = run_files(tmp_path, "own-export")
    config = _config(
        files,
        f"data.sentencepiece_model={json.dumps(own_model)}",
        "training.max_steps=1",
        # Without the unigram prior a one-step model does not end every sentence at once.
        "model.output_bias_init=zeros",
    )
    train(config, files["run_dir"])
    version = export(files["run_dir"], tmp_path / "exported", beam_size=1)
    with (
        open(own_model, "rb") as given,
        open(os.path.join(version, "assets", "joint.model"), "rb") as exported,
    ):
        assert exported.read() == given.read()
    serve = load_export(version)
    out = serve(text=tf.constant(SENTENCES))["translations"].numpy()
    translations = [row[0].decode("utf-8") for row in out]
    expected = Translator.load(files["run_dir"]).translate(SENTENCES, beam_size=1)
    assert translations == [t.text for t in expected]
    assert any(translations)  # the non-blank sentences get words, not only empty strings


def test_a_file_that_is_not_a_sentencepiece_model_is_one_clear_error(tmp_path):
    path = tmp_path / "notes.model"
    path.write_text("not a model\n", encoding="utf-8")
    with pytest.raises(TranslateError) as error:
        read_sentencepiece_model(path, "data.sentencepiece_model")
    assert str(error.value) == f"data.sentencepiece_model: {path} is not a SentencePiece model"


def test_a_model_without_the_special_pieces_says_which_and_how_to_build_one(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(_lines()) + "\n", encoding="utf-8")
    prefix = str(tmp_path / "default")
    # spm_train's defaults: <unk> 0, <s> 1, </s> 2 and no <pad>.
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=prefix, vocab_size=80, minloglevel=2
    )
    with pytest.raises(TranslateError) as error:
        read_sentencepiece_model(prefix + ".model", "data.target_sentencepiece_model")
    assert str(error.value) == (
        f"data.target_sentencepiece_model: {prefix}.model lacks the special pieces this "
        "project needs: pad at id 0 (it has none); unk at id 1 (it has id 0); bos at id 2 "
        f"(it has id 1); eos at id 3 (it has id 2); train one with them: {SPM_TRAIN_FLAGS}"
    )
    assert "--pad_id=0 --unk_id=1 --bos_id=2 --eos_id=3" in SPM_TRAIN_FLAGS


def test_one_model_per_language_goes_with_joint_vocab_false(own_model, tmp_path):
    files = run_files(tmp_path, "sides")
    path = json.dumps(own_model)
    config = _config(
        files,
        f"data.source_sentencepiece_model={path}",
        f"data.target_sentencepiece_model={path}",
        "data.joint_vocab=false",
    )
    assert given_model_files(config) == {"source": own_model, "target": own_model}
    assert given_model_files(_config(files)) == {}


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            ["data.sentencepiece_model=M", "data.joint_vocab=false"],
            "data.sentencepiece_model is one model for both languages, but data.joint_vocab "
            "is false",
        ),
        (
            ["data.source_sentencepiece_model=M", "data.joint_vocab=false"],
            "data.source_sentencepiece_model needs data.target_sentencepiece_model too",
        ),
        (
            ["data.source_sentencepiece_model=M", "data.target_sentencepiece_model=M"],
            "one model per language, but data.joint_vocab is true (the default)",
        ),
        (
            ["data.sentencepiece_model=M", "data.target_sentencepiece_model=M"],
            "exclude each other",
        ),
        (
            ["data.sentencepiece_model=M", "data.tokenizer_dir=T"],
            "data.tokenizer_dir and data.sentencepiece_model both give the tokenizer",
        ),
        (
            ["data.sentencepiece_model=M", "training.init_from=R"],
            "training.init_from trains with the tokenizer of the run it starts from: "
            "leave data.sentencepiece_model out",
        ),
    ],
)
def test_contradicting_keys_are_refused_before_anything_is_written(tmp_path, overrides, message):
    files = run_files(tmp_path, "contradiction")
    config = _config(files, *overrides)
    with pytest.raises(TranslateError, match=message.replace("(", r"\(").replace(")", r"\)")):
        train(config, files["run_dir"])
    assert not os.path.exists(RunDir(files["run_dir"]).config_file)
