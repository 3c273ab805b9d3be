"""Execute every walkthrough in notebooks/ top to bottom in fast mode.

Each notebook runs in a fresh Jupyter kernel started from *this* interpreter
(``sys.executable``), with ``NOTEBOOK_FAST=1`` and an absolute ``MULTI30K_DIR``,
and the test fails on the first cell that raises (the notebooks contain their
own ``assert``s, e.g. the hand-written LSTM cell must match ``keras.layers.LSTM``).

They are slow tests (each kernel is a subprocess). Run them with::

    MULTI30K_DIR=/path/to/multi30k pytest tests/test_notebooks.py -q -m slow

``MULTI30K_DIR`` may be relative to the repository root (CI uses
``../shared/data/multi30k``). Notebooks that read Multi30k are skipped when it is
unset; the others still run. Set ``NOTEBOOK_EXECUTED_DIR`` to keep a copy of each
executed notebook (with outputs) for inspection.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import nbclient
import nbformat
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
KERNEL_NAME = "lstm-walkthrough-test"
CELL_TIMEOUT_S = 900  # per cell; fast mode needs far less, this only guards against hangs

# Each starts a Jupyter kernel, a subprocess: slow.
pytestmark = [pytest.mark.slow, pytest.mark.notebooks]


def _resolve_multi30k_dir() -> Path | None:
    value = os.environ.get("MULTI30K_DIR", "").strip()
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_absolute():
        # CI gives the path relative to the repository root; fall back to the
        # current directory for people who give it relative to where they are.
        candidates = [REPO_ROOT / path, Path.cwd() / path]
        path = next((c for c in candidates if c.is_dir()), candidates[0])
    return path.resolve()


def _reads_multi30k(notebook: Path) -> bool:
    nb = nbformat.read(notebook, as_version=4)
    return any("MULTI30K_DIR" in cell.source for cell in nb.cells if cell.cell_type == "code")


@pytest.fixture(scope="module")
def kernel_spec_dir(tmp_path_factory) -> Path:
    """A kernelspec whose argv[0] is this interpreter, so the kernel uses the same venv."""
    root = tmp_path_factory.mktemp("jupyter_path")
    spec_dir = root / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python ({sys.executable})",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))
    return root


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(notebook: Path, kernel_spec_dir: Path, monkeypatch) -> None:
    data_dir = _resolve_multi30k_dir()
    if data_dir is None:
        if _reads_multi30k(notebook):
            pytest.skip("MULTI30K_DIR is not set; this notebook needs the Multi30k task 1 data")
    else:
        if not data_dir.is_dir():
            pytest.fail(
                f"MULTI30K_DIR={os.environ['MULTI30K_DIR']!r} resolves to {data_dir}, "
                "which is not a directory"
            )
        monkeypatch.setenv("MULTI30K_DIR", str(data_dir))

    # The kernel inherits this environment.
    monkeypatch.setenv("NOTEBOOK_FAST", "1")
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_spec_dir))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")

    nb = nbformat.read(notebook, as_version=4)
    # Extra last cell: report which interpreter the kernel really ran on.
    probe_source = "import sys\nprint(sys.executable)\nprint(sys.prefix)"
    nb.cells.append(nbformat.v4.new_code_cell(probe_source))
    client = nbclient.NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT_S,
        allow_errors=False,
        record_timing=True,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        keep = os.environ.get("NOTEBOOK_EXECUTED_DIR")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, Path(keep) / notebook.name)
    elapsed = time.perf_counter() - start
    print(f"{notebook.name}: executed in {elapsed:.0f} s (fast mode)")

    outputs = nb.cells[-1].outputs
    probe = "".join(
        out.get("text", "") for out in outputs if out.get("name") == "stdout"
    ).splitlines()
    assert probe == [sys.executable, sys.prefix], f"kernel ran on {probe}, not {sys.executable}"
