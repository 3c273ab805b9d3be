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
    assert listed == on_disk, (
        f"listed but missing: {listed - on_disk}; unlisted: {on_disk - listed}"
    )


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


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _markdown(nb: dict) -> str:
    return "\n\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_the_notebooks_are_numbered_in_teaching_order() -> None:
    names = [path.name for path in NOTEBOOKS]
    numbers = [name[:2] for name in names]
    assert numbers == [f"{i:02d}" for i in range(1, len(names) + 1)], names
    # The plain encoder-decoder (forecasting) is taught before the translator with attention.
    forecasting = next(n for n in names if "forecasting" in n)
    translator = next(n for n in names if "translate" in n)
    assert forecasting < translator, names


def test_first_cell_is_a_markdown_title(notebook) -> None:
    path, nb = notebook
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown", f"{path.name}: the first cell is {first['cell_type']}"
    assert re.match(r"# \S", _source(first)), (
        f"{path.name}: the first cell does not start with '# '"
    )


def test_set_up_cell_records_a_full_run(notebook) -> None:
    path, nb = notebook
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, f"{path.name}: no code cell"
    first = code[0]
    assert "setup()" in _source(first), f"{path.name}: the first code cell does not call setup()"
    text = "".join(_text(o) for o in first.get("outputs", []))
    for needed in ("machine:", "date:", "commit", "mode: full", "full-mode run time"):
        assert needed in text, f"{path.name}: the set-up cell's output lacks {needed!r}"


def test_a_diagram_comes_before_the_code(notebook) -> None:
    path, nb = notebook
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    drawn = [
        c
        for c in code[:2]
        if "diagram(" in _source(c) and any("image/png" in o.get("data", {}) for o in c["outputs"])
    ]
    assert drawn, f"{path.name}: none of the first two code cells draws a diagram"


EXERCISE = re.compile(r"\*\*Exercise \d+\b")


def test_at_least_three_exercises_with_hints_and_solutions(notebook) -> None:
    path, nb = notebook
    text = _markdown(nb)
    starts = [m.start() for m in EXERCISE.finditer(text)]
    assert len(starts) >= 3, f"{path.name}: {len(starts)} exercises (at least 3 expected)"
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        exercise = text[start:end]
        title = exercise.splitlines()[0][:60]
        for part in ("Hint", "Solution"):
            assert re.search(rf"<details>\s*<summary>{part}", exercise), (
                f"{path.name}: {title!r} has no <details><summary>{part}"
            )


CODE_LINK = re.compile(r"\[([^\]]*)\]\((\.\./translate/[^)#\s]+)\)")


def test_links_to_package_code_resolve_to_a_named_definition(notebook) -> None:
    path, nb = notebook
    links = CODE_LINK.findall(_markdown(nb))
    assert links, f"{path.name}: no relative link to code in ../translate/"
    for text, target in links:
        file = (NOTEBOOK_DIR / target).resolve()
        assert file.is_file(), f"{path.name}: link {target} names no file"
        names = re.findall(r"`([A-Za-z_][\w.]*)`", text)
        symbols = [n for n in names if not n.endswith(".py") and "/" not in n]
        assert symbols, f"{path.name}: link [{text}]({target}) names no class or function"
        code = file.read_text(encoding="utf-8")
        for symbol in symbols:
            last = symbol.split(".")[-1]
            assert re.search(rf"^\s*(def|class) {re.escape(last)}\b", code, re.M), (
                f"{path.name}: {target} defines no {symbol!r}"
            )


def test_no_partial_epoch_is_plotted_as_an_epoch(notebook) -> None:
    path, nb = notebook
    for index, cell in enumerate(nb["cells"]):
        source = _source(cell)
        if cell["cell_type"] != "code" or not re.search(r"xlabel\(\s*[\"']epoch", source):
            continue
        # Per-epoch points come from Keras' History or a callback's on_epoch_end (both record
        # the epochs of a fit without a step limit, which are whole), or go through
        # walkthrough.complete_epochs, which drops an epoch cut short by a step or time limit.
        assert any(mark in source for mark in ("complete_epochs(", "history", "on_epoch_end")), (
            f"{path.name}: cell {index} plots epochs without complete_epochs(), a Keras History or on_epoch_end"
        )


def test_size_limit(notebook) -> None:
    path, _ = notebook
    size = path.stat().st_size
    assert size <= MAX_BYTES, f"{path.name} is {size / 1e6:.2f} MB (limit {MAX_BYTES / 1e6:.0f} MB)"
