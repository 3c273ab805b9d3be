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
import statistics
import subprocess
import sys
import tempfile
import time

from common import RESULTS, Timing, print_table, write_result

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
from translate.inference.translator import Translator
mark("import translate")
translator = Translator.load(sys.argv[1])
mark("load run directory")
if sys.argv[3] == "autograph":  # the old graph: Translator.translate_graph, autograph on
    settings = translator.search_settings()
    graph = tf.function(
        lambda text: translator.translate_graph(text, settings),
        input_signature=[tf.TensorSpec([None], tf.string)])
    translate = lambda: graph(tf.constant([sys.argv[2]]))["translations"].numpy()
else:  # what `translate translate` runs: Translator.graph, autograph off
    translate = lambda: translator.translate([sys.argv[2]])
translate()
mark("first translation (trace + run)")
translate()
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
        raise SystemExit(
            f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-2000:]}"
        )
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
            capture_output=True,
            text=True,
            env=_env(),
        )
    if result.returncode != 0:
        raise SystemExit(f"phase measurement failed:\n{result.stderr[-2000:]}")
    line = next(x for x in result.stdout.splitlines() if x.startswith("PHASES"))
    return json.loads(line[len("PHASES") :])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="run directory written by 'translate train'")
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per measurement (median reported)"
    )
    parser.add_argument("--sentence", default=SENTENCE)
    parser.add_argument(
        "--compare-autograph",
        action="store_true",
        help="also time the phases with the search graph traced by autograph (the old way)",
    )
    parser.add_argument("--out", default=os.path.join(RESULTS, "startup.json"))
    args = parser.parse_args(argv)
    model = os.path.abspath(args.model)

    load_before = os.getloadavg()
    print(
        f"model {model}; {args.runs} runs each; load average {load_before[0]:.2f} "
        f"on {os.cpu_count()} CPUs",
        flush=True,
    )
    python = Timing.of([_timed([sys.executable, "-c", "pass"]) for _ in range(args.runs)])
    import_tf = Timing.of(
        [_timed([sys.executable, "-c", "import tensorflow"]) for _ in range(args.runs)]
    )
    print(f"  import tensorflow: {import_tf.median:.2f} s", flush=True)
    command = [sys.executable, "-m", "translate", "translate", "--model", model, args.sentence]
    end_to_end = Timing.of([_timed(command) for _ in range(args.runs)])
    print(f"  translate end to end: {end_to_end.median:.2f} s", flush=True)
    phase_runs = [_phases(model, args.sentence, "default") for _ in range(args.runs)]
    phases = {name: statistics.median(run[name] for run in phase_runs) for name in phase_runs[0]}
    autograph = None
    if args.compare_autograph:
        autograph_runs = [_phases(model, args.sentence, "autograph") for _ in range(args.runs)]
        autograph = {
            name: statistics.median(r[name] for r in autograph_runs) for name in autograph_runs[0]
        }
    load_after = os.getloadavg()

    rows = [
        ("python -c pass", python.median),
        ("python -c 'import tensorflow'", import_tf.median),
        ("translate translate (end to end)", end_to_end.median),
    ]
    print()
    print_table(["measurement", "median s"], rows, ["", ".2f"])
    print()
    columns = ["phase (one fresh process)", "median s"] + (["autograph"] if autograph else [])
    print_table(
        columns,
        [
            [name, value] + ([autograph[name]] if autograph else [])
            for name, value in phases.items()
        ],
        ["", ".2f", ".2f"],
    )
    print(
        f"\nload average before/after: {load_before[0]:.2f} / {load_after[0]:.2f}"
        f" on {os.cpu_count()} CPUs"
    )

    report = {
        "model": model,
        "sentence": args.sentence,
        "runs": args.runs,
        "python_startup_s": python.to_dict(),
        "import_tensorflow_s": import_tf.to_dict(),
        "translate_end_to_end_s": end_to_end.to_dict(),
        "phases_median_s": {k: round(v, 3) for k, v in phases.items()},
        "phases_autograph_median_s": {k: round(v, 3) for k, v in autograph.items()}
        if autograph
        else None,
        "load_average_before": load_before,
        "load_average_after": load_after,
    }
    write_result(args.out, __file__, argv, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
