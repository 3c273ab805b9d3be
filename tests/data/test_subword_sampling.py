"""Tests of subword regularisation: ``data.subword_sampling`` in the training pipeline."""

import collections
import json
import os

import pytest
import tensorflow as tf
from helpers import config_error, template_pairs, write_corpus

from translate import TranslateError
from translate.config.schema import load_config
from translate.data import pipeline
from translate.data.cache import RECORD_SUFFIX
from translate.data.pipeline import training_batches
from translate.data.tokenizer import SubwordTokenizer
from translate.training.train import config_batches

_OPTIONS = dict(batch_size=32, max_length=60, bucket_width=4, shuffle_buffer=400, seed=3)
_PAIRS = template_pairs()[::3]  # 120 pairs


@pytest.fixture(scope="module")
def tokenizer():
    """A joint unigram tokenizer of the template corpus, with many multi-letter pieces."""
    pairs = template_pairs()
    return SubwordTokenizer.train([s for s, _ in pairs], [t for _, t in pairs], vocab_size=500)


def _dataset(pairs=_PAIRS):
    return tf.data.Dataset.from_tensor_slices(([s for s, _ in pairs], [t for _, t in pairs]))


def _epoch(batches, tokenizer):
    """One pass over ``batches``: ``{(source text, target text): (source ids, target ids)}``.

    Each text is decoded from the batch's own ids (pads, ``<s>``, ``</s>`` dropped).
    """
    segmentations = {}
    for inputs, target_out in batches:
        source, target_in = inputs["source"], inputs["target_in"]  # (batch, len) each
        texts = zip(
            tokenizer.decode_target(source).numpy(), tokenizer.decode_target(target_in).numpy()
        )
        for (src_text, tgt_text), src, tgt in zip(texts, source.numpy(), target_in.numpy()):
            key = (src_text.decode(), tgt_text.decode())
            segmentations[key] = (tuple(src[src > 3]), tuple(tgt[tgt > 3]))
    return segmentations


def _best(tokenizer, pairs=_PAIRS):
    """The best (deterministic) segmentation of each pair, as :func:`_epoch` keys it."""
    sources = tokenizer.encode_source(tf.constant([s for s, _ in pairs])).to_list()
    targets = tokenizer.encode_target(tf.constant([t for _, t in pairs])).to_list()
    return {
        pair: (tuple(i for i in src if i > 3), tuple(tgt))
        for pair, src, tgt in zip(pairs, sources, targets)
    }


def test_sampling_off_gives_the_best_segmentation_every_epoch(tokenizer):
    batches, counts = training_batches(_dataset(), tokenizer, subword_sampling=0.0, **_OPTIONS)
    best = _best(tokenizer)
    assert counts.kept == len(_PAIRS)
    assert _epoch(batches, tokenizer) == best
    assert _epoch(batches, tokenizer) == best
    assert tf.data.experimental.cardinality(batches) > 0  # counted, as without the key


@pytest.mark.parametrize("cache", ["memory", "disk"])
def test_sampling_draws_a_new_segmentation_each_epoch(tokenizer, tmp_path, capsys, cache):
    if cache == "disk":  # A cache of token ids there first: it must be made again as text.
        cache = str(tmp_path / "cache")
        training_batches(_dataset(), tokenizer, cache=cache, **_OPTIONS)
    batches, counts = training_batches(
        _dataset(), tokenizer, subword_sampling=0.2, cache=cache, **_OPTIONS
    )
    first, second = _epoch(batches, tokenizer), _epoch(batches, tokenizer)
    best = _best(tokenizer)
    # Every sampled id sequence decodes back to its pair's text, and every pair is there.
    assert set(first) == set(second) == set(best)
    assert counts.kept == len(_PAIRS)  # counted on the best segmentation
    redrawn = sum(first[pair] != second[pair] for pair in best)
    not_best = sum(first[pair] != best[pair] for pair in best)
    assert redrawn > len(best) // 4, redrawn
    assert not_best > len(best) // 4, not_best
    # Both sides are sampled.
    assert any(first[pair][0] != best[pair][0] for pair in best)
    assert any(first[pair][1] != best[pair][1] for pair in best)
    if cache != "memory":
        assert "out of date" in capsys.readouterr().err
        with open(cache + RECORD_SUFFIX, encoding="utf-8") as handle:
            assert json.load(handle)["contents"] == "text pairs"


@pytest.mark.slow
def test_sampling_leaves_the_tokenizer_of_dev_and_translation_alone(tokenizer, tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    overrides = [f"data.source={corpus}", "data.subword_sampling=0.2", "data.max_length=40"]
    config = load_config(None, overrides + ["training.shuffle_buffer=100"])

    with open(os.path.join(corpus, "val.de"), encoding="utf-8") as handle:
        dev = handle.read().splitlines()
    before = tokenizer.encode_source(tf.constant(dev)).to_list()
    batches, _ = config_batches(config, tokenizer)
    assert len(_epoch(batches, tokenizer)) > 100
    assert tokenizer.sample_alpha == 0.0
    for _ in range(3):  # The run's tokenizer, which dev BLEU and translation use, never samples.
        assert tokenizer.encode_source(tf.constant(dev)).to_list() == before
    sampler = tokenizer.sampling(0.2)
    draws = {tuple(sampler.encode_source(tf.constant(dev[:1])).to_list()[0]) for _ in range(20)}
    assert len(draws) > 1  # while the sampling copy does sample


def test_alpha_sets_how_often_the_best_segmentation_is_drawn(tokenizer):
    sentence = tf.constant([_PAIRS[0][0]] * 200)
    best = tuple(tokenizer.encode_source(sentence[:1]).to_list()[0])

    def share_of_best(alpha):
        ids = tokenizer.sampling(alpha).encode_source(sentence).to_list()
        draws = collections.Counter(map(tuple, ids))
        return draws[best] / 200

    assert share_of_best(1.0) > share_of_best(0.05)


@pytest.mark.parametrize("value", ["-0.1", "1.5"])
def test_alpha_out_of_range_is_one_error(value):
    message = config_error([f"data.subword_sampling={value}"])
    assert "data.subword_sampling" in message and "[0, 1]" in message


def test_alpha_bounds_are_accepted():
    assert load_config(None, ["data.subword_sampling=1"]).data.subword_sampling == 1.0
    assert load_config(None, ["data.subword_sampling=0"]).data.subword_sampling == 0.0


def test_bpe_with_sampling_is_one_error_naming_both_keys():
    message = config_error(["data.tokenizer_type=bpe", "data.subword_sampling=0.1"])
    assert "data.tokenizer_type=bpe" in message
    assert "data.subword_sampling=0.1" in message
    assert load_config(None, ["data.tokenizer_type=bpe"]).data.subword_sampling == 0.0


def test_a_bpe_tokenizer_is_refused_when_training_starts():
    pairs = template_pairs()
    bpe = SubwordTokenizer.train(
        [s for s, _ in pairs], [t for _, t in pairs], vocab_size=400, model_type="bpe"
    )
    with pytest.raises(TranslateError) as info:
        training_batches(_dataset(), bpe, subword_sampling=0.1, **_OPTIONS)
    message = str(info.value)
    assert "data.subword_sampling=0.1" in message and "unigram" in message and "bpe" in message
    with pytest.raises(TranslateError):
        pipeline.sampling_tokenizer(bpe, 0.5)
