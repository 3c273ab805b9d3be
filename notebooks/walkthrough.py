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


def _pointwise(ax, x: float, y: float, symbol: str, radius: float = 0.22) -> None:
    """Draws an element-wise operation (a circle holding ``symbol``) centred on (x, y)."""
    from matplotlib.patches import Circle

    ax.add_patch(Circle((x, y), radius, facecolor="#fbe3d6", edgecolor="#333333", lw=1.2, zorder=3))
    ax.text(x, y, symbol, ha="center", va="center", fontsize=14, zorder=4)


def _line(ax, points: Sequence[tuple[float, float]], color: str = "#333333", lw: float = 1.3):
    """Draws a polyline without an arrow head through ``points``."""
    xs, ys = zip(*points, strict=True)
    ax.plot(xs, ys, color=color, lw=lw, solid_capstyle="round", zorder=1)


def lstm_cell_diagram() -> None:
    """01: the LSTM cell, its three gates, the cell state and the hidden state."""
    from matplotlib.patches import FancyBboxPatch

    title = "One LSTM step: the cell state runs along the top, the gates below it"
    _, ax = canvas(12, 6.2, title)
    memory = "#b03a2e"  # the cell-state line
    ax.add_patch(
        FancyBboxPatch(
            (1.2, 0.75), 9.4, 4.45, boxstyle="round,pad=0.02,rounding_size=0.3",
            facecolor="#f4f4f4", edgecolor="#999999", lw=1, zorder=0,
        )
    )  # fmt: skip
    top, gate_y, mix_y, bottom = 4.6, 2.35, 3.55, 1.1
    # The cell state: c_{t-1} -> x f_t -> + i_t * candidate -> c_t.
    arrow(ax, (0.5, top), (2.78, top), color=memory)
    ax.text(0.45, top + 0.3, "$c_{t-1}$", fontsize=13, color=memory, ha="left")
    _line(ax, [(3.22, top), (5.18, top)], color=memory)
    arrow(ax, (5.62, top), (11.6, top), color=memory)
    ax.text(11.55, top + 0.3, "$c_t$", fontsize=13, color=memory, ha="right")
    _pointwise(ax, 3.0, top, "×")
    _pointwise(ax, 5.4, top, "+")
    ax.text(4.2, top + 0.3, "keep $f_t \\odot c_{t-1}$", fontsize=10, ha="center", color=memory)
    ax.text(6.7, top + 0.3, "$c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde c_t$",
            fontsize=10, ha="center", color=memory)  # fmt: skip
    # The input: h_{t-1} and x_t, side by side, feed every gate.
    ax.text(0.45, bottom - 0.35, "$h_{t-1}$", fontsize=13, ha="left")
    _line(ax, [(0.5, bottom), (7.9, bottom)])
    arrow(ax, (1.9, 0.05), (1.9, bottom))
    ax.text(2.05, 0.25, "$x_t$", fontsize=13, ha="left")
    ax.text(2.7, bottom - 0.25, "$[h_{t-1}, x_t]$", fontsize=10, ha="left", color="#555555")
    gates = [
        (3.0, "$\\sigma$", "forget gate $f_t$"),
        (4.5, "$\\sigma$", "input gate $i_t$"),
        (6.1, "tanh", "candidate $\\tilde c_t$"),
        (7.9, "$\\sigma$", "output gate $o_t$"),
    ]
    for x, activation, name in gates:
        arrow(ax, (x, bottom), (x, gate_y - 0.3))
        box(ax, x, gate_y, activation, width=0.85, height=0.6, color="#fdf1b8")
        ax.text(x + 0.1, gate_y + 0.55, name, fontsize=9.5, ha="left", va="center")
    # f_t multiplies the old memory.
    arrow(ax, (3.0, gate_y + 0.3), (3.0, top - 0.22))
    # i_t times the candidate is what gets written.
    _pointwise(ax, 5.4, mix_y, "×")
    _line(ax, [(4.5, gate_y + 0.3), (4.5, mix_y)])
    arrow(ax, (4.5, mix_y), (5.18, mix_y))
    _line(ax, [(6.1, gate_y + 0.3), (6.1, mix_y)])
    arrow(ax, (6.1, mix_y), (5.62, mix_y))
    arrow(ax, (5.4, mix_y + 0.22), (5.4, top - 0.22))
    ax.text(5.55, (mix_y + top) / 2, "write $i_t \\odot \\tilde c_t$", fontsize=10, ha="left")
    # h_t = o_t * tanh(c_t).
    out_x = 9.4
    _line(ax, [(out_x, top), (out_x, top - 0.3)], color=memory)
    box(ax, out_x, mix_y + 0.2, "tanh", width=0.8, height=0.45, color="#fbe3d6")
    arrow(ax, (out_x, top), (out_x, mix_y + 0.43), color=memory)
    _pointwise(ax, out_x, gate_y, "×")
    arrow(ax, (out_x, mix_y - 0.03), (out_x, gate_y + 0.22))
    arrow(ax, (7.9 + 0.43, gate_y), (out_x - 0.22, gate_y))
    _line(ax, [(out_x, gate_y - 0.22), (out_x, bottom)])
    arrow(ax, (out_x, bottom), (11.6, bottom))
    ax.text(11.55, bottom - 0.35, "$h_t$", fontsize=13, ha="right")
    ax.text(out_x + 0.15, (gate_y + bottom) / 2 - 0.1, "$h_t = o_t \\odot \\tanh(c_t)$",
            fontsize=10, ha="left")  # fmt: skip
    ax.text(
        6.0, 5.55,
        "yellow: a dense layer of $[h_{t-1}, x_t]$ then the activation "
        "($\\sigma$ in (0, 1): a gate; tanh in (-1, 1): content)     "
        "pink: element-wise operations",
        fontsize=9.5, ha="center", color="#444444",
    )  # fmt: skip


