"""What every walkthrough notebook needs before its first idea: set-up, provenance, diagrams.

Each notebook calls, in its first code cell::

    from walkthrough import setup, diagram
    FAST = setup()
    diagram("lstm_cell")

``setup`` checks that the ``translate`` package is importable (and says how to
install it when it is not), configures Matplotlib for the page, and prints
where, when and with which commit of the package the notebook ran.
``notebooks/run.py`` appends the run time to that cell's output, so the
provenance of every figure stays on the page.

``diagram`` draws the picture of what the notebook builds (boxes and arrows in
Matplotlib, so it renders wherever the notebook's outputs do, GitHub included).

``complete_epochs`` is the one way the notebooks turn a training log into
per-epoch points: an epoch that was cut short is not an epoch, and is dropped.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import subprocess
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

INSTALL_HELP = (
    "the package `translate` (distribution lstm-translate) is not installed in this kernel.\n"
    "From a clone of the repository:   pip install -e .            (run in the clone's root)\n"
    "Or from a wheel:                  python -m build   (in the clone, makes dist/*.whl)\n"
    "                                  pip install dist/lstm_translate-*.whl\n"
    "then restart the kernel. The notebooks also import notebooks/walkthrough.py, so start\n"
    "Jupyter inside the clone (or upload that file next to the notebook)."
)


def fast_mode() -> bool:
    """Whether the notebook runs in fast mode (``NOTEBOOK_FAST=1``: tiny data, short training)."""
    return os.environ.get("NOTEBOOK_FAST") == "1"


def package_commit() -> str:
    """The git commit of the ``translate`` package in use, marked when its files differ."""
    spec = importlib.util.find_spec("translate")
    package_dir = Path(spec.origin).parent  # type: ignore[union-attr, arg-type]

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(package_dir), *args], capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "--short=12", "HEAD")
        return commit + (" (translate/ modified)" if git("status", "--porcelain", ".") else "")
    except (OSError, subprocess.CalledProcessError):
        from importlib.metadata import version

        return f"unknown (installed lstm-translate {version('lstm-translate')}, not a git clone)"


def cpu_model() -> str:
    """The CPU's model name, family and model number (from /proc/cpuinfo where there is one)."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    fields: dict[str, str] = {}
    for line in info.splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            fields.setdefault(key.strip(), value.strip())
    return (
        f"{fields.get('model name', '?')} "
        f"(family {fields.get('cpu family', '?')}, model {fields.get('model', '?')})"
    )


def setup() -> bool:
    """Prepares the kernel for a walkthrough and prints its provenance.

    Returns:
        Whether the notebook runs in fast mode.

    Raises:
        ModuleNotFoundError: If the ``translate`` package is not installed, with
            the two ways to install it.
    """
    if importlib.util.find_spec("translate") is None:
        raise ModuleNotFoundError(INSTALL_HELP)
    import matplotlib.pyplot as plt

    plt.rcParams["figure.dpi"] = 80
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            shell.run_line_magic("config", 'InlineBackend.figure_format = "png"')
    except ImportError:
        pass
    fast = fast_mode()
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}")
    now = datetime.now(timezone.utc)
    print(f"date:    {now:%Y-%m-%d %H:%M} UTC; mode: {'fast' if fast else 'full'}")
    print(f"package: translate at commit {package_commit()}")
    return fast


def complete_epochs(epoch_of_step: Sequence[int], steps_per_epoch: int) -> list[int]:
    """The epochs of a training log that ran all their steps.

    Args:
        epoch_of_step: For each optimizer step taken, the (1-based) epoch it
            belonged to, in order.
        steps_per_epoch: How many steps a whole epoch has.

    Returns:
        The epochs, in order, that hold ``steps_per_epoch`` steps. An epoch cut
        short (by a step or time limit) is left out: its mean is not comparable.
    """
    counts: dict[int, int] = {}
    for epoch in epoch_of_step:
        counts[epoch] = counts.get(epoch, 0) + 1
    return [epoch for epoch, count in counts.items() if count >= steps_per_epoch]


