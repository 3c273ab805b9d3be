"""Execute the walkthrough notebooks and write their outputs in place.

Usage (from the repository root)::

    python notebooks/run.py                 # every notebook, full mode
    python notebooks/run.py --fast 01 03    # notebooks whose name contains "01" or "03", fast mode

Each notebook runs top to bottom in a fresh Jupyter kernel started from *this*
interpreter (``sys.executable``), with the working directory ``notebooks/`` and
the environment variable ``NOTEBOOK_FAST`` set to ``1`` (``--fast``) or ``0``.
``MULTI30K_DIR`` is passed on when set (made absolute); without it the
notebooks that need Multi30k get it through the project's TFDS builder, which
downloads it.

After a notebook has run, its wall-clock run time (kernel start included) is
appended to the output of its set-up cell (the first code cell, which calls
``walkthrough.setup()`` and so already states the machine, the date and the
commit of the package it ran with). As a safety net, absolute
paths of this machine (the repository, the interpreter's prefix, the home and
temporary folders) are replaced in every output by placeholders such as ``.``
and ``<python>``, so committed notebooks do not name folders of the machine
they ran on. A cell that raises stops the run (the notebooks hold ``assert``s)
and the notebook is written with its outputs up to the error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbclient
import nbformat

NOTEBOOK_DIR = Path(__file__).resolve().parent
REPO_ROOT = NOTEBOOK_DIR.parent
KERNEL_NAME = "lstm-walkthrough"
CELL_TIMEOUT_S = 3600  # per cell; only guards against hangs


def notebooks(names: list[str]) -> list[Path]:
    """The notebooks whose file name contains one of ``names`` (all when empty)."""
    found = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    chosen = [p for p in found if not names or any(n in p.name for n in names)]
    if not chosen:
        raise SystemExit(f"error: no notebook in notebooks/ matches {names}")
    return chosen


def write_kernel_spec(root: Path) -> None:
    """A kernelspec under ``root`` whose kernel is this interpreter."""
    spec_dir = root / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (notebooks/run.py)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))


def machine_paths() -> list[tuple[str, str]]:
    """(absolute path, placeholder) pairs to scrub from outputs, longest path first."""
    pairs = {
        str(REPO_ROOT): ".",
        str(Path(sys.prefix).resolve()): "<python>",
        sys.prefix: "<python>",
        str(Path(sys.base_prefix).resolve()): "<python>",
        str(Path.home()): "~",
        tempfile.gettempdir(): "<tmp>",
    }
    data = os.environ.get("MULTI30K_DIR")
    if data:
        pairs[str(Path(data).resolve())] = "$MULTI30K_DIR"
    return sorted(((p, r) for p, r in pairs.items() if len(p) > 1), key=lambda x: -len(x[0]))


def scrub(text: str, pairs: list[tuple[str, str]]) -> str:
    """``text`` with every machine path of ``pairs`` replaced by its placeholder."""
    for path, placeholder in pairs:
        text = re.sub(re.escape(path) + r"(?=[/\s'\")\]:,]|$)", placeholder, text)
    return text


# TensorFlow's C++ start-up lines (absl logging before it is initialised), which
# TF_CPP_MIN_LOG_LEVEL does not silence; they say nothing about the notebook.
_LOG_NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|[IWE]\d{4} \d+:\d+:\d+\.\d+ +\d+ \S+:\d+\] .*)$"
)


def drop_log_noise(cell: nbformat.NotebookNode) -> None:
    """Removes TensorFlow's start-up log lines from the stderr outputs of ``cell``."""
    kept = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            lines = [line for line in out["text"].splitlines() if not _LOG_NOISE.match(line)]
            if not any(line.strip() for line in lines):
                continue
            out["text"] = "\n".join(lines) + "\n"
        kept.append(out)
    cell["outputs"] = kept


def scrub_outputs(nb: nbformat.NotebookNode) -> None:
    """Replaces machine paths in every text output and traceback of ``nb``; drops log noise."""
    pairs = machine_paths()
    for cell in nb.cells:
        if cell.cell_type == "code":
            drop_log_noise(cell)
        for out in cell.get("outputs", []):
            if "text" in out:
                out["text"] = scrub(out["text"], pairs)
            if "traceback" in out:
                out["traceback"] = [scrub(line, pairs) for line in out["traceback"]]
            for key in ("text/plain", "text/html", "text/markdown"):
                if key in out.get("data", {}):
                    value = out["data"][key]
                    value = "".join(value) if isinstance(value, list) else value
                    out["data"][key] = scrub(value, pairs)


def record_run_time(nb: nbformat.NotebookNode, seconds: float, fast: bool) -> None:
    """Appends the notebook's wall-clock run time to the output of its first code cell."""
    mode = "fast" if fast else "full"
    line = (
        f"{mode}-mode run time of this notebook: {seconds:.0f} s wall-clock "
        f"({seconds / 60:.1f} min, kernel start included, measured by notebooks/run.py)\n"
    )
    first = next(cell for cell in nb.cells if cell.cell_type == "code")
    first.setdefault("outputs", []).append(
        nbformat.v4.new_output("stream", name="stdout", text=line)
    )


def execute(path: Path, fast: bool, kernel_root: Path) -> tuple[nbformat.NotebookNode, float]:
    """Runs one notebook in a fresh kernel; returns it with outputs and its run time (s).

    Raises:
        nbclient.exceptions.CellExecutionError: If a cell raises (``nb`` keeps
            the outputs up to the error; it is written before re-raising by main).
    """
    os.environ["NOTEBOOK_FAST"] = "1" if fast else "0"
    os.environ["JUPYTER_PATH"] = str(kernel_root)
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"  # no C++ start-up chatter in the outputs
    os.environ.setdefault("TRANSLATE_PROGRESS", "0")
    data = os.environ.get("MULTI30K_DIR")
    if data:
        os.environ["MULTI30K_DIR"] = str(Path(data).expanduser().resolve())
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT_S,
        allow_errors=False,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        execute.last_nb = nb  # type: ignore[attr-defined]
    return nb, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="fast mode (NOTEBOOK_FAST=1)")
    parser.add_argument("names", nargs="*", help="run only notebooks whose name contains one")
    args = parser.parse_args(argv)
    failed = []
    with tempfile.TemporaryDirectory(prefix="jupyter-path-") as kernel_root:
        write_kernel_spec(Path(kernel_root))
        for path in notebooks(args.names):
            print(f"{path.name}: running ({'fast' if args.fast else 'full'} mode) ...", flush=True)
            try:
                nb, seconds = execute(path, args.fast, Path(kernel_root))
            except nbclient.exceptions.CellExecutionError as error:
                nb = execute.last_nb  # type: ignore[attr-defined]
                scrub_outputs(nb)
                nbformat.write(nb, path)
                print(f"{path.name}: FAILED, outputs up to the error written\n{error}", flush=True)
                failed.append(path.name)
                continue
            record_run_time(nb, seconds, args.fast)
            scrub_outputs(nb)
            nbformat.write(nb, path)
            size = path.stat().st_size / 1e6
            print(f"{path.name}: {seconds:.0f} s, {size:.2f} MB written", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
