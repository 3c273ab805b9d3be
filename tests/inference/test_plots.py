"""Tests of the attention heatmap (:func:`translate.inference.plots.plot_attention`)."""

import numpy as np
import pytest

from translate import TranslateError
from translate.inference.plots import plot_attention
from translate.inference.translator import Translation


def _translation(attention):
    """A translation of two source and two target subwords (each with ``</s>``)."""
    return Translation(
        "ein hund",
        ["a dog"],
        [-1.5],
        source_pieces=["▁ein", "▁hund", "</s>"],
        target_pieces=["▁a", "▁dog", "</s>"],
        attention=attention,
    )


def test_writes_a_png(tmp_path):
    path = tmp_path / "attention.png"
    plot_attention(_translation(np.eye(3, dtype=np.float32)), str(path))
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_the_extension_chooses_the_format(tmp_path):
    path = tmp_path / "attention.svg"
    plot_attention(_translation(np.full((3, 3), 1 / 3, np.float32)), str(path))
    assert b"<svg" in path.read_bytes()[:1000]


def test_an_unsupported_extension_is_a_translate_error(tmp_path):
    path = tmp_path / "attention.xyz"
    with pytest.raises(TranslateError, match=r"attention\.xyz.*'xyz' is not supported"):
        plot_attention(_translation(np.eye(3, dtype=np.float32)), str(path))
    assert not path.exists()


def test_a_missing_folder_and_no_attention_are_translate_errors(tmp_path):
    with pytest.raises(TranslateError, match=r"cannot write .*no-such-folder"):
        plot_attention(_translation(np.eye(3)), str(tmp_path / "no-such-folder" / "a.png"))
    with pytest.raises(TranslateError, match="no attention to plot for 'ein hund'"):
        plot_attention(_translation(None), str(tmp_path / "a.png"))
    with pytest.raises(TranslateError, match="no attention to plot"):
        plot_attention(_translation(np.zeros((0, 3))), str(tmp_path / "a.png"))