# --- diagrams -----------------------------------------------------------------------------------
# A small vocabulary of boxes and arrows; each notebook's picture is one function below,
# registered in DIAGRAMS under the name the notebook passes to `diagram`.


def box(
    ax,
    x: float,
    y: float,
    text: str,
    width: float = 1.2,
    height: float = 0.6,
    color: str = "#dde8f5",
):
    """Draws a rounded box centred on (x, y) with ``text`` in it."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            facecolor=color,
            edgecolor="#333333",
            linewidth=1.2,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def arrow(
    ax, start: tuple[float, float], end: tuple[float, float], text: str = "", color: str = "#333333"
):
    """Draws an arrow from ``start`` to ``end``, labelled with ``text`` at its middle."""
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={
            "arrowstyle": "-|>",
            "color": color,
            "linewidth": 1.3,
            "shrinkA": 2,
            "shrinkB": 2,
        },
    )
    if text:
        ax.text(
            (start[0] + end[0]) / 2,
            (start[1] + end[1]) / 2,
            text,
            ha="center",
            va="center",
            fontsize=9,
            color=color,
            backgroundcolor="white",
        )


def canvas(width: float, height: float, title: str):
    """A blank figure of ``width`` x ``height`` inches with data units equal to inches."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=12)
    return fig, ax


def lstm_cell_diagram() -> None:
    """01: the LSTM cell, its three gates, the cell state and the hidden state."""
    raise NotImplementedError("drawn by notebook 01's author")


def unrolled_rnn_diagram() -> None:
    """02: an RNN unrolled over time, with the path the gradient takes back to x_{T-k}."""
    raise NotImplementedError("drawn by notebook 02's author")


def language_model_diagram() -> None:
    """03: the LSTM language model reading <bos> w1 ... and predicting the next word."""
    raise NotImplementedError("drawn by notebook 03's author")


def encoder_decoder_diagram() -> None:
    """04: the plain encoder-decoder forecaster: encoder over 36 months, decoder writes 12."""
    raise NotImplementedError("drawn by notebook 04's author")


