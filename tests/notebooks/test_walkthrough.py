"""notebooks/walkthrough.py: the set-up, the epoch filter and the diagrams every notebook uses."""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "notebooks"))
import walkthrough  # noqa: E402


def test_complete_epochs_drops_an_epoch_cut_short() -> None:
    # Three epochs of 4 steps, the third stopped after one step by a step limit.
    epoch_of_step = [1, 1, 1, 1, 2, 2, 2, 2, 3]
    assert walkthrough.complete_epochs(epoch_of_step, steps_per_epoch=4) == [1, 2]


def test_complete_epochs_of_an_empty_log_is_empty() -> None:
    assert walkthrough.complete_epochs([], steps_per_epoch=4) == []


def test_setup_prints_the_provenance_and_returns_the_mode(capsys, monkeypatch) -> None:
    monkeypatch.setenv("NOTEBOOK_FAST", "1")
    assert walkthrough.setup() is True
    printed = capsys.readouterr().out
    for needed in ("machine:", "cores", "date:", "mode: fast", "package: translate at commit"):
        assert needed in printed
    monkeypatch.setenv("NOTEBOOK_FAST", "0")
    assert walkthrough.setup() is False


def test_an_unknown_diagram_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="lstm_cell"):
        walkthrough.diagram("no such diagram")


@pytest.mark.parametrize("name", sorted(walkthrough.DIAGRAMS))
def test_every_diagram_draws(name: str) -> None:
    import matplotlib.pyplot as plt

    plt.close("all")
    walkthrough.diagram(name)
    figure = plt.gcf()
    assert figure.axes, f"diagram {name!r} drew no axes"
    assert figure.axes[0].patches or figure.axes[0].texts, f"diagram {name!r} is empty"
    plt.close("all")
