"""Odd but valid text is translated, never crashed on: one output per input, in order.

Empty, whitespace, 10,000 characters, control characters, emoji, other
scripts, replacement characters, lone surrogates, and any Unicode text or bytes
hypothesis draws: each gives one valid one-line translation, in order; a source
over the token limit is cut and flagged.

Every case goes through ``bad_input`` or ``survives`` of ``helpers.py``, which
record it; with env ``ROBUSTNESS_CASES=FILE`` the record is written there at the
end of the session (``benchmarks/robustness_report.py`` counts it).
"""

from __future__ import annotations

import hypothesis
import pytest
from helpers import (
    ODD_LINES,
    survives,
)


def _check_one_line_each(sources_in, translations):
    assert len(translations) == len(sources_in)
    for source, translation in zip(sources_in, translations):
        translation.source.encode("utf-8")  # valid Unicode out, whatever came in (else raises)
        assert translation.text == (translation.hypotheses[0] if translation.hypotheses else "")
        assert all("\n" not in h and "\r" not in h for h in translation.hypotheses)
        assert len(translation.text.splitlines()) <= 1


@pytest.mark.slow
def test_odd_lines_are_translated_in_order(tiny_translator):
    names, lines = list(ODD_LINES), list(ODD_LINES.values())
    ordered = ["ein hund läuft ."] + lines + ["die katze ."]
    with survives("translate", "all odd lines in one batch"):
        translations = tiny_translator.translate(ordered)
    _check_one_line_each(ordered, translations)
    assert translations[0].source == ordered[0] and translations[-1].source == ordered[-1]
    for name, line, translation in zip(names, lines, translations[1:-1]):
        assert translation.source.replace("\ufffd", "") == line.encode(
            "utf-16", "surrogatepass"
        ).decode("utf-16", "replace").replace("\ufffd", ""), name
        if not line.strip():
            assert translation.text == "" and translation.hypotheses == [""], name
    for name, line in ODD_LINES.items():  # each alone too (same compiled search: no retracing)
        with survives("translate", name):
            alone = tiny_translator.translate([line])
        _check_one_line_each([line], alone)


@pytest.mark.slow
def test_ten_thousand_characters_are_truncated_with_a_flag(tiny_translator):
    from translate.inference.translator import MAX_OUTPUT_TOKENS, MAX_SOURCE_TOKENS

    long_line = ("ein großer hund läuft im park mit einem roten ball . " * 200)[:10_000]
    with survives("translate", "10,000-character line"):
        short, long_, also_short = tiny_translator.translate(
            ["ein hund .", long_line, "die katze ."]
        )
    assert long_.truncated and not short.truncated and not also_short.truncated
    with survives("translate", "10,000-character line with attention"):
        detailed = tiny_translator.translate([long_line], with_attention=True)[0]
    assert len(detailed.target_pieces) <= MAX_OUTPUT_TOKENS
    assert len(detailed.source_pieces) == MAX_SOURCE_TOKENS
    assert detailed.source_pieces[-1] == "</s>"  # the cut source still ends like training data


def test_truncation_boundary_is_exact(tiny_translator):
    import tensorflow as tf

    from translate.inference.translator import MAX_SOURCE_TOKENS

    def length(k):
        return int(tiny_translator.tokenizer.encode_source(tf.constant(["x" * k])).row_lengths()[0])

    k = next(
        k
        for k in range(MAX_SOURCE_TOKENS - 10, MAX_SOURCE_TOKENS + 10)
        if length(k) == MAX_SOURCE_TOKENS
    )
    fits, too_long = tiny_translator.translate(["x" * k, "x" * (k + 1)])
    assert length(k + 1) == MAX_SOURCE_TOKENS + 1
    assert not fits.truncated and too_long.truncated


def test_line_breaks_and_bad_bytes_in_a_translation_stay_on_one_line(tiny_translator, monkeypatch):
    """Byte-fallback pieces can spell ``\\n`` or invalid UTF-8; the output stays one valid line."""
    import tensorflow as tf

    from translate.inference.translator import Translator

    spelled = b"a dog\nruns\r\n\xe2\x80\xa8 \xff."  # what the detokenizer gives, in the graph
    fresh = Translator(
        tiny_translator.model, tiny_translator.tokenizer, tiny_translator.decoding
    )  # own graphs
    monkeypatch.setattr(
        fresh.tokenizer,
        "decode_target",
        lambda ids: tf.fill(tf.shape(ids)[:1], tf.constant(spelled)),
    )
    with survives("translate", "newline and invalid UTF-8 in the model output"):
        translation = fresh.translate(["ein hund"], beam_size=1)[0]
    assert translation.text == "a dog runs \ufffd."


@pytest.mark.slow
def test_translate_takes_one_string_but_refuses_bytes(tiny_translator):
    (listed,) = tiny_translator.translate(["ein hund"], beam_size=1)
    assert tiny_translator.translate("ein hund", beam_size=1).text == listed.text
    with pytest.raises(TypeError, match="not bytes"):
        tiny_translator.translate(b"ein hund")


# Property-based: any Unicode text -------------------------------------------------------

st = hypothesis.strategies
# st.text() never yields surrogates, whatever its alphabet; joined characters do.
_any_char = st.one_of(
    st.characters(),
    st.characters(categories=["Cs"]),  # lone surrogates (and, by chance, pairs)
    st.sampled_from(["\n", "\r", "\x00", "\x85", "\u2028", "\u2581", "\u200b", "\ufeff", "\ufffd"]),
)
any_text = st.lists(_any_char, max_size=60).map("".join)


@pytest.mark.slow
@hypothesis.settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
@hypothesis.given(texts=st.lists(any_text, max_size=6))
def test_translate_never_raises_and_keeps_count(tiny_translator, texts):
    with survives("translate", "hypothesis text list"):
        translations = tiny_translator.translate(texts)
    _check_one_line_each(texts, translations)


@hypothesis.settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
@hypothesis.given(blob=st.binary(max_size=200))
def test_translate_random_bytes(tiny_translator, blob):
    text = blob.decode("utf-8", errors="replace")
    with survives("translate", "hypothesis random bytes"):
        translations = tiny_translator.translate(text.split("\n"))
    _check_one_line_each(text.split("\n"), translations)
