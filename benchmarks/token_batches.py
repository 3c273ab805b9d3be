"""Token batches against sentence batches of the same average size: training throughput.

    python benchmarks/token_batches.py --config configs/multi30k_de_en.yaml \
        --batch-tokens 2048 --rounds 3 --steps 30

With ``training.batch_tokens=N`` a batch holds as many pairs as fit about N
source plus target subwords, so its size depends on its length bucket. This
script measures the mean pairs per batch of one epoch of that pipeline, then
compares it with plain sentence batches of that mean size (the nearest
integer) on the same model: the same pairs per step on average, batched
differently. Both models train in this process in alternating rounds of
``--steps`` steps after ``--warmup`` untimed ones each (the shared CPU's load
hits both alike); each round records wall and CPU seconds
(``time.process_time``) and the real (non-pad) target tokens trained on.
Reported: median target tokens per wall second and per CPU second with min..max
over rounds, pairs per batch, and padding share of each kind of batch.
Writes ``benchmarks/results/token_batches.json``.

Same-steps quality: train one run per kind with ``translate train`` (the same
config, seed and ``training.max_steps``, one with ``training.batch_tokens``),
then summarise their dev scores with

    python benchmarks/token_batches.py --runs runs/sentences runs/tokens

which prints each run's batching, seed, steps, dev BLEU and chrF of its last
epoch and pairs per batch, and writes ``benchmarks/results/token_batches_same_steps.json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from common import RESULTS, add_config_arguments, print_table, write_result  # noqa: E402

from translate.config.schema import load_config  # noqa: E402
from translate.data.tokenizer import PAD_ID, SubwordTokenizer  # noqa: E402
from translate.runs.rundir import RunDir  # noqa: E402
from translate.training.train import (  # noqa: E402
    build_model,
    compile_model,
    config_batches,
    train_tokenizer,
)


def epoch_shapes(batches: tf.data.Dataset) -> dict[str, float]:
    """Pairs per batch and padding of one pass over the batches."""
    pairs, real, padded = [], 0, 0
    for inputs, target_out in batches:
        pairs.append(int(target_out.shape[0]))
        for ids in (inputs["source"], target_out):
            real += int(tf.reduce_sum(tf.cast(ids != PAD_ID, tf.int32)))
            padded += int(tf.size(ids))
    return {
        "batches": len(pairs),
        "mean_pairs_per_batch": round(statistics.mean(pairs), 2),
        "min_pairs_per_batch": min(pairs),
        "max_pairs_per_batch": max(pairs),
        "padding_share": round(1 - real / padded, 4),
    }


class Trainer:
    """One model training on an endless stream of its batches, a round at a time."""

    def __init__(self, config, tokenizer):
        batches, _ = config_batches(config, tokenizer)
        self.batches = iter(batches.repeat())
        self.model = build_model(config, tokenizer)
        compile_model(self.model, config)

    def steps(self, count: int) -> dict[str, float]:
        """Trains ``count`` steps; returns wall and CPU seconds and target tokens."""
        batches = [next(self.batches) for _ in range(count)]  # Input time not counted.
        tokens = sum(int(tf.reduce_sum(tf.cast(y != PAD_ID, tf.int32))) for _, y in batches)
        wall, cpu = time.perf_counter(), time.process_time()
        for inputs, target_out in batches:
            logs = self.model.train_on_batch(inputs, target_out, return_dict=True)
        float(np.asarray(logs["loss"]))  # Waits for the last step.
        return {
            "wall": time.perf_counter() - wall,
            "cpu": time.process_time() - cpu,
            "tokens": tokens,
        }


def summary(rounds: list[dict[str, float]]) -> dict[str, object]:
    per_wall = [r["tokens"] / r["wall"] for r in rounds]
    per_cpu = [r["tokens"] / r["cpu"] for r in rounds]
    return {
        "target_tokens_per_second": round(statistics.median(per_wall), 1),
        "target_tokens_per_second_range": [round(min(per_wall), 1), round(max(per_wall), 1)],
        "target_tokens_per_cpu_second": round(statistics.median(per_cpu), 1),
        "target_tokens_per_cpu_second_range": [round(min(per_cpu), 1), round(max(per_cpu), 1)],
        "rounds": [{k: round(v, 3) for k, v in r.items()} for r in rounds],
    }


def summarise_runs(run_dirs: list[str], out: str, argv: list[str] | None) -> int:
    """The last epoch of each run directory: batching, seed, steps, dev BLEU and chrF."""
    rows = []
    for run_dir in run_dirs:
        run = RunDir(run_dir)
        config = run.load_config()
        records = run.metrics()
        training = config.training
        batching = (
            f"batch_tokens={training.batch_tokens}"
            if training.batch_tokens
            else f"batch_size={training.batch_size}"
        )
        rows.append({"run_dir": run_dir, "batching": batching, "seed": training.seed,
                     "epochs": records})  # fmt: skip
    print_table(
        ["run", "batching", "seed", "steps", "dev BLEU", "dev chrF", "pairs/batch"],
        [
            [os.path.basename(r["run_dir"].rstrip("/")), r["batching"], r["seed"],
             r["epochs"][-1]["step"], r["epochs"][-1]["dev_bleu"], r["epochs"][-1]["dev_chrf"],
             r["epochs"][-1].get("sentences_per_batch")]
            for r in rows
        ],
    )  # fmt: skip
    write_result(out, __file__, argv, {"runs": rows})
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_config_arguments(parser)
    parser.add_argument("--batch-tokens", type=int, default=2048)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=30, help="timed steps per round")
    parser.add_argument("--warmup", type=int, default=10, help="untimed steps first, each")
    parser.add_argument("--out", default=None, help="the JSON file to write")
    parser.add_argument("--runs", nargs="+", help="summarise these trained run directories")
    args = parser.parse_args(argv)
    if args.runs:
        out = args.out or os.path.join(RESULTS, "token_batches_same_steps.json")
        return summarise_runs(args.runs, out, argv)
    args.out = args.out or os.path.join(RESULTS, "token_batches.json")

    token_config = load_config(
        args.config, [*args.set, f"training.batch_tokens={args.batch_tokens}"]
    )
    tokenizer = (
        SubwordTokenizer.load(args.tokenizer) if args.tokenizer else train_tokenizer(token_config)
    )
    token_shapes = epoch_shapes(config_batches(token_config, tokenizer)[0])
    batch_size = round(token_shapes["mean_pairs_per_batch"])
    sentence_config = load_config(args.config, [*args.set, f"training.batch_size={batch_size}"])
    sentence_shapes = epoch_shapes(config_batches(sentence_config, tokenizer)[0])

    kinds = {
        f"sentences: batch_size={batch_size}": Trainer(sentence_config, tokenizer),
        f"tokens: batch_tokens={args.batch_tokens}": Trainer(token_config, tokenizer),
    }
    for trainer in kinds.values():
        trainer.steps(args.warmup)
    rounds: dict[str, list] = {name: [] for name in kinds}
    for _ in range(args.rounds):
        for name, trainer in kinds.items():
            rounds[name].append(trainer.steps(args.steps))

    shapes = dict(zip(kinds, (sentence_shapes, token_shapes)))
    results = {name: {**shapes[name], **summary(rounds[name])} for name in kinds}
    sentences, tokens = (results[name] for name in kinds)
    ratio = tokens["target_tokens_per_cpu_second"] / sentences["target_tokens_per_cpu_second"]
    print_table(
        ["batches", "pairs/batch", "min..max", "padding", "tgt tok/s", "tgt tok/CPU s"],
        [
            [
                name,
                r["mean_pairs_per_batch"],
                f"{r['min_pairs_per_batch']}..{r['max_pairs_per_batch']}",
                f"{100 * r['padding_share']:.1f}%",
                f"{r['target_tokens_per_second']:.0f} "
                f"({r['target_tokens_per_second_range'][0]:.0f}..{r['target_tokens_per_second_range'][1]:.0f})",
                f"{r['target_tokens_per_cpu_second']:.0f} "
                f"({r['target_tokens_per_cpu_second_range'][0]:.0f}..{r['target_tokens_per_cpu_second_range'][1]:.0f})",
            ]
            for name, r in results.items()
        ],
    )
    print(f"tokens / sentences, target tokens per CPU second (medians): {ratio:.3f}")
    write_result(
        args.out,
        __file__,
        argv,
        {
            "config": args.config,
            "overrides": args.set,
            "rounds": args.rounds,
            "steps_per_round": args.steps,
            "warmup_steps": args.warmup,
            "results": results,
            "tokens_over_sentences_per_cpu_second": round(ratio, 3),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
