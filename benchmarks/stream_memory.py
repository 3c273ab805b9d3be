"""Memory of ``translate translate -i FILE``: peak RSS must not grow with the file.

For each size in ``--lines`` (default 1000) a file of that many generated
German-like sentences (about 2% blank lines) is translated through the command
line, ``python -m translate translate --model DIR -i IN -o OUT --format json``,
in a fresh process. The benchmark records:

* peak RSS of the process (``ru_maxrss`` of the waited child, via ``os.wait4``),
  and RSS sampled with psutil while it runs: after start-up (the first output
  line) and at the end, to show whether memory grows with the lines translated;
* a summary of the sampled RSS over time (:func:`rss_curve`: peak, median and
  at most 200 points);
* wall time and sentences per second;
* that lines in = lines out and the order is kept: with ``--format json`` every
  output line echoes its source line, which must equal the input line at the
  same position.

Usage::

    python benchmarks/stream_memory.py --model runs/quick                       # 1,000 lines
    python benchmarks/stream_memory.py --model runs/quick --lines 1000 10000 100000 --beam-size 1

Prints a table and writes ``benchmarks/results/stream_memory.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence

from common import RESULTS, peak_rss_mb, print_table, write_result

CURVE_EVERY = 10  # The RSS curve takes every 10th sample: one per 2 s or so.
CURVE_POINTS = 200

_WORDS = (
    "ein eine der die das zwei drei Mann Frau Kind Hund Katze Junge Mädchen Gruppe Leute "
    "fährt läuft spielt sitzt steht trägt hält schaut isst trinkt wirft fängt springt "
    "Fahrrad Ball Straße Park Strand Wasser Schnee Haus Auto Hut Tasche Buch Baum Gras "
    "rot blau grün großen kleinen alten jungen weißen schwarzen im auf neben vor mit und "
    "einem einer einen während hinter unter über bei nach"
).split()


def make_input(path: str, lines: int, seed: int = 0) -> None:
    """Writes ``lines`` sentences of 1 to 30 words, about 2% of them blank."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        for _ in range(lines):
            if rng.random() < 0.02:
                handle.write(rng.choice(["", "   "]) + "\n")
                continue
            words = [rng.choice(_WORDS) for _ in range(rng.randint(1, 30))]
            handle.write(" ".join(words).capitalize() + rng.choice([".", "!", "?", ""]) + "\n")


def _rss_sampler(pid: int, output: str, samples: list, stop: threading.Event) -> None:
    """Samples (seconds, RSS bytes, output bytes written) every 0.2 s."""
    import psutil

    try:
        process = psutil.Process(pid)
        started = time.perf_counter()
        while not stop.is_set():
            try:
                rss = process.memory_info().rss
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                return
            size = os.path.getsize(output) if os.path.exists(output) else 0
            if rss > 0:  # an exited, not yet reaped process (zombie) reports 0
                samples.append((time.perf_counter() - started, rss, size))
            stop.wait(0.2)
    except psutil.NoSuchProcess:
        return


