"""Ensembles and scoring: BLEU alone and together, decoding speed, scoring speed.

    python benchmarks/ensemble.py --model runs/a --model runs/b --beam 5 --repeats 3

The runs must share a tokenizer. Each run alone and the ensemble of all of them
translate the whole split with beam search (the first, untimed pass traces the
graphs and gives the translations scored with sacreBLEU). Then the first run
and the ensemble translate the first ``--speed-sentences`` sentences
``--repeats`` times, alternating pass by pass, and their CPU time
(``time.process_time``) and wall time are compared as medians. Last, ``translate
score`` (forced decoding) of the split's references is timed the same way, for
the first run alone and for the ensemble. Writes ``benchmarks/results/ensemble.json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from common import RESULTS, add_data_dir_argument, print_table, write_result  # noqa: E402

from translate.inference import metrics  # noqa: E402
from translate.inference.evaluation import load_split  # noqa: E402
from translate.inference.scoring import Scorer  # noqa: E402
from translate.inference.translator import Translator  # noqa: E402


def _alternate(fns: dict, repeats: int) -> dict[str, dict[str, list[float]]]:
    """CPU and wall seconds of each variant, calling them in turn ``repeats`` times."""
    times = {name: {"cpu": [], "wall": []} for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            cpu, wall = time.process_time(), time.perf_counter()
            fn()
            times[name]["cpu"].append(time.process_time() - cpu)
            times[name]["wall"].append(time.perf_counter() - wall)
    return times


def _summary(seconds: list[float]) -> dict:
    return {
        "median": round(statistics.median(seconds), 3),
        "min": round(min(seconds), 3),
        "max": round(max(seconds), 3),
        "runs": [round(s, 3) for s in seconds],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", action="append", required=True, help="run (repeat, >= 2)")
    parser.add_argument("--split", default="test_2016_flickr")
    add_data_dir_argument(parser)
    parser.add_argument("--beam", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--speed-sentences", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="first N sentences only (0 = all)")
    parser.add_argument("--out", default=os.path.join(RESULTS, "ensemble.json"))
    args = parser.parse_args(argv)

    _, _, sources, references = load_split(args.model[0], args.split, args.data_dir)
    if args.limit:
        sources, references = sources[: args.limit], references[: args.limit]
    options = {"beam_size": args.beam, "n_best": 1}
    singles = []
    for run in args.model:
        translator = Translator.load(run)
        translator.decoding = translator.search_settings(batch_size=args.batch_size)
        singles.append(translator)
    ensemble = Translator.load(args.model)
    ensemble.decoding = ensemble.search_settings(batch_size=args.batch_size)

    quality = []
    for name, translator in [*zip(args.model, singles), ("ensemble", ensemble)]:
        hypotheses = [t.text for t in translator.translate(sources, **options)]
        report = metrics.score(hypotheses, references)
        quality.append(
            {
                "models": name,
                "bleu": report["bleu"],
                "chrf": report["chrf"],
                "signature": report["signature"],
            }
        )

    speed_sources = sources[: args.speed_sentences]
    decode = _alternate(
        {
            "single": lambda: singles[0].translate(speed_sources, **options),
            "ensemble": lambda: ensemble.translate(speed_sources, **options),
        },
        args.repeats,
    )
    single_scorer = Scorer.load(args.model[:1], batch_size=args.batch_size)
    ensemble_scorer = Scorer.load(args.model, batch_size=args.batch_size)
    single_scorer.score(sources[:2], references[:2])  # trace outside the timing
    ensemble_scorer.score(sources[:2], references[:2])
    scoring = _alternate(
        {
            "single": lambda: single_scorer.score(sources, references),
            "ensemble": lambda: ensemble_scorer.score(sources, references),
        },
        args.repeats,
    )

    def rate(count: int, seconds: list[float]) -> float:
        return round(count / statistics.median(seconds), 1)

    speed = {
        name: {
            "cpu_seconds": _summary(times["cpu"]),
            "wall_seconds": _summary(times["wall"]),
            "sentences_per_wall_second": rate(len(speed_sources), times["wall"]),
        }
        for name, times in decode.items()
    }
    cpu_ratio = statistics.median(decode["ensemble"]["cpu"]) / statistics.median(
        decode["single"]["cpu"]
    )
    score_speed = {
        name: {
            "cpu_seconds": _summary(times["cpu"]),
            "wall_seconds": _summary(times["wall"]),
            "pairs_per_wall_second": rate(len(sources), times["wall"]),
            "pairs_per_cpu_second": rate(len(sources), times["cpu"]),
        }
        for name, times in scoring.items()
    }

    print(f"{args.split}, beam {args.beam}, {len(sources)} sentences")
    print_table(
        ["models", "BLEU", "chrF"],
        [[q["models"], q["bleu"], q["chrf"]] for q in quality],
        ["", ".2f", ".2f"],
    )
    print(f"\ndecoding {len(speed_sources)} sentences, {args.repeats} alternating rounds")
    print_table(
        ["models", "CPU s (median)", "min..max", "sent/s (wall)"],
        [
            [
                name,
                s["cpu_seconds"]["median"],
                f"{s['cpu_seconds']['min']:.1f}..{s['cpu_seconds']['max']:.1f}",
                s["sentences_per_wall_second"],
            ]
            for name, s in speed.items()
        ],
        ["", ".1f", "", ".1f"],
    )
    print(f"ensemble / single CPU time: {cpu_ratio:.2f}")
    print(f"\nscoring {len(sources)} pairs (forced decoding), {args.repeats} alternating rounds")
    print_table(
        ["models", "pairs/s (wall)", "pairs/CPU-s"],
        [
            [name, s["pairs_per_wall_second"], s["pairs_per_cpu_second"]]
            for name, s in score_speed.items()
        ],
        ["", ".1f", ".1f"],
    )
    write_result(
        args.out,
        __file__,
        argv,
        {
            "models": args.model,
            "split": args.split,
            "beam_size": args.beam,
            "batch_size": args.batch_size,
            "quality": quality,
            "decoding_sentences": len(speed_sources),
            "decoding": speed,
            "ensemble_cpu_ratio": round(cpu_ratio, 3),
            "scoring_pairs": len(sources),
            "scoring": score_speed,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
