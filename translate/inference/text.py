"""Text handling the Translator and the SavedModel export share: blank inputs, one-line outputs.

Both give the same answers for the same strings: a *blank* input (empty or only
whitespace, as Python's ``str.isspace`` defines it) gets empty translations with
score 0, and every translation is one line, its whitespace collapsed to single
spaces and stripped (byte-fallback subwords can spell line breaks and control
characters). The Translator decides blankness in Python (:func:`is_blank`), the
export in the graph (:func:`blank_mask`); both translate through the same graph,
which ends with :func:`one_line`.
"""

from __future__ import annotations

import tensorflow as tf

# Python's whitespace (``str.isspace``, what ``str.split()`` splits on), in RE2
# syntax: ASCII \s (tab, newline, form feed, carriage return, space), vertical
# tab, the information separators \x1c-\x1f, NEL, and the Unicode separators
# (Zs, Zl, Zp).
WHITESPACE = r"[\s\x{000B}\x{001C}-\x{001F}\x{0085}\p{Z}]"
BLANK_PATTERN = WHITESPACE + "*"


def valid_unicode(text: str) -> str:
    """``text`` encodable as UTF-8: surrogate pairs joined, lone surrogates replaced by U+FFFD.

    Args:
        text: Any Python string, e.g. from a file read with ``surrogateescape``.

    Returns:
        A string TensorFlow accepts.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def is_blank(text: str) -> bool:
    """True for an empty or whitespace-only input, which is not translated.

    Args:
        text: One input sentence.

    Returns:
        ``not text.strip()``; the same as :func:`blank_mask` in the graph.
    """
    return not text.strip()


def blank_mask(texts: tf.Tensor) -> tf.Tensor:
    """In-graph :func:`is_blank`.

    Args:
        texts: ``(batch,)`` UTF-8 strings.

    Returns:
        ``(batch,)`` bool, True where the input is empty or only whitespace.
    """
    return tf.strings.regex_full_match(texts, BLANK_PATTERN)


def one_line(texts: tf.Tensor) -> tf.Tensor:
    """In-graph ``" ".join(text.split())`` of UTF-8 strings, invalid bytes replaced by U+FFFD.

    Args:
        texts: Any-shape strings, e.g. detokenized translations.

    Returns:
        The same shape: each string on one line, as Python's
        ``" ".join(text.decode("utf-8", "replace").split())`` gives it.
    """
    texts = tf.strings.unicode_transcode(
        texts, "UTF-8", "UTF-8", errors="replace", replacement_char=0xFFFD
    )
    texts = tf.strings.regex_replace(texts, f"^{WHITESPACE}+|{WHITESPACE}+$", "")
    return tf.strings.regex_replace(texts, f"{WHITESPACE}+", " ")
