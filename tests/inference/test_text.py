"""Tests of the text handling the Translator and the export share (``translate.inference.text``)."""

import random

import tensorflow as tf

from translate.inference.text import BLANK_PATTERN, blank_mask, is_blank, one_line, valid_unicode

# Byte strings of the kinds translations can hold, including invalid UTF-8.
_PIECES = [
    b"a",
    b" ",
    b"\t",
    b"\n",
    b"\r",
    b"\x1f",
    b"\x0b",
    b"\xc2\x85",
    b"\xe3\x80\x80",
    b"\xe2\x80\xa8",
    b"\xe2\x80\x8b",
    b"\xc3\xa4",
    b"\xff",
    b"\xc3",
    b"\xe2\x82",
    b"\xf0\x9f\x99",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
]


def test_blank_pattern_is_python_whitespace():
    characters = [chr(c) for c in range(0x3100)] + ["\u200b", "\ufeff"]
    matched = tf.strings.regex_full_match(tf.constant(characters), BLANK_PATTERN).numpy()
    assert [c for c, m in zip(characters, matched) if m != c.isspace()] == []
    assert tf.strings.regex_full_match(
        tf.constant(["", " \t\u3000", " a "]), BLANK_PATTERN
    ).numpy().tolist() == [True, True, False]


def test_blank_mask_in_the_graph_is_is_blank_in_python():
    rng = random.Random(1)
    characters = [" ", "\t", "\n", "\u3000", "\u2028", "\x1c", "\x85", "\u200b", "a", "ä", ""]
    texts = ["".join(rng.choice(characters) for _ in range(rng.randint(0, 4))) for _ in range(500)]
    expected = [is_blank(text) for text in texts]
    assert blank_mask(tf.constant(texts)).numpy().tolist() == expected
    assert 0 < sum(expected) < len(texts)  # both kinds occur


def test_one_line_is_pythons_split_and_join():
    rng = random.Random(0)
    texts = [b"".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 8))) for _ in range(3000)]
    got = [t.decode("utf-8") for t in one_line(tf.constant(texts)).numpy()]
    assert got == [" ".join(t.decode("utf-8", "replace").split()) for t in texts]


def test_one_line_keeps_the_shape():
    texts = tf.constant([[" a\nb ", ""], ["c", "\u2028d\te"]])
    assert one_line(texts).numpy().tolist() == [[b"a b", b""], [b"c", b"d e"]]


def test_valid_unicode_joins_surrogate_pairs_and_replaces_lone_ones():
    assert valid_unicode("plain äö 🙂") == "plain äö 🙂"
    assert valid_unicode("\ud83d\ude42") == "🙂"  # a pair, as from UTF-16 text
    assert valid_unicode("a\udcffb") == "a\ufffdb"
    assert valid_unicode("x\ud800").encode("utf-8") == "x\ufffd".encode("utf-8")
