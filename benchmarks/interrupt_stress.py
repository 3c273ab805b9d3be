"""Ctrl-C at random moments: how often a translating process ends cleanly.

    python benchmarks/interrupt_stress.py --trials 300
    python benchmarks/interrupt_stress.py --model RUN_DIR --trials 300 \\
        --code now=. --code before=/tmp/before   # two checkouts, trials alternating

Without ``--model`` the model is the tests' untrained tiny run
(``tests/helpers.make_run``), written in a second: a trial then takes about 7 s
(240 in 28 minutes on one core of a 2-core AMD EPYC family 26 model 2).

Each trial starts ``python -m translate translate --model RUN_DIR -i FILE -o OUT``
on 5,000 lines, waits until the first translations reach the temporary output
file, waits a further random 0 to ``--max-delay`` seconds, and sends the signal.
A trial is ``clean`` when the process exits as the command line promises (130
after SIGINT, killed by SIGTERM after SIGTERM), its last line of standard error
is ``interrupted; OUT was left as it was``, OUT is byte for byte what it was and
no temporary is left. Any other end is counted by its exit status (-11 is a
segmentation fault). Writes ``benchmarks/results/interrupt_stress.json``.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

from common import RESULTS, ROOT, print_table, write_result

PREVIOUS = "the previous output\n"


def _trial(code: str, model: str, folder: str, signum: int, delay: float) -> str:
    """One interrupted translation; returns ``clean`` or what went wrong."""
    source = os.path.join(folder, "in.de")
    output = os.path.join(folder, "out.txt")
    temporary = os.path.join(folder, "out.tmp.txt")
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(PREVIOUS)
    if os.path.exists(temporary):  # left by a crashed trial before
        os.remove(temporary)
    env = {**os.environ, "PYTHONPATH": os.path.abspath(code), "PYTHONFAULTHANDLER": "1"}
    argv = ["translate", "--model", model, "--beam-size", "1", "-i", source, "-o", output]
    process = subprocess.Popen(
        [sys.executable, "-m", "translate", *argv],
        cwd=code,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # Ctrl-C's usual disposition, even where this script runs as a background job.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    while not (os.path.exists(temporary) and os.path.getsize(temporary)):
        if process.poll() is not None:
            last = process.stderr.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            return f"ended before the signal ({process.returncode}: {' '.join(last)})"
        time.sleep(0.05)
    time.sleep(delay)
    process.send_signal(signum)
    _, err = process.communicate(timeout=300)
    lines = err.decode("utf-8", "replace").strip().splitlines()
    expected = 130 if signum == signal.SIGINT else -signal.SIGTERM
    if process.returncode != expected:
        return f"exit {process.returncode}"
    if not lines or lines[-1] != f"interrupted; {output} was left as it was":
        return "no message"
    with open(output, encoding="utf-8") as handle:
        if handle.read() != PREVIOUS:
            return "output changed"
    if os.path.exists(temporary):
        return "temporary left"
    return "clean"


def _tiny_run(folder: str) -> str:
    """The tests' untrained tiny run directory, written under ``folder``."""
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import helpers

    return helpers.make_run(folder, "random", trained=False)["run_dir"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="a run directory (default: the tests' tiny random run)")
    parser.add_argument("--trials", type=int, default=200, help="trials per checkout and signal")
    parser.add_argument("--max-delay", type=float, default=1.0, help="seconds, drawn uniformly")
    parser.add_argument("--signals", nargs="+", default=["SIGINT"], choices=["SIGINT", "SIGTERM"])
    parser.add_argument(
        "--code",
        action="append",
        metavar="NAME=DIR",
        help="a checkout whose translate package runs (repeatable; default: this one)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=os.path.join(RESULTS, "interrupt_stress.json"))
    args = parser.parse_args(argv)
    codes = dict(item.split("=", 1) for item in (args.code or [f"this checkout={ROOT}"]))
    draw = random.Random(args.seed)
    outcomes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    with tempfile.TemporaryDirectory() as folder:
        model = os.path.abspath(args.model) if args.model else _tiny_run(folder)
        with open(os.path.join(folder, "in.de"), "w", encoding="utf-8") as handle:
            handle.write("Ein Mann fährt ein rotes Auto im Park.\n" * 5_000)
        for trial in range(args.trials):
            for signal_name in args.signals:
                signum = getattr(signal, signal_name)
                delay = draw.uniform(0, args.max_delay)
                for name, code in codes.items():  # alternating: both see the same load
                    outcome = _trial(code, model, folder, signum, delay)
                    outcomes[f"{name}, {signal_name}"][outcome] += 1
                    if outcome != "clean":
                        print(f"trial {trial} {name} {signal_name}: {outcome}", flush=True)
    rows = [
        [key, sum(counts.values()), counts["clean"], sum(counts.values()) - counts["clean"]]
        for key, counts in outcomes.items()
    ]
    print_table(["code, signal", "trials", "clean", "not clean"], rows, ["", ",d", ",d", ",d"])
    write_result(
        args.out,
        __file__,
        argv,
        {
            "model": args.model or "tests/helpers.make_run(trained=False)",
            "max_delay_seconds": args.max_delay,
            "outcomes": {key: dict(counts) for key, counts in outcomes.items()},
        },
    )


if __name__ == "__main__":
    main()
