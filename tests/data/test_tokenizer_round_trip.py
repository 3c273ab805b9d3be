"""Any Unicode text round-trips through the tokenizer as SentencePiece normalizes it.

Every case goes through ``bad_input`` or ``survives`` of ``helpers.py``, which
record it; with env ``ROBUSTNESS_CASES=FILE`` the record is written there at the
end of the session (``benchmarks/robustness_report.py`` counts it).
"""

from __future__ import annotations

import unicodedata

import hypothesis
from helpers import (
    survives,
)

st = hypothesis.strategies


def sentencepiece_normal_form(processor, text: str) -> str:
    """What a SentencePiece round trip gives back: its own ``normalize`` with spaces restored.

    The default ``nmt_nfkc`` rule is NFKC plus more: it drops most control
    characters, treats U+2581 as a space, collapses whitespace runs to one space
    and strips both ends. So NFKC with collapsed whitespace is only a close
    approximation (checked below on text without control characters).
    """
    return processor.normalize(text).replace("\u2581", " ").strip(" ")


@hypothesis.settings(max_examples=100, deadline=None, derandomize=True)
@hypothesis.given(text=st.text(max_size=80))
def test_tokenizer_round_trip_is_sentencepiece_normalization(tiny_translator, text):
    import sentencepiece as spm
    import tensorflow as tf

    tokenizer = tiny_translator.tokenizer
    processor = spm.SentencePieceProcessor(model_proto=tokenizer.target_model)
    with survives("tokenizer", "hypothesis round trip"):
        ids = tokenizer.encode_target(tf.constant([text]))
        back = tokenizer.decode_target(ids).numpy()[0].decode("utf-8")
    assert back == processor.decode(processor.encode(text))
    assert back == sentencepiece_normal_form(processor, text)
    if (
        all(unicodedata.category(c)[0] not in "CZ" or c == " " for c in text)
        and "\u2581" not in text
    ):
        assert back == " ".join(unicodedata.normalize("NFKC", text).split())