def attention_translator_diagram() -> None:
    """05: the encoder-decoder translator with attention over the source annotations."""
    title = "The translator: a bidirectional encoder, attention, one decoder step"
    fig, ax = canvas(12.0, 6.6, title)
    pieces = ["Ein", "Mann", "kauft", "Brot", "</s>"]
    xs = [1.0 + 1.45 * j for j in range(len(pieces))]
    enc, att, dec, word = "#dde8f5", "#fbe3c8", "#dff0d8", "#eeeeee"
    y_src, y_fw, y_bw, y_h, y_sc, y_sm = 0.75, 1.65, 2.5, 3.45, 4.75, 5.6
    for j, (x, piece) in enumerate(zip(xs, pieces)):
        box(ax, x, y_src, piece, width=1.15, height=0.5, color=word)
        box(ax, x, y_fw, "→ LSTM", width=1.15, height=0.5, color=enc)
        box(ax, x, y_bw, "← LSTM", width=1.15, height=0.5, color=enc)
        box(ax, x, y_h, f"$h_{j + 1}$", width=0.9, height=0.5, color=enc)
        arrow(ax, (x - 0.3, y_src + 0.25), (x - 0.3, y_fw - 0.25))
        ax.annotate(
            "",
            xy=(x + 0.38, y_bw - 0.25),
            xytext=(x + 0.38, y_src + 0.25),
            arrowprops={"arrowstyle": "-|>", "color": "#999999", "linewidth": 1.0},
        )
        arrow(ax, (x - 0.2, y_fw + 0.25), (x - 0.2, y_h - 0.25))
        arrow(ax, (x + 0.1, y_bw + 0.25), (x + 0.1, y_h - 0.25))
        arrow(ax, (x, y_h + 0.25), (xs[2] + (x - xs[2]) * 0.45, y_sc - 0.25), color="#b36b00")
        if j + 1 < len(pieces):
            arrow(ax, (x + 0.58, y_fw), (xs[j + 1] - 0.58, y_fw))
            arrow(ax, (xs[j + 1] - 0.58, y_bw), (x + 0.58, y_bw))
    ax.text(0.2, (y_fw + y_bw) / 2, "encoder", ha="center", va="center", fontsize=10, rotation=90)
    ax.text(0.2, y_h, "annotations", ha="center", va="center", fontsize=9, rotation=90)
    ax.text(
        xs[2],
        0.2,
        "source subwords; each annotation $h_j = [\\overrightarrow{h}_j; "
        "\\overleftarrow{h}_j]$ has read the whole sentence, left and right of $j$",
        ha="center",
        va="center",
        fontsize=9,
    )
    # Attention: scores -> softmax over source positions -> context.
    box(
        ax,
        xs[2],
        y_sc,
        "scores $e_{tj} = \\mathrm{score}(s_t, h_j)$",
        width=3.4,
        height=0.5,
        color=att,
    )
    box(
        ax,
        xs[2],
        y_sm,
        "softmax over positions $j$: weights $\\alpha_{tj}$",
        width=3.8,
        height=0.5,
        color=att,
    )
    arrow(ax, (xs[2], y_sc + 0.25), (xs[2], y_sm - 0.25))
    box(
        ax, 9.0, y_sm, "context $c_t = \\sum_j \\alpha_{tj} h_j$", width=2.6, height=0.55, color=att
    )
    arrow(ax, (xs[2] + 1.9, y_sm), (7.7, y_sm))
    # The decoder step t.
    box(ax, 9.0, y_src, "$y_{t-1}$ (previous subword)", width=2.6, height=0.5, color=word)
    box(ax, 9.0, 2.1, "decoder LSTM step: $s_t$", width=2.6, height=0.55, color=dec)
    box(ax, 9.0, 4.1, "$\\tilde{h}_t = \\tanh(W_a[s_t; c_t])$", width=2.6, height=0.5, color=dec)
    box(ax, 11.2, 4.1, "output\nlayer", width=1.0, height=0.7, color=dec)
    box(ax, 11.2, y_sm, "next\nsubword", width=1.0, height=0.7, color=word)
    arrow(ax, (9.0, y_src + 0.25), (9.0, 2.1 - 0.28))
    arrow(ax, (9.0, 2.1 + 0.28), (9.0, 4.1 - 0.25))
    ax.plot([7.7, 7.45, 7.45], [2.1, 2.1, y_sc], color="#b36b00", linewidth=1.3)
    arrow(ax, (7.45, y_sc), (xs[2] + 1.7, y_sc), color="#b36b00")
    ax.text(6.55, y_sc + 0.2, "query $s_t$", ha="center", va="bottom", fontsize=10, color="#b36b00")
    arrow(ax, (9.0, y_sm - 0.28), (9.0, 4.1 + 0.25))
    arrow(ax, (10.3, 4.1), (10.7, 4.1))
    arrow(ax, (11.2, 4.45), (11.2, y_sm - 0.35), "softmax")
    arrow(ax, (11.7, 2.1), (10.3, 2.1))
    ax.text(11.0, 2.3, "$s_{t-1}$", ha="center", va="bottom", fontsize=10)
    ax.text(
        10.4,
        1.2,
        "input feeding: $\\tilde{h}_{t-1}$\nalso enters the step",
        ha="left",
        va="center",
        fontsize=8,
        color="#555555",
    )
    ax.text(9.0, 0.2, "decoder, one step $t$", ha="center", va="center", fontsize=9)
    fig.tight_layout()


DIAGRAMS: dict[str, Callable[[], None]] = {
    "lstm_cell": lstm_cell_diagram,
    "unrolled_rnn": unrolled_rnn_diagram,
    "language_model": language_model_diagram,
    "encoder_decoder": encoder_decoder_diagram,
    "attention_translator": attention_translator_diagram,
}


def diagram(name: str) -> None:
    """Draws the diagram called ``name`` (a key of ``DIAGRAMS``) into the notebook."""
    if name not in DIAGRAMS:
        raise KeyError(f"no diagram {name!r}; there are {sorted(DIAGRAMS)}")
    DIAGRAMS[name]()
    import matplotlib.pyplot as plt

    plt.show()