def unrolled_rnn_diagram() -> None:
    """02: an RNN unrolled over time, with the path the gradient takes back to x_{T-k}."""
    fig, ax = canvas(
        12.0, 5.0, "An RNN unrolled over T steps, and the gradient's way back to x$_{T-k}$"
    )
    red = "#c0392b"
    columns = ["1", "2", None, "T-k", None, "T-1", "T"]
    xs = [0.9 + 1.45 * i for i in range(len(columns))]
    y_x, y_h = 0.6, 2.2
    for i, (x, t) in enumerate(zip(xs, columns, strict=True)):
        if t is None:  # the steps left out
            ax.text(x, y_h, "…", ha="center", va="center", fontsize=16)
            ax.text(x, y_x, "…", ha="center", va="center", fontsize=16)
        else:
            key = t == "T-k"
            color = "#f9e0dc" if key else "#eeeeee"
            box(ax, x, y_x, f"$x_{{{t}}}$", width=0.95, height=0.55, color=color)
            box(ax, x, y_h, f"$h_{{{t}}}$", width=0.95, height=0.6)
            arrow(ax, (x - 0.15, y_x + 0.3), (x - 0.15, y_h - 0.32))
        if i:  # forwards in time (black, above) and the gradient backwards (red, below)
            arrow(ax, (xs[i - 1] + 0.5, y_h + 0.12), (x - 0.5, y_h + 0.12))
            if i >= 4:
                arrow(ax, (x - 0.5, y_h - 0.14), (xs[i - 1] + 0.5, y_h - 0.14), color=red)
    x_loss = xs[-1] + 1.7
    box(ax, x_loss, y_h, "loss $L$\nat step $T$", width=1.25, height=0.75, color="#fdf2d0")
    arrow(ax, (xs[-1] + 0.5, y_h + 0.12), (x_loss - 0.65, y_h + 0.12))
    arrow(ax, (x_loss - 0.65, y_h - 0.14), (xs[-1] + 0.5, y_h - 0.14), color=red)
    arrow(ax, (xs[3] + 0.15, y_h - 0.32), (xs[3] + 0.15, y_x + 0.3), color=red)
    # A bracket over the k steps the gradient crosses.
    y_brace = y_h + 0.55
    ax.plot(
        [xs[3], xs[3], xs[-1], xs[-1]], [y_brace - 0.1, y_brace, y_brace, y_brace - 0.1], color=red
    )
    ax.text(
        (xs[3] + xs[-1]) / 2,
        y_brace + 0.08,
        "$\\partial L/\\partial x_{T-k}$ crosses k steps: a product of k factors "
        "$\\partial h_t/\\partial h_{t-1}$",
        ha="center",
        va="bottom",
        fontsize=10,
        color=red,
    )
    ax.text(
        0.4,
        4.45,
        "SimpleRNN, $h_t = \\tanh(x_t W + h_{t-1} U + b)$: each factor is "
        "diag$(1 - h_t^2)\\, U^\\top$, so the product shrinks (or grows) geometrically.\n"
        "LSTM, cell state $c_t = f_t \\odot c_{t-1} + i_t \\odot g_t$: along $c$ each factor is "
        "diag$(f_t)$, so unit $j$ keeps $f_{T-k+1,j} \\cdots f_{T,j}$;\n"
        "the paths through $h_{t-1}$ and the gates add further terms.",
        ha="left",
        va="top",
        fontsize=10,
        linespacing=1.6,
    )


