"""Tests of ``translate evaluate``: a split of the run's corpus translated, written and scored."""

import os
import shutil

import pytest
from helpers import TEST_PAIRS, template_pairs

from translate import TranslateError
from translate.inference import metrics
from translate.inference.evaluation import evaluate, load_split
from translate.runs.rundir import RunDir


@pytest.fixture()
def run_dir(random_run, tmp_path):
    """A copy of the untrained random run; its corpus folder has a ``test`` split."""
    return RunDir(shutil.copytree(random_run, tmp_path / "run"))


def _lines(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read().splitlines()


def test_load_split_reads_the_configured_test_split(run_dir):
    config, split, sources, references = load_split(run_dir.path)
    assert split == "test" and config.data.test_split == "test"
    assert len(sources) == TEST_PAIRS and set(zip(sources, references)) <= set(template_pairs())
    assert sources == _lines(os.path.join(config.data.source, "test.de"))
    assert references == _lines(os.path.join(config.data.source, "test.en"))
    with pytest.raises(TranslateError, match="no dev corpus for de-en"):
        load_split(run_dir.path, split="dev")


@pytest.mark.slow
def test_evaluate_writes_the_hypotheses_into_the_run_dir_and_scores_them(run_dir):
    report = evaluate(run_dir.path, limit=2, beam_size=2)
    path = os.path.join(run_dir.path, "test.beam2.lp1.first2.hyp")  # named by what made it
    assert report["hypotheses_path"] == path and report["split"] == "test"
    assert report["beam_size"] == 2 and report["pair"] == "de-en"
    with open(path, encoding="utf-8") as handle:
        hypotheses = handle.read().split("\n")
    assert len(hypotheses) == 3 and hypotheses[2] == ""  # two lines, each with a line break
    _, _, _, references = load_split(run_dir.path)
    expected = metrics.score(hypotheses[:2], references[:2], with_ter=True)  # the file's lines
    assert {k: report[k] for k in expected} == expected and expected["sentences"] == 2
    assert "ter" in report and "tok:tercom" in report["signature"]["ter"]
    elsewhere = os.path.join(os.path.dirname(run_dir.path), "out", "test.hyp")
    assert (
        evaluate(run_dir.path, limit=1, beam_size=1, hypotheses_path=elsewhere)["hypotheses_path"]
        == elsewhere
    )
    assert os.path.isfile(elsewhere)


def test_hypotheses_are_named_by_split_search_settings_and_limit():
    from translate.config.schema import DecodingConfig
    from translate.inference.evaluation import hypotheses_name

    beam5 = DecodingConfig(beam_size=5, length_penalty=1.0, coverage_penalty=0.0)
    assert hypotheses_name("test", beam5) == "test.beam5.lp1.hyp"
    assert hypotheses_name("test", beam5, limit=100) == "test.beam5.lp1.first100.hyp"
    greedy = DecodingConfig(beam_size=1, length_penalty=0.0, coverage_penalty=0.2)
    assert hypotheses_name("dev", greedy) == "dev.beam1.cp0.2.hyp"
    sample = DecodingConfig(beam_size=1, sampling_topk=10, sampling_temperature=0.7, seed=1)
    assert hypotheses_name("test", sample) == "test.sample10.t0.7.seed1.hyp"
    bf16 = DecodingConfig(beam_size=5, length_penalty=1.0, precision="mixed_bfloat16")
    assert hypotheses_name("test", bf16, models=2) == "test.beam5.lp1.mixed_bfloat16.ensemble2.hyp"
