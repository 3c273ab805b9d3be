"""The walkthroughs in notebooks/ are committed executed, in full mode, with clean outputs.

Pure JSON reading (no kernel, no TensorFlow), so it runs in the default suite.
``python notebooks/run.py`` produces what these tests expect.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
MAX_BYTES = 2_000_000
MACHINE_PATH = re.compile(r"/work/|/home/|/tmp/|/root/|/Users/|[A-Z]:\\\\Users")


def _outputs(notebook: dict) -> list[tuple[int, dict]]:
    return [
        (index, output)
        for index, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "code"
        for output in cell.get("outputs", [])
    ]


def _text(output: dict) -> str:
    """Every text an output holds (stream text, plain/HTML data, traceback lines)."""
    parts = []
    for value in [output.get("text", "")] + [
        v for k, v in output.get("data", {}).items() if k.startswith("text/")
    ]:
        parts.append("".join(value) if isinstance(value, list) else value)
    parts.extend(output.get("traceback", []))
    return "\n".join(parts)


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def notebook(request) -> tuple[Path, dict]:
    path = request.param
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_the_notebook_index_lists_exactly_the_notebooks_on_disk() -> None:
    index = (NOTEBOOK_DIR / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"\(([\w-]+\.ipynb)\)", index))
    on_disk = {path.name for path in NOTEBOOKS}
    assert on_disk, "notebooks/*.ipynb should ship with the project"
    assert listed == on_disk, f"listed but missing: {listed - on_disk}; unlisted: {on_disk - listed}"


def test_every_code_cell_was_executed(notebook) -> None:
    path, nb = notebook
    missing = [
        index
        for index, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code" and cell.get("execution_count") is None
    ]
    assert not missing, f"{path.name}: code cells {missing} have no execution count"


def test_has_a_figure(notebook) -> None:
    path, nb = notebook
    figures = [o for _, o in _outputs(nb) if "image/png" in o.get("data", {})]
    assert figures, f"{path.name}: no image/png output"


def test_no_errors_or_tracebacks(notebook) -> None:
    path, nb = notebook
    for index, output in _outputs(nb):
        assert output.get("output_type") != "error", f"{path.name}: cell {index} raised"
        assert "Traceback" not in _text(output), f"{path.name}: cell {index} shows a traceback"


def test_no_machine_paths_in_outputs(notebook) -> None:
    path, nb = notebook
    for index, output in _outputs(nb):
        found = MACHINE_PATH.search(_text(output))
        assert not found, f"{path.name}: cell {index} output names a path ({found.group()!r})"


def test_first_cell_records_a_full_run(notebook) -> None:
    path, nb = notebook
    first = "".join(_text(o) for o in nb["cells"][0].get("outputs", []))
    for needed in ("machine:", "date:", "commit", "mode: full", "full-mode run time"):
        assert needed in first, f"{path.name}: the first cell's output lacks {needed!r}"


def test_size_limit(notebook) -> None:
    path, _ = notebook
    size = path.stat().st_size
    assert size <= MAX_BYTES, f"{path.name} is {size / 1e6:.2f} MB (limit {MAX_BYTES / 1e6:.0f} MB)"
