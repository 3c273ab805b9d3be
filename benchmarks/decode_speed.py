"""Decoding quality and speed: greedy against beam search on a test split, side by side.

    python benchmarks/decode_speed.py --model runs/quick --beams 1 5 --repeats 3

For each beam size, translates the whole split ``--repeats`` times in batches of
``--batch-size`` (after one untimed warm-up pass that traces the graph) and
reports the median sentences/s (and the fastest and slowest pass) with
sacreBLEU BLEU and chrF. ``--set decoding.KEY=VALUE`` overrides a search
setting, e.g. ``--set decoding.precision=mixed_bfloat16``; the CPU model and
the matmul ceiling (GFLOP/s of a large product in the compute dtype of that
precision) are reported with the figures. Writes
``benchmarks/results/decode_speed.json``.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
import yaml  # noqa: E402
from common import RESULTS, add_data_dir_argument, print_table, time_calls, write_result  # noqa: E402
from train_speed import matmul_ceiling  # noqa: E402

from translate.inference import metrics  # noqa: E402
from translate.inference.evaluation import load_split  # noqa: E402
from translate.inference.translator import Translator  # noqa: E402
from translate.training.precision import cpu_model  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", required=True, help="trained run directory")
    parser.add_argument("--split", default="test_2016_flickr")
    add_data_dir_argument(parser)
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--length-penalty", type=float, default=1.0)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--set", action="append", default=[], metavar="decoding.KEY=VALUE")
    parser.add_argument("--out", default=os.path.join(RESULTS, "decode_speed.json"))
    args = parser.parse_args(argv)
    overrides = {}
    for item in args.set:
        key, _, value = item.partition("=")
        if not key.startswith("decoding.") or not value:
            parser.error(f"--set takes decoding.KEY=VALUE, got {item!r}")
        overrides[key.removeprefix("decoding.")] = yaml.safe_load(value)

    config, _, source_lines, references = load_split(args.model, args.split, args.data_dir)
    translator = Translator.load(args.model, config)
    translator.decoding = translator.search_settings(batch_size=args.batch_size, **overrides)
    policy = translator.decoding.precision
    matmul_dtype = tf.as_dtype(keras.DTypePolicy(policy).compute_dtype)
    ceiling = matmul_ceiling(dtype=matmul_dtype)
    rows = []
    for beam in args.beams:
        options = {"beam_size": beam, "length_penalty": args.length_penalty}
        # The untimed first pass traces the graph; its translations are the ones scored.
        hypotheses = [t.text for t in translator.translate(source_lines, **options)]
        timing = time_calls(
            functools.partial(translator.translate, source_lines, **options), args.repeats
        )
        report = metrics.score(hypotheses, references)
        rows.append(
            {
                "beam_size": beam,
                "length_penalty": args.length_penalty,
                "bleu": report["bleu"],
                "chrf": report["chrf"],
                "signature": report["signature"],
                "sentences": len(source_lines),
                "median_seconds": round(timing.median, 3),
                "min_seconds": round(timing.min, 3),
                "max_seconds": round(timing.max, 3),
                "sentences_per_second": round(len(source_lines) / timing.median, 1),
                "batch_size": args.batch_size,
                "precision": policy,
            }
        )
    print(
        f"CPU: {cpu_model()}; precision {policy}; {matmul_dtype.name} matmul {ceiling:.1f} GFLOP/s"
    )
    print_table(
        ["beam", "BLEU", "chrF", "sent/s"],
        [[r["beam_size"], r["bleu"], r["chrf"], r["sentences_per_second"]] for r in rows],
        ["", ".2f", ".2f", ".1f"],
    )
    result = {"model": args.model, "split": args.split, "overrides": args.set, "rows": rows}
    result.update({"matmul_dtype": matmul_dtype.name, "matmul_ceiling_gflops": round(ceiling, 1)})
    write_result(args.out, __file__, argv, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