def rss_curve(samples: Sequence[Sequence[float]], points: int = CURVE_POINTS) -> dict:
    """A summary of RSS over time: its peak, its median and at most ``points`` points.

    Args:
        samples: ``(seconds, RSS MB)`` pairs in time order.
        points: the most points the curve keeps.

    Returns:
        ``samples`` (how many were summarized), ``peak_mb``, ``median_mb`` and
        ``curve``: the samples cut into at most ``points`` consecutive runs of
        (nearly) equal length, each given as ``[seconds of its first sample,
        highest RSS MB in it]``, so that the curve keeps every peak.
    """
    rss = [mb for _, mb in samples]
    count = len(samples)
    bounds = (
        [i * count // points for i in range(points + 1)] if count > points else range(count + 1)
    )
    curve = [[samples[a][0], max(rss[a:b])] for a, b in zip(bounds, bounds[1:])]
    return {
        "samples": count,
        "peak_mb": max(rss) if rss else None,
        "median_mb": round(statistics.median(rss), 2) if rss else None,
        "curve": curve,
    }


def run_one(model: str, lines: int, workdir: str, extra: list[str]) -> dict:
    source = os.path.join(workdir, f"in.{lines}.txt")
    target = os.path.join(workdir, f"out.{lines}.jsonl")
    make_input(source, lines)
    if os.path.exists(target):
        os.remove(target)
    command = [
        sys.executable,
        "-m",
        "translate",
        "translate",
        "--model",
        model,
        "-i",
        source,
        "-o",
        target,
        "--format",
        "json",
        *extra,
    ]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    samples: list = []
    stop = threading.Event()
    sampler = threading.Thread(target=_rss_sampler, args=(process.pid, target, samples, stop))
    sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"translate failed ({process.returncode}):\n{stderr.decode()[-2000:]}")

    with open(source, encoding="utf-8", newline="\n") as handle:
        inputs = [line.rstrip("\n") for line in handle]
    with open(target, encoding="utf-8") as handle:
        outputs = [json.loads(line) for line in handle]
    in_order = len(inputs) == len(outputs) and all(
        row["source"] == text for row, text in zip(outputs, inputs)
    )
    blank_ok = all(row["translation"] == "" for row in outputs if not row["source"].strip())
    # Once output starts, start-up is over: RSS from then on should stay flat.
    writing = [(t, rss) for t, rss, size in samples if size > 0]
    first_output_rss = writing[0][1] if writing else None
    last_rss = writing[-1][1] if writing else None
    return {
        "lines": lines,
        "lines_out": len(outputs),
        "order_kept": in_order,
        "blank_lines_empty": blank_ok,
        "peak_rss_mb": peak_rss_mb(usage),
        "sampled_peak_rss_mb": round(max(rss for _, rss, _ in samples) / 2**20, 1)
        if samples
        else None,
        "rss_at_first_output_mb": round(first_output_rss / 2**20, 1) if first_output_rss else None,
        "rss_at_end_mb": round(last_rss / 2**20, 1) if last_rss else None,
        "seconds": round(seconds, 1),
        "sentences_per_second": round(lines / seconds, 1),
        "rss_curve": rss_curve(
            [(round(t, 1), round(rss / 2**20, 1)) for t, rss, _ in samples[::CURVE_EVERY]]
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="run directory written by 'translate train'")
    parser.add_argument(
        "--lines",
        type=int,
        nargs="+",
        default=[1000],
        help="file sizes to translate, e.g. --lines 1000 10000 100000 (default 1000)",
    )
    parser.add_argument("--beam-size", type=int, help="beam width (default: the model's config)")
    parser.add_argument("--batch-size", type=int, help="sentences per batch (default: config)")
    parser.add_argument(
        "--workdir", help="where the generated files go (default: a temporary folder)"
    )
    parser.add_argument("--out", default=os.path.join(RESULTS, "stream_memory.json"))
    args = parser.parse_args(argv)
    extra = []
    if args.beam_size:
        extra += ["--beam-size", str(args.beam_size)]
    if args.batch_size:
        extra += ["--batch-size", str(args.batch_size)]

    results = []
    with tempfile.TemporaryDirectory(prefix="stream_memory.") as temporary:
        workdir = args.workdir or temporary
        os.makedirs(workdir, exist_ok=True)
        for lines in args.lines:
            print(f"translating {lines:,} lines ...", flush=True)
            results.append(run_one(os.path.abspath(args.model), lines, workdir, extra))

    print()
    print_table(
        ["lines", "out", "order", "peak RSS MB", "RSS@first out", "RSS@end", "seconds", "sent/s"],
        [
            [
                r["lines"],
                r["lines_out"],
                "yes" if r["order_kept"] else "NO",
                r["peak_rss_mb"],
                r["rss_at_first_output_mb"],
                r["rss_at_end_mb"],
                r["seconds"],
                r["sentences_per_second"],
            ]
            for r in results
        ],
        [",", ",", "", ".1f", ".1f", ".1f", ".1f", ".1f"],
    )
    report = {"model": os.path.abspath(args.model), "options": extra, "results": results}
    write_result(args.out, __file__, argv, report)
    return 0 if all(r["order_kept"] and r["lines_out"] == r["lines"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
