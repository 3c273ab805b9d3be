"""Attention heatmaps with matplotlib."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from translate.errors import TranslateError  # noqa: E402


def plot_attention(translation, path: str) -> None:
    """Draws the attention of a translation: source subwords by target subwords.

    Args:
        translation: A :class:`~translate.translator.Translation` made with
            ``with_attention=True``.
        path: The image file to write (PNG, SVG or PDF by extension).
    """
    if translation.attention is None or translation.attention.size == 0:
        raise TranslateError(f"no attention to plot for {translation.source!r} (empty input?)")
    weights = translation.attention  # (target_len, source_len)
    height = max(3.0, 0.3 * weights.shape[0] + 1.5)
    width = max(4.0, 0.3 * weights.shape[1] + 2.0)
    figure, axes = plt.subplots(figsize=(width, height))
    image = axes.imshow(weights, cmap="viridis", aspect="auto", vmin=0.0, vmax=1.0)
    axes.set_xticks(range(len(translation.source_pieces)), translation.source_pieces, rotation=90)
    axes.set_yticks(range(len(translation.target_pieces)), translation.target_pieces)
    axes.set_xlabel("source subwords")
    axes.set_ylabel("target subwords")
    axes.set_title(f"Attention: {translation.text[:60]}")
    figure.colorbar(image, ax=axes, label="attention weight")
    figure.tight_layout()
    try:
        figure.savefig(path, dpi=120)
    except OSError as error:
        raise TranslateError(f"cannot write {path}: {error.strerror}") from None
    except ValueError as error:  # an extension matplotlib has no format for
        raise TranslateError(f"cannot write {path}: {error}") from None
    finally:
        plt.close(figure)
