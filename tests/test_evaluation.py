"""Tests of ``translate evaluate``: a split of the run's corpus translated, written and scored."""

import os

import keras
import pytest

from translate.config import Config, DataConfig, ModelConfig
from translate.errors import TranslateError
from translate.evaluation import evaluate, load_split
from translate.model import Seq2Seq
from translate.rundir import RunDir
from translate.tokenizer import SubwordTokenizer

_PAIRS = [
    ("ein roter hund", "a red dog"),
    ("ein blauer ball", "a blue ball"),
    ("der kleine hund", "the small dog"),
]


@pytest.fixture()
def run_dir(tmp_path):
    """An untrained run directory whose corpus folder has a ``test`` split of three pairs."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for side, lang in enumerate(("de", "en")):
        lines = "".join(pair[side] + "\n" for pair in _PAIRS)
        (corpus / f"test.{lang}").write_text(lines, encoding="utf-8")
    keras.utils.set_random_seed(0)  # Before the tokenizer: seeding clears its kernels.
    tokenizer = SubwordTokenizer.train([s for s, _ in _PAIRS] * 20, [t for _, t in _PAIRS] * 20, 40)
    config = Config(
        data=DataConfig(source=str(corpus), test_split="test"),
        model=ModelConfig(embedding_dim=8, encoder_units=8, decoder_units=8),
    )
    model = Seq2Seq.from_config_section(
        config.model, tokenizer.source_vocab_size, tokenizer.target_vocab_size
    )
    model.build()
    run = RunDir(tmp_path / "run")
    run.save_config(config)
    run.save_tokenizer(tokenizer)
    run.save_model(model)
    return run


def test_load_split_reads_the_configured_test_split(run_dir):
    config, split, sources, references = load_split(run_dir.path)
    assert split == "test" and config.data.test_split == "test"
    assert sources == [s for s, _ in _PAIRS] and references == [t for _, t in _PAIRS]
    with pytest.raises(TranslateError, match="no val corpus for de-en"):
        load_split(run_dir.path, split="val")


def test_evaluate_writes_the_hypotheses_into_the_run_dir_and_scores_them(run_dir):
    report = evaluate(run_dir.path, limit=2, beam_size=2)
    path = run_dir.hypotheses_file("test", 2)
    assert report["hypotheses_path"] == path and report["split"] == "test"
    assert report["beam_size"] == 2 and report["pair"] == "de-en"
    with open(path, encoding="utf-8") as handle:
        assert len(handle.read().split("\n")) == 3  # two lines, each ending in a line break
    assert 0.0 <= report["bleu"] <= 100.0 and report["sentences_per_second"] > 0
    elsewhere = os.path.join(os.path.dirname(run_dir.path), "out", "test.hyp")
    assert (
        evaluate(run_dir.path, limit=1, beam_size=1, hypotheses_path=elsewhere)["hypotheses_path"]
        == elsewhere
    )
    assert os.path.isfile(elsewhere)