def language_model_diagram() -> None:
    """03: the LSTM language model reading <bos> w1 ... and predicting the next word."""
    inputs = ["<bos>", "a", "cat", "sat", "on", "the"]
    targets = ["a", "cat", "sat", "on", "the", "?"]
    left, step = 2.6, 1.75
    rows = {"input": 0.7, "embed": 1.75, "lstm": 2.95, "softmax": 4.15, "target": 5.25}
    fig, ax = canvas(
        left + step * len(inputs) + 0.2,
        6.3,
        "The LSTM language model, unrolled: each step reads one word and predicts the next",
    )
    labels = {
        "input": "input  $w_t$",
        "embed": "Embedding",
        "lstm": "LSTM, one layer,\nsame weights\nat every step",
        "softmax": "Dense + softmax\nover the vocabulary",
        "target": "target  $w_{t+1}$",
    }
    for row, text in labels.items():
        ax.text(0.1, rows[row], text, ha="left", va="center", fontsize=10, color="#444444")
    for t, (word, target) in enumerate(zip(inputs, targets, strict=True)):
        x = left + step * t + step / 2
        box(ax, x, rows["input"], word, width=1.1, height=0.5, color="#f2f2f2")
        box(ax, x, rows["embed"], "embed", width=1.1, height=0.5, color="#e8f0dc")
        box(ax, x, rows["lstm"], "LSTM", width=1.1, height=0.65, color="#dde8f5")
        box(ax, x, rows["softmax"], "softmax", width=1.1, height=0.5, color="#f7e3c6")
        last = t == len(inputs) - 1
        box(
            ax,
            x,
            rows["target"],
            target,
            width=1.1,
            height=0.5,
            color="#fff2a8" if last else "#f2f2f2",
        )
        arrow(ax, (x, rows["input"] + 0.25), (x, rows["embed"] - 0.25))
        arrow(ax, (x, rows["embed"] + 0.25), (x, rows["lstm"] - 0.33))
        arrow(ax, (x, rows["lstm"] + 0.33), (x, rows["softmax"] - 0.25), "$h_t$")
        arrow(ax, (x, rows["softmax"] + 0.25), (x, rows["target"] - 0.25))
        if t > 0:
            prev = x - step
            arrow(ax, (prev + 0.55, rows["lstm"]), (x - 0.55, rows["lstm"]), "$h, c$")
    x_last = left + step * (len(inputs) - 1) + step / 2
    ax.text(
        x_last,
        rows["target"] + 0.55,
        "P(next word | <bos> a cat sat on the)",
        ha="center",
        va="center",
        fontsize=9.5,
    )
    ax.text(
        left + step * 3,
        0.05,
        "the targets are the inputs shifted one step to the left (ending in <eos> in training);\n"
        "training: cross-entropy of every target; writing: the predicted word is fed back as the "
        "next input",
        ha="center",
        va="center",
        fontsize=9,
        color="#555555",
    )


def _encoder_decoder_cell(ax, x: float, y: float, label: str, color: str) -> None:
    """One unrolled LSTM step of the encoder-decoder diagram."""
    box(ax, x, y, label, width=0.95, height=0.62, color=color)


