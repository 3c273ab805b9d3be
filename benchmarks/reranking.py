"""Noisy-channel reranking on a dev split, with its weight chosen out of sample.

    python benchmarks/reranking.py --forward runs/quality-de-en-2h \
        --reverse runs/quality-en-de-2h --split val --beam 5 --length-penalty 1.4

The forward run's beam search gives an n-best list per sentence; the reverse
run (trained the other way round) scores each hypothesis, and
``translate.inference.reranking`` chooses by ``f + w * r`` (``translate rerank``). The
weight ``w`` is tuned on a dev split, so its best BLEU on that same split is
optimistic. This script therefore also reports a two-fold estimate: the
weight tuned on the first half picks the second half's translations and vice
versa, and the two held-out halves are scored together as one corpus. Prints
a table and writes ``benchmarks/results/reranking_val.json``: the beam's own
BLEU (weight 0), every grid weight's BLEU, the best in-sample weight, the
two-fold BLEU with each fold's weight, and the CPU.
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from common import RESULTS, add_data_dir_argument, cpu_model, print_table, write_result  # noqa: E402

from translate.data.sources import read_lines  # noqa: E402
from translate.inference import metrics  # noqa: E402
from translate.inference.reranking import Reranker, rerank, tune_weight  # noqa: E402
from translate.runs.rundir import RunDir  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--forward", required=True, help="the run that translates")
    parser.add_argument("--reverse", required=True, help="a run trained the other way round")
    parser.add_argument("--split", default="val", help="a dev split (never the test split)")
    parser.add_argument("--beam", type=int, default=5)
    parser.add_argument("--n-best", type=int, help="hypotheses reranked (default: the beam)")
    parser.add_argument("--length-penalty", type=float, help="default: the forward run's")
    add_data_dir_argument(parser)
    parser.add_argument("--out", default=os.path.join(RESULTS, "reranking_val.json"))
    args = parser.parse_args(argv)
    if args.split.startswith("test"):
        parser.error(f"--split {args.split}: tune on a dev split; the test split is read once")

    data = RunDir(args.forward).load_config().data
    sources, references = read_lines(
        data.source, data.src_lang, data.tgt_lang, args.split, args.data_dir or data.dir
    )
    reranker = Reranker.load([args.forward], args.reverse, beam_size=args.beam, n_best=args.n_best)
    if args.length_penalty is not None:
        translator = reranker.translator
        translator.decoding = translator.search_settings(length_penalty=args.length_penalty)
    candidates, reverse = reranker.candidates(sources)  # [sentences][n-best]

    whole = tune_weight(candidates, reverse, references)
    half = len(sources) // 2
    folds = [(slice(0, half), slice(half, None)), (slice(half, None), slice(0, half))]
    held_out = [""] * len(sources)
    fold_weights = []
    for tune_on, apply_to in folds:
        weight = tune_weight(candidates[tune_on], reverse[tune_on], references[tune_on]).weight
        fold_weights.append(weight)
        chosen = rerank(candidates[apply_to], reverse[apply_to], weight)
        indices = range(len(sources))[apply_to]
        for i, k in zip(indices, chosen):
            held_out[i] = candidates[i].hypotheses[k]
    two_fold = metrics.score(held_out, references)["bleu"]

    settings = reranker.translator.decoding
    result = {
        "forward": args.forward,
        "reverse": args.reverse,
        "split": args.split,
        "sentences": len(sources),
        "beam_size": reranker.beam_size,
        "n_best": reranker.n_best,
        "length_penalty": settings.length_penalty,
        "cpu": cpu_model(),
        "beam_bleu": whole.bleu[0.0],
        "grid_bleu": {f"{w:g}": round(b, 2) for w, b in whole.bleu.items()},
        "in_sample_weight": whole.weight,
        "in_sample_bleu": whole.bleu[whole.weight],
        "two_fold_weights": fold_weights,
        "two_fold_bleu": two_fold,
        "signature": whole.signature,
    }
    print_table(
        ["forward", "beam alone", "in-sample best (w)", "two-fold (w1, w2)"],
        [
            [
                args.forward,
                f"{result['beam_bleu']:.2f}",
                f"{result['in_sample_bleu']:.2f} ({whole.weight:g})",
                f"{two_fold:.2f} ({fold_weights[0]:g}, {fold_weights[1]:g})",
            ]
        ],
    )
    print(f"{args.split}, beam {reranker.beam_size}, n-best {reranker.n_best}, ", end="")
    print(f"length penalty {settings.length_penalty:g}; {whole.signature}; CPU: {cpu_model()}")
    write_result(args.out, __file__, argv, {"results": [result]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
