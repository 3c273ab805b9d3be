"""Decoding quality and speed: greedy against beam search on a test split, side by side.

    python benchmarks/decode_speed.py --model runs/quick --beams 1 5 --repeats 3

For each beam size, translates the whole split ``--repeats`` times in batches of
``--batch-size`` (after one untimed warm-up pass that traces the graph) and
reports the median sentences/s with sacreBLEU BLEU and chrF. Writes
``benchmarks/results/decode_speed.json``.
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
    parser.add_argument("--out", default=os.path.join(RESULTS, "decode_speed.json"))
    args = parser.parse_args(argv)

    config, _, source_lines, references = load_split(args.model, args.split, args.data_dir)
    translator = Translator.load(args.model, config)
    translator.decoding = translator.search_settings(batch_size=args.batch_size)
    rows = []
    for beam in args.beams:
        options = {"beam_size": beam, "length_penalty": args.length_penalty}
        hypotheses = [t.text for t in translator.translate(source_lines, **options)]  # warm-up
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            translator.translate(source_lines, **options)
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
        report = metrics.score(hypotheses, references)
        rows.append(
            {
                "beam_size": beam,
                "length_penalty": args.length_penalty,
                "bleu": report["bleu"],
                "chrf": report["chrf"],
                "signature": report["signature"],
                "sentences": len(source_lines),
                "median_seconds": round(seconds, 3),
                "sentences_per_second": round(len(source_lines) / seconds, 1),
                "batch_size": args.batch_size,
            }
        )
    print(f"{'beam':>4} {'BLEU':>6} {'chrF':>6} {'sent/s':>8}")
    for row in rows:
        print(f"{row['beam_size']:>4} {row['bleu']:>6.2f} {row['chrf']:>6.2f} {row['sentences_per_second']:>8.1f}")
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