def encoder_decoder_diagram() -> None:
    """04: the plain encoder-decoder forecaster: encoder over 36 months, decoder writes 12."""
    fig, ax = canvas(13.5, 5.0, "Encoder-decoder forecaster: read 36 months, write the next 12")
    encoder_color, decoder_color, state_color = "#dde8f5", "#fde8d0", "#e4f2dc"
    row, below, above = 2.4, 1.05, 3.75
    # Encoder: one LSTM step per input month; only its final state goes on.
    encoder_x = [0.9, 2.2, 3.9]
    encoder_inputs = ["$y_{t-36}$", "$y_{t-35}$", "$y_{t-1}$"]
    for x, text in zip(encoder_x, encoder_inputs, strict=True):
        _encoder_decoder_cell(ax, x, row, "LSTM", encoder_color)
        arrow(ax, (x, below + 0.25), (x, row - 0.31))
        ax.text(x, below, text, ha="center", va="center", fontsize=11)
    arrow(ax, (encoder_x[0] + 0.48, row), (encoder_x[1] - 0.48, row))
    arrow(ax, (encoder_x[1] + 0.48, row), (encoder_x[2] - 0.48, row))
    ax.text(3.05, row + 0.22, "...", ha="center", fontsize=13)
    ax.text(
        2.4,
        0.45,
        "encoder: value + calendar (sin, cos of month)\nof each of the last 36 months",
        ha="center",
        va="center",
        fontsize=9,
    )
    # The hand-over: the encoder's final hidden and cell state start the decoder.
    box(ax, 5.55, row, "final state\n$(h, c)$", width=1.25, height=0.8, color=state_color)
    arrow(ax, (encoder_x[2] + 0.48, row), (5.55 - 0.63, row))
    # Decoder: one LSTM step per forecast month, each fed the value of the month before.
    decoder_x = [7.3, 8.9, 10.5, 12.55]
    outputs = ["$\\hat y_{t}$", "$\\hat y_{t+1}$", "$\\hat y_{t+2}$", "$\\hat y_{t+11}$"]
    inputs = [
        "$y_{t-1}$",
        "$y_{t}$ or $\\hat y_{t}$",
        "$y_{t+1}$ or $\\hat y_{t+1}$",
        "$y_{t+10}$ or $\\hat y_{t+10}$",
    ]
    arrow(ax, (5.55 + 0.63, row), (decoder_x[0] - 0.48, row))
    for i, x in enumerate(decoder_x):
        _encoder_decoder_cell(ax, x, row, "LSTM", decoder_color)
        arrow(ax, (x, below + 0.25), (x, row - 0.31))
        ax.text(x, below, inputs[i], ha="center", va="center", fontsize=10)
        arrow(ax, (x, row + 0.31), (x, above - 0.22), text="Dense" if i == 0 else "")
        ax.text(x, above, outputs[i], ha="center", va="center", fontsize=11)
        if i + 1 < len(decoder_x):
            end = decoder_x[i + 1] - 0.48
            arrow(ax, (x + 0.48, row), (end, row))
    ax.text(11.55, row + 0.22, "...", ha="center", fontsize=13)
    # The feedback: each output becomes (when forecasting) the next step's input.
    for i in range(2):
        ax.annotate(
            "",
            xy=(decoder_x[i + 1] - 0.25, below + 0.22),
            xytext=(decoder_x[i] + 0.3, above - 0.05),
            arrowprops={
                "arrowstyle": "-|>",
                "color": "#c0504d",
                "linestyle": "--",
                "linewidth": 1.2,
                "connectionstyle": "arc3,rad=-0.25",
            },
        )
    ax.text(
        9.9,
        0.45,
        "decoder input: the previous month's value + calendar of the month forecast\n"
        "training: the true value $y$ (teacher forcing);  forecasting: its own $\\hat y$ (dashed)",
        ha="center",
        va="center",
        fontsize=9,
        color="#333333",
    )
    ax.text(9.9, 4.5, "12 forecasts, one month at a time", ha="center", fontsize=10)
    ax.text(2.4, 4.5, "36 months read; only the final state is kept", ha="center", fontsize=10)


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
