"""Start-up time of ``translate translate``: one sentence, end to end, in a fresh process.

Measures, for the run directory given by ``--model``:

* ``import tensorflow`` alone (``python -c "import tensorflow"``), the floor;
* ``python -m translate translate --model DIR "Ein Mann fährt Fahrrad."``, end to end;
* where the time goes, in one fresh process: importing TensorFlow, Keras,
  tensorflow_text and the package, loading the run directory, the first
  translation (tracing and optimizing the search graph) and a second one.

Each number is the median of ``--runs`` runs (default 5). The machine's load
average is recorded too: on a shared machine every number scales with it.

Usage::

    python benchmarks/startup.py --model runs/quick
    python benchmarks/startup.py --model runs/quick --runs 3 --compare-autograph

Prints a table and writes ``benchmarks/results/startup.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SENTENCE = "Ein Mann fährt Fahrrad."

# Runs in a fresh interpreter; prints one JSON line of phase durations in seconds.
_PHASES = r"""
import json, sys, time
start = time.perf_counter()
marks = {}
def mark(name):
    marks[name] = time.perf_counter()
import tensorflow as tf
mark("import tensorflow")
import keras
mark("import keras")
import tensorflow_text
mark("import tensorflow_text")
from translate.translator import Translator
mark("import translate")
translator = Translator.load(sys.argv[1])
mark("load run directory")
if sys.argv[3] == "autograph":  # the old graph: tf.function with autograph on
    settings = translator.search_settings()
    translator._compiled[translator.graph_key(settings)] = tf.function(
        lambda text: translator._translate_graph(text, settings),
        input_signature=[tf.TensorSpec([None], tf.string)])
translator.translate([sys.argv[2]])
mark("first translation (trace + run)")
translator.translate([sys.argv[2]])
mark("second translation")
previous, phases = start, {}
for name, at in marks.items():
    phases[name] = at - previous
    previous = at
phases["total"] = previous - start
print("PHASES" + json.dumps(phases))
"""


def _env() -> dict:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=_env())
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-2000:]}")
    return seconds


def _phases(model: str, sentence: str, mode: str) -> dict:
    # From a file, not ``python -c``: autograph needs the source code of the functions it
    # converts and silently leaves alone code it cannot read, which would hide its cost.
    with tempfile.TemporaryDirectory() as folder:
        script = os.path.join(folder, "phases.py")
        with open(script, "w", encoding="utf-8") as handle:
            handle.write(_PHASES)
        result = subprocess.run(
            [sys.executable, script, model, sentence, mode],
            capture_output=True, text=True, env=_env(),
        )
    if result.returncode != 0:
        raise SystemExit(f"phase measurement failed:\n{result.stderr[-2000:]}")
    line = next(x for x in result.stdout.splitlines() if x.startswith("PHASES"))
    return json.loads(line[len("PHASES"):])


def _summary(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3), "runs": [round(v, 3) for v in values]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="run directory written by 'translate train'")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported)")
    parser.add_argument("--sentence", default=SENTENCE)
    parser.add_argument("--compare-autograph", action="store_true",
                        help="also time the phases with the search graph traced by autograph (the old way)")
    parser.add_argument("--out", default=os.path.join(HERE, "results", "startup.json"))
    args = parser.parse_args(argv)
    model = os.path.abspath(args.model)

    load_before = os.getloadavg()
    print(f"model {model}; {args.runs} runs each; load average {load_before[0]:.2f} "
          f"on {os.cpu_count()} CPUs", flush=True)
    python = [_timed([sys.executable, "-c", "pass"]) for _ in range(args.runs)]
    import_tf = [_timed([sys.executable, "-c", "import tensorflow"]) for _ in range(args.runs)]
    print(f"  import tensorflow: {statistics.median(import_tf):.2f} s", flush=True)
    command = [sys.executable, "-m", "translate", "translate", "--model", model, args.sentence]
    end_to_end = [_timed(command) for _ in range(args.runs)]
    print(f"  translate end to end: {statistics.median(end_to_end):.2f} s", flush=True)
    phase_runs = [_phases(model, args.sentence, "default") for _ in range(args.runs)]
    phases = {name: statistics.median(run[name] for run in phase_runs) for name in phase_runs[0]}
    autograph = None
    if args.compare_autograph:
        autograph_runs = [_phases(model, args.sentence, "autograph") for _ in range(args.runs)]
        autograph = {name: statistics.median(r[name] for r in autograph_runs) for name in autograph_runs[0]}
    load_after = os.getloadavg()

    rows = [
        ("python -c pass", statistics.median(python)),
        ("python -c 'import tensorflow'", statistics.median(import_tf)),
        ("translate translate (end to end)", statistics.median(end_to_end)),
    ]
    print()
    print(f"{'measurement':<45} {'median s':>9}")
    print("-" * 55)
    for name, value in rows:
        print(f"{name:<45} {value:>9.2f}")
    print()
    header = f"{'phase (one fresh process)':<45} {'median s':>9}"
    if autograph:
        header += f" {'autograph':>10}"
    print(header)
    print("-" * len(header))
    for name, value in phases.items():
        line = f"{name:<45} {value:>9.2f}"
        if autograph:
            line += f" {autograph[name]:>10.2f}"
        print(line)
    print(f"\nload average before/after: {load_before[0]:.2f} / {load_after[0]:.2f} on {os.cpu_count()} CPUs")

    import tensorflow as tf  # only for the version in the report

    report = {
        "model": model,
        "sentence": args.sentence,
        "runs": args.runs,
        "python_startup_s": _summary(python),
        "import_tensorflow_s": _summary(import_tf),
        "translate_end_to_end_s": _summary(end_to_end),
        "phases_median_s": {k: round(v, 3) for k, v in phases.items()},
        "phases_autograph_median_s": {k: round(v, 3) for k, v in autograph.items()} if autograph else None,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2, ensure_ascii=False)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
