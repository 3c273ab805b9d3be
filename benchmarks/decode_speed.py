"""Decoding quality and speed: greedy against beam search on a test split, side by side.

    python benchmarks/decode_speed.py --model runs/quick --beams 1 5 --repeats 3

For each beam size, translates the whole split ``--repeats`` times in batches of
``--batch-size`` (after one untimed warm-up pass that traces the graph) and
reports the median sentences/s with sacreBLEU BLEU and chrF. Writes
``benchmarks/results/decode_speed.json``.

``--compact both`` also times each beam size with ``decoding.compact`` off
(every hypothesis row stepped, finished or not), the two settings alternating
repeat by repeat so that load on the machine hits both alike::

    python benchmarks/decode_speed.py --model runs/quality-de-en --beams 1 5 --compact both
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from translate import metrics  # noqa: E402
from translate.evaluation import load_split  # noqa: E402
from translate.translator import Translator  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="trained run directory")
    parser.add_argument("--split", default="test_2016_flickr")
    parser.add_argument("--data-dir", help="local corpus folder (else the run's data.dir / MULTI30K_DIR)")
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--length-penalty", type=float, default=1.0)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--compact", choices=["on", "off", "both"], default="on",
                        help="step only growing hypotheses (decoding.compact); both: time each")
    parser.add_argument("--out", default=os.path.join(RESULTS, "decode_speed.json"))
    args = parser.parse_args(argv)

    config, _, source_lines, references = load_split(args.model, args.split, args.data_dir)
    translator = Translator.load(args.model, config)
    compact_settings = {"on": [True], "off": [False], "both": [True, False]}[args.compact]
    settings = {
        compact: translator.search_settings(batch_size=args.batch_size, compact=compact)
        for compact in compact_settings
    }
    rows = []
    for beam in args.beams:
        options = {"beam_size": beam, "length_penalty": args.length_penalty}
        hypotheses, times = {}, {compact: [] for compact in compact_settings}
        for compact in compact_settings:  # warm-up: traces the graph
            translator.decoding = settings[compact]
            hypotheses[compact] = [t.text for t in translator.translate(source_lines, **options)]
        for _ in range(args.repeats):
            for compact in compact_settings:
                translator.decoding = settings[compact]
                start = time.perf_counter()
                translator.translate(source_lines, **options)
                times[compact].append(time.perf_counter() - start)
        for compact in compact_settings:
            seconds = statistics.median(times[compact])
            report = metrics.score(hypotheses[compact], references)
            rows.append(
                {
                    "beam_size": beam,
                    "length_penalty": args.length_penalty,
                    "compact": compact,
                    "bleu": report["bleu"],
                    "chrf": report["chrf"],
                    "signature": report["signature"],
                    "sentences": len(source_lines),
                    "median_seconds": round(seconds, 3),
                    "sentences_per_second": round(len(source_lines) / seconds, 1),
                    "batch_size": args.batch_size,
                }
            )
            if not compact and True in hypotheses:
                rows[-1]["same_translations_as_compact"] = hypotheses[False] == hypotheses[True]
    print(f"{'beam':>4} {'compact':>7} {'BLEU':>6} {'chrF':>6} {'sent/s':>8}")
    for row in rows:
        print(f"{row['beam_size']:>4} {'on' if row['compact'] else 'off':>7} {row['bleu']:>6.2f} "
              f"{row['chrf']:>6.2f} {row['sentences_per_second']:>8.1f}")
    result = {
        "model": args.model,
        "split": args.split,
        "rows": rows,
        "command": "python " + " ".join([sys.argv[0]] + (argv if argv is not None else sys.argv[1:])),
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
