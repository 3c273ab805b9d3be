"""What every benchmark shares: where results go, their header, timing, memory and tables.

Every script in ``benchmarks/`` prints a table and writes one JSON summary with
:func:`write_result`. The summary starts with a ``header`` (:func:`header`): the
exact command line, the CPU model, the number of cores, the date and the
TensorFlow version, since every figure depends on the machine it was taken on.

How the scripts find their imports: the ``translate`` package comes from the
editable install (``pip install -e .``, as CI does); this module comes from the
script's own folder, which Python puts first on ``sys.path``. The scripts in
``benchmarks/micro/`` (those that time one operation or one piece of a step)
find it through ``benchmarks/micro/common.py``, a symbolic link to this file.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.metadata
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

BENCHMARKS = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(BENCHMARKS)
RESULTS = os.path.join(BENCHMARKS, "results")

Key = TypeVar("Key")


def cpu_model() -> str:
    """The CPU's model name, from ``/proc/cpuinfo`` or else ``lscpu`` ("unknown" if neither)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    try:
        output = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    except OSError:
        output = ""
    for line in output.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def command_line(script: str, argv: Sequence[str] | None = None) -> str:
    """The command that reruns a benchmark from the current folder.

    Args:
        script: the script's ``__file__``.
        argv: its arguments as given to ``main`` (``None``: ``sys.argv[1:]``).

    Returns:
        For example ``python benchmarks/micro/step_matmul.py --rounds 3``.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    return shlex.join(["python", os.path.relpath(script), *arguments])


def header(script: str, argv: Sequence[str] | None = None) -> dict[str, Any]:
    """The header every result carries: command, machine, date and versions.

    Reads TensorFlow's version from the installed distribution, so that scripts
    which only start subprocesses do not pay for importing it.

    Args:
        script: the benchmark's ``__file__``.
        argv: its arguments (``None``: ``sys.argv[1:]``).

    Returns:
        A dict with ``command``, ``cpu``, ``cores``, ``load_average`` (1, 5 and
        15 minutes, at the time of writing), ``date``, ``python`` and
        ``tensorflow``.
    """
    try:
        tensorflow = importlib.metadata.version("tensorflow")
    except importlib.metadata.PackageNotFoundError:
        tensorflow = "not installed"
    return {
        "command": command_line(script, argv),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(),
        "tensorflow": tensorflow,
    }


def write_json(path: str, data: Any) -> None:
    """Writes ``data`` as indented JSON atomically: to a temporary name, then renamed.

    A benchmark stopped while writing leaves the previous file as it was.

    Args:
        path: the file to write; its folder is created if missing.
        data: anything ``json.dump`` takes.
    """
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    temporary = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def write_result(
    path: str, script: str, argv: Sequence[str] | None, result: Mapping[str, Any]
) -> None:
    """Writes one benchmark's summary, its :func:`header` first, atomically.

    Args:
        path: the JSON file (usually the script's ``--out``).
        script: the benchmark's ``__file__``.
        argv: its arguments (``None``: ``sys.argv[1:]``).
        result: what the benchmark measured.
    """
    write_json(path, {"header": header(script, argv), **result})
    print(f"wrote {path}")


@dataclasses.dataclass(frozen=True)
class Timing:
    """Seconds taken by repeated calls: their median and spread.

    Attributes:
        median: the median of ``runs``.
        min: the fastest run.
        max: the slowest run.
        runs: every run, in order.
    """

    median: float
    min: float
    max: float
    runs: tuple[float, ...]

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Timing:
        """The timing of runs measured elsewhere (e.g. one per subprocess)."""
        return cls(statistics.median(seconds), min(seconds), max(seconds), tuple(seconds))

    def to_dict(self, digits: int = 3) -> dict[str, Any]:
        """``median``, ``min``, ``max`` and ``runs``, rounded to ``digits``."""
        return {
            "median": round(self.median, digits),
            "min": round(self.min, digits),
            "max": round(self.max, digits),
            "runs": [round(x, digits) for x in self.runs],
        }


def time_calls(fn: Callable[[], Any], repeats: int, warmup: int = 0) -> Timing:
    """Times ``repeats`` calls of ``fn`` after ``warmup`` untimed ones.

    ``fn`` must wait for its own result (e.g. call ``.numpy()``): TensorFlow
    may return before the work is done.

    Args:
        fn: the work to time, called without arguments.
        repeats: timed calls (at least 1).
        warmup: untimed calls first (tracing, caches).

    Returns:
        The :class:`Timing` of the timed calls, in seconds.
    """
    return time_alternating({"fn": fn}, repeats, warmup)["fn"]


def time_alternating(
    fns: Mapping[Key, Callable[[], Any]], repeats: int, warmup: int = 0
) -> dict[Key, Timing]:
    """Times several variants of one piece of work, alternating call by call.

    Each round calls every variant once, in order, so that other load on a
    shared machine hits all of them alike.

    Args:
        fns: the variants by name, each called without arguments.
        repeats: rounds (at least 1).
        warmup: untimed rounds first.

    Returns:
        The :class:`Timing` of each variant, by name.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    seconds: dict[Key, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            seconds[name].append(time.perf_counter() - start)
    return {name: Timing.of(runs) for name, runs in seconds.items()}


def peak_rss_mb(usage: resource.struct_rusage | None = None) -> float:
    """Peak resident memory in MB (``ru_maxrss``, which Linux gives in KiB).

    Args:
        usage: a resource usage, e.g. that of one child from ``os.wait4``;
            ``None`` for this process.

    Returns:
        The peak, rounded to 0.1 MB.
    """
    usage = usage or resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_maxrss / 1024, 1)


def current_rss_mb() -> float:
    """This process's resident memory now, in MB (``VmRSS`` of ``/proc/self/status``)."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def add_config_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds the experiment arguments the step-timing benchmarks share.

    ``--config`` (default: the reference config), ``--set KEY=VALUE``
    overrides and ``--tokenizer`` (a run's tokenizer folder, reused instead of
    training a new one).
    """
    parser.add_argument("--config", default="configs/multi30k_de_en.yaml")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--tokenizer", help="reuse the tokenizer folder of a run (else train one)")


def add_data_dir_argument(parser: argparse.ArgumentParser) -> None:
    """Adds ``--data-dir``: a local corpus folder (else ``data.dir`` / ``MULTI30K_DIR``)."""
    parser.add_argument(
        "--data-dir", help="local corpus folder (else the run's data.dir / MULTI30K_DIR)"
    )


def print_table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], formats: Sequence[str] = ()
) -> None:
    """Prints rows under a header: the first column left-aligned, the others right-aligned.

    Args:
        columns: the column titles.
        rows: one sequence of cells per row.
        formats: a format spec per column (e.g. ``".2f"``, ``",d"``); a missing
            or empty one prints the cell with ``str``. ``None`` cells print ``-``.
    """
    specs = list(formats) + [""] * (len(columns) - len(formats))
    text = [
        ["-" if cell is None else format(cell, spec) for cell, spec in zip(row, specs)]
        for row in rows
    ]
    widths = [max([len(title)] + [len(row[i]) for row in text]) for i, title in enumerate(columns)]

    def line(cells: Sequence[str]) -> str:
        return " ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths))
        ).rstrip()

    print(line(columns))
    print("-" * len(line(columns)))
    for row in text:
        print(line(row))
