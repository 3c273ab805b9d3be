"""Attention heatmaps with matplotlib."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backend_bases import FigureCanvasBase  # noqa: E402

from translate import TranslateError  # noqa: E402
from translate.runs.fileio import atomic_write, check_writable  # noqa: E402


def plot_format(path: str) -> str:
    """The image format of ``path`` by its extension (PNG without one).

    Raises:
        TranslateError: If matplotlib cannot write that format, naming the
            file and the formats it can write.
    """
    extension = os.path.splitext(path)[1][1:].lower() or "png"
    formats = FigureCanvasBase.get_supported_filetypes()
    if extension not in formats:
        raise TranslateError(
            f"cannot write {path}: the image format '{extension}' is not supported "
            f"(use one of {', '.join(sorted(formats))})"
        )
    return extension


def check_plot_path(path: str, what: str = "", new_folders: bool = False) -> None:
    """Checks, before any translating, that a plot can be written to ``path``.

    Args:
        path: The image file.
        what: The option that named it, for the message.
        new_folders: Missing folders above ``path`` will be created.

    Raises:
        TranslateError: If the format is not supported or the folder not writable.
    """
    plot_format(path)
    check_writable(path, what, new_folders)


def plot_attention(translation, path: str) -> None:
    """Draws the attention of a translation: source subwords by target subwords.

    The image is written under a temporary name and renamed when complete.

    Args:
        translation: A :class:`~translate.inference.translator.Translation` made with
            ``with_attention=True``.
        path: The image file to write (PNG, SVG, PDF, ... by extension).

    Raises:
        TranslateError: If there is no attention to draw (an empty input or an
            empty translation), or the file cannot be written.
    """
    image_format = plot_format(path)
    if translation.attention is None or translation.attention.size == 0:
        why = "the input is empty" if not translation.source.strip() else "the translation is empty"
        raise TranslateError(
            f"no attention to plot for {translation.source!r} ({why}); {path} not written"
        )
    weights = translation.attention  # (target_len, source_len)
    height = max(3.0, 0.3 * weights.shape[0] + 1.5)
    width = max(4.0, 0.3 * weights.shape[1] + 2.0)
    figure, axes = plt.subplots(figsize=(width, height))
    try:
        image = axes.imshow(weights, cmap="viridis", aspect="auto", vmin=0.0, vmax=1.0)
        axes.set_xticks(
            range(len(translation.source_pieces)), translation.source_pieces, rotation=90
        )
        axes.set_yticks(range(len(translation.target_pieces)), translation.target_pieces)
        axes.set_xlabel("source subwords")
        axes.set_ylabel("target subwords")
        axes.set_title(f"Attention: {translation.text[:60]}")
        figure.colorbar(image, ax=axes, label="attention weight")
        figure.tight_layout()
        check_writable(path)

        def save(temporary: str) -> None:
            figure.savefig(temporary, format=image_format, dpi=120)

        atomic_write(path, save)
    finally:
        plt.close(figure)
