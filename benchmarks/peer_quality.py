"""The peer toolkit's translation quality after a wall-time budget, scored like this project's rows.

    # train the peer for 60 minutes on core 0, translate test_2016_flickr, score it
    python benchmarks/peer_quality.py --seconds 3600 --core 0
    # score the peer's last training and translations again, without running it
    python benchmarks/peer_quality.py

Runs ``../shared/peer/joeynmt/train.sh SECONDS`` and ``translate.sh`` (greedy
and beam 5, the peer's best checkpoint), optionally pinned to one core with
``taskset`` so that this project's run can train beside it on the other core
under the same conditions (``taskset -c 1 python benchmarks/quality.py
--train ...``). Then reads the peer's training log (optimizer steps, wall time
from its first to its last line) and scores its detokenized hypotheses with
:func:`translate.inference.metrics.score`, the same sacreBLEU settings as
``benchmarks/quality.py``. The hypotheses are copied to
``benchmarks/results/quality/peer.test_2016_flickr.beamB.en``; the table is
printed and written to ``benchmarks/results/quality_peer.json``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys

from common import RESULTS, ROOT, cpu_model, print_table, write_result

from translate.inference.metrics import score

PEER = os.path.join(os.path.dirname(ROOT), "shared", "peer", "joeynmt")
WORK = os.environ.get("PEER_WORK", os.path.expanduser("~/.cache/peer-joeynmt/work"))
_STEP = re.compile(r"Step:\s+(\d+)|Interrupt at epoch \d+, step (\d+)")
_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d+")


def run_peer(peer_dir: str, seconds: int, core: int | None) -> None:
    """Trains the peer for ``seconds`` of wall time, then translates the test split."""
    pin = ["taskset", "-c", str(core)] if core is not None else []
    subprocess.run([*pin, "bash", os.path.join(peer_dir, "train.sh"), str(seconds)], check=True)
    subprocess.run([*pin, "bash", os.path.join(peer_dir, "translate.sh")], check=True)


def training_record(log_path: str) -> dict:
    """Optimizer steps and wall time (first to last log line) of the peer's last training."""
    steps, times = 0, []
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if match := _STEP.search(line):
                steps = int(match.group(1) or match.group(2))
            if match := _TIME.match(line):
                times.append(datetime.datetime.fromisoformat(match.group(1)))
    seconds = (times[-1] - times[0]).total_seconds() if times else None
    return {"steps": steps, "training_seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=0, help="train first (0: score only)")
    parser.add_argument("--core", type=int, help="pin the peer to this CPU core")
    parser.add_argument("--peer-dir", default=PEER, help="the peer's scripts")
    parser.add_argument("--work", default=WORK, help="the peer's work folder (env PEER_WORK)")
    parser.add_argument("--label", default="peer")
    parser.add_argument("--out", default=os.path.join(RESULTS, "quality_peer.json"))
    args = parser.parse_args(argv)

    if args.seconds:
        run_peer(args.peer_dir, args.seconds, args.core)
    record = training_record(os.path.join(args.work, "train.log"))
    with open(os.path.join(args.work, "data", "test_2016_flickr.en"), encoding="utf-8") as handle:
        references = handle.read().splitlines()
    rows = []
    for beam in (1, 5):
        produced = os.path.join(args.work, f"hyp.beam{beam}.en")
        with open(produced, encoding="utf-8") as handle:
            hypotheses = handle.read().splitlines()
        kept = os.path.join(RESULTS, "quality", f"{args.label}.test_2016_flickr.beam{beam}.en")
        shutil.copyfile(produced, kept)
        rows.append(
            {
                "label": args.label,
                "beam_size": beam,
                "cpu": cpu_model(),
                "core": args.core,
                **record,
                **score(hypotheses, references),
                "hypotheses_path": os.path.relpath(kept, ROOT),
            }
        )
    print_table(
        ["run", "beam", "BLEU", "chrF", "train min", "steps"],
        [
            [
                r["label"],
                r["beam_size"],
                r["bleu"],
                r["chrf"],
                r["training_seconds"] / 60,
                r["steps"],
            ]
            for r in rows
        ],
        ["", "", ".2f", ".2f", ".1f", ""],
    )
    print(f"BLEU signature: {rows[0]['signature']['bleu']}  CPU: {rows[0]['cpu']}")
    write_result(args.out, __file__, argv, {"results": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
