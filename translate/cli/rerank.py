"""``translate rerank``: the command's work, between parser and :mod:`~.inference.reranking`.

Without ``--tune-on-reference`` it streams ``-i`` (chunk by chunk, flat
memory) and writes the chosen translation of each line (``--format text``) or
one JSON object per line with every candidate's forward, reverse and combined
score and the choice (``--format json``) to ``-o`` or standard output.

With ``--tune-on-reference REF`` the input is a dev set held in memory: each
weight of :data:`translate.inference.reranking.DEFAULT_WEIGHTS` gets its corpus BLEU
against ``REF`` (one ``weight<TAB>BLEU`` line each on standard output, then the
best weight), and ``-o``, if given, receives the dev set reranked with the
best weight. Use that weight with ``--weight`` on the test set.
"""

from __future__ import annotations

import argparse
import json

from translate import TranslateError
from translate.inference.reranking import DEFAULT_WEIGHT, Reranked, Reranker, tune_weight
from translate.runs.fileio import check_writable, read_lines, write_output


def run(args: argparse.Namespace) -> int:
    """Runs ``translate rerank`` with the parsed ``args``; returns the exit status."""
    if args.tune_on_reference and args.weight is not None:
        raise TranslateError(
            "--weight and --tune-on-reference exclude each other: tuning chooses the weight"
        )
    if args.output:
        check_writable(args.output, "-o")
    reranker = Reranker.load(
        args.model,
        args.reverse,
        weight=DEFAULT_WEIGHT if args.weight is None else args.weight,
        beam_size=args.beam_size,
        n_best=args.n_best,
        batch_size=args.batch_size,
    )
    runs = {"models": reranker.translator.runs, "reverse": args.reverse}
    if args.tune_on_reference:
        return _tune(args, reranker, runs)
    lines = read_lines(args.input)

    def produce(out) -> None:
        for result in reranker.rerank_stream(lines):
            print(_format(result, args.format, runs, reranker.weight), file=out)

    write_output(args.output, produce, [args.input])
    return 0


def _tune(args: argparse.Namespace, reranker: Reranker, runs: dict) -> int:
    from translate.inference.scoring import read_pairs

    pairs = list(read_pairs(args.input, args.tune_on_reference))
    candidates, reverse = reranker.candidates([source for source, _ in pairs])
    tuning = tune_weight(candidates, reverse, [reference for _, reference in pairs])
    print("weight\tBLEU")
    for weight, bleu in tuning.bleu.items():
        print(f"{weight:g}\t{bleu:.2f}")
    baseline = ""
    if 0.0 in tuning.bleu:
        baseline = f" (weight 0, beam search alone: {tuning.bleu[0.0]:.2f})"
    print(
        f"best weight {tuning.weight:g}: BLEU {tuning.bleu[tuning.weight]:.2f}{baseline} "
        f"on {len(pairs)} sentences; {tuning.signature}"
    )
    if args.output:
        reranker.weight = tuning.weight
        results = reranker.choose(candidates, reverse)

        def produce(out) -> None:
            for result in results:
                print(_format(result, args.format, runs, reranker.weight), file=out)

        write_output(args.output, produce, [args.input, args.tune_on_reference])
    return 0


def _format(result: Reranked, output_format: str, runs: dict, weight: float) -> str:
    if output_format != "json":
        return result.text
    candidates = result.candidates
    return json.dumps(
        {
            **runs,
            "weight": weight,
            "source": candidates.source,
            "translation": result.text,
            "choice": result.choice,
            "candidates": [
                {
                    "translation": hypothesis,
                    "forward": round(forward, 6),
                    "reverse": round(reverse, 6),
                    "combined": round(combined, 6),
                }
                for hypothesis, forward, reverse, combined in zip(
                    candidates.hypotheses,
                    candidates.forward_scores,
                    result.reverse_scores,
                    result.combined_scores,
                )
            ],
        },
        ensure_ascii=False,
    )
