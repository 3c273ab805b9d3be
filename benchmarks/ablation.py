"""What each part of the training recipe is worth: the same run with one part taken out.

    python benchmarks/ablation.py --config configs/multi30k_de_en_quick.yaml --steps 450 \\
        --variant "no unigram output bias=model.output_bias_init=zeros" \\
        --variant "no label smoothing=training.label_smoothing=0" \\
        --variant "no dropout=model.dropout=0,model.embedding_dropout=0"

(add ``--tokenizer runs/quick/tokenizer`` to give every run the same subwords,
and ``--set section.key=value`` to change every run alike, e.g. its seed)

Trains the config as it is (``full recipe``) and once per ``--variant`` (a
label, ``=``, then comma-separated ``section.key=value`` overrides), each from
scratch for the same number of optimizer steps and the same seed, into
``runs/ablation/<label>``, and reads the dev BLEU (greedy, whole dev set) the
run measured when it stopped. Prints a table with the difference to the full
recipe and writes ``benchmarks/results/ablation.json``. Runs that finished
already are read, not trained again.

``--jobs N`` trains up to N runs at once, each pinned to a core of its own
(``os.sched_setaffinity``), so that on a 2-core machine two variants train
side by side under the same conditions; steps, not wall time, make them equal.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import os
import re
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TRANSLATE_PROGRESS", "0")

from common import RESULTS, print_table, write_result  # noqa: E402

from translate.config.schema import load_config  # noqa: E402
from translate.runs.rundir import RunDir  # noqa: E402
from translate.training.train import train  # noqa: E402


def _variant(text: str) -> tuple[str, list[str]]:
    label, sep, overrides = text.partition("=")
    if not sep or not label.strip() or not overrides:
        raise SystemExit(
            f"--variant {text!r}: expected LABEL=section.key=value[,section.key=value]"
        )
    return label.strip(), [item.strip() for item in overrides.split(",")]


def _last_record(run_dir: str) -> dict:
    return RunDir(run_dir).metrics()[-1]


def _pin_to_core(cores) -> None:
    """Pins this worker process, and TensorFlow's op threads, to the next core of ``cores``."""
    import tensorflow as tf

    os.sched_setaffinity(0, {cores.get()})
    tf.config.threading.set_intra_op_parallelism_threads(1)


def _train_variant(
    label: str,
    config_path: str,
    overrides: list[str],
    shown_overrides: list[str],
    runs: str,
    tokenizer: str | None,
) -> dict:
    """Trains (or reads, if finished) one variant and returns its table row."""
    run_dir = os.path.join(runs, re.sub(r"[^A-Za-z0-9_.-]+", "_", label))
    config = load_config(config_path, overrides)
    if tokenizer and not os.path.isdir(os.path.join(run_dir, "tokenizer")):
        shutil.copytree(tokenizer, os.path.join(run_dir, "tokenizer"))
    state = train(config, run_dir)
    record = _last_record(run_dir)
    print(f"{label}: dev BLEU {record['dev_bleu']:.2f} after {state.step} steps", flush=True)
    return {
        "label": label,
        "overrides": shown_overrides,
        "steps": state.step,
        "dev_bleu": record["dev_bleu"],
        "dev_chrf": record["dev_chrf"],
        "training_seconds": record["elapsed_seconds"],
        "cores": len(os.sched_getaffinity(0)),
        "run_dir": run_dir,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", default="configs/multi30k_de_en_quick.yaml")
    parser.add_argument("--steps", type=int, default=450, help="optimizer steps per run")
    parser.add_argument("--variant", action="append", default=[], metavar="LABEL=OVERRIDES")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="an override for every run, the full recipe's too (repeatable)",
    )
    parser.add_argument(
        "--tokenizer", help="tokenizer folder of a run to share (else each run trains one)"
    )
    parser.add_argument(
        "--runs", default=os.path.join("runs", "ablation"), help="parent run folder"
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="runs trained at once, each pinned to one core"
    )
    parser.add_argument("--out", default=os.path.join(RESULTS, "ablation.json"))
    args = parser.parse_args(argv)

    every_run = [
        f"training.max_steps={args.steps}",
        "training.max_minutes=0",
        "training.dev_sentences=0",
        "training.epochs=100",
    ] + args.set
    variants = [("full recipe", [])] + [_variant(v) for v in args.variant]
    jobs = [
        (label, args.config, every_run + overrides, args.set + overrides, args.runs, args.tokenizer)
        for label, overrides in variants
    ]
    if args.jobs > 1:
        context = multiprocessing.get_context("spawn")
        cores = context.Queue()
        for core in sorted(os.sched_getaffinity(0))[: args.jobs]:
            cores.put(core)
        with concurrent.futures.ProcessPoolExecutor(
            args.jobs, mp_context=context, initializer=_pin_to_core, initargs=(cores,)
        ) as pool:
            rows = list(pool.map(_train_variant, *zip(*jobs)))
    else:
        rows = [_train_variant(*job) for job in jobs]

    base = rows[0]["dev_bleu"]
    for row in rows:
        row["difference"] = round(row["dev_bleu"] - base, 2)
    print()
    print_table(
        ["recipe", "steps", "dev BLEU", "vs full", "train s"],
        [
            [r["label"], r["steps"], r["dev_bleu"], r["difference"], r["training_seconds"]]
            for r in rows
        ],
        ["", "", ".2f", "+.2f", ".0f"],
    )
    write_result(args.out, __file__, argv, {"config": args.config, "results": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
