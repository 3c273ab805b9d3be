"""bfloat16 against float32 on this CPU: matrix-product ceilings and training steps.

    python benchmarks/precision.py --config configs/multi30k_de_en.yaml \
        --tokenizer runs/quick/tokenizer --rounds 5 --steps 20

1. The matmul ceiling of each dtype: GFLOP/s of a ``4096^3`` product and of
   the ``64 x 1024 x 2048`` product ``training.precision: auto`` times (about
   one decoder step), CPU time, median of alternating rounds.
2. Training CPU time per step of the config's model (the reference one by
   default) under ``float32`` and ``mixed_bfloat16``: two models with the same
   weights train on the same ``--steps`` batches (each traced once in an
   untimed warm-up pass over them), then ``--rounds`` alternating rounds time
   ``--steps`` steps of each. CPU time (``time.process_time``) per step;
   median, min and max over rounds; the ratio is float32 over bfloat16.
3. With ``--decode-model RUN``: translating the first ``--sentences`` of
   ``--split`` with that trained run under ``decoding.precision`` float32 and
   mixed_bfloat16 (one graph each, traced in an untimed pass), ``--rounds``
   alternating rounds per beam size of ``--beams``; CPU time per pass, BLEU of
   each, and the share of identical translations.
4. With ``--same-steps RUN [RUN ...]``: for runs trained for the same steps
   under different ``training.precision`` (e.g. by ``translate train --set
   training.max_steps=900 --set training.precision=...``), each run's
   teacher-forced dev loss (token cross-entropy without label smoothing, the
   model evaluated in float32) and the dev BLEU its training measured last.

Prints a table and writes ``benchmarks/results/precision.json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402
from common import RESULTS, Timing, add_config_arguments, print_table, write_result  # noqa: E402

from translate.config.schema import load_config  # noqa: E402
from translate.data.tokenizer import SubwordTokenizer  # noqa: E402
from translate.training import precision  # noqa: E402
from translate.training.train import (  # noqa: E402
    build_model,
    compile_model,
    config_batches,
    train_tokenizer,
)

SHAPES = {"4096^3": (4096, 4096, 4096), "64x1024x2048": precision.PROBE_SHAPE}
DTYPES = (tf.float32, tf.bfloat16)


def matmul_ceilings(rounds: int) -> dict[str, dict[str, float]]:
    """GFLOP/s (CPU time) of each of :data:`SHAPES` per dtype: ``{shape: {dtype: gflops}}``."""
    ceilings = {}
    for label, shape in SHAPES.items():
        seconds = precision.matmul_seconds(shape, DTYPES, rounds=rounds, min_seconds=0.2)
        flops = 2 * shape[0] * shape[1] * shape[2]
        ceilings[label] = {dtype.name: round(flops / s / 1e9, 1) for dtype, s in seconds.items()}
    return ceilings


def step_times(args, config, tokenizer) -> dict[str, Timing]:
    """CPU seconds per training step under float32 and mixed_bfloat16, alternating rounds."""
    batches, _ = config_batches(config, tokenizer)
    steps = list(batches.repeat().take(args.steps))  # the same batches for both
    models = {}
    for policy in ("float32", "mixed_bfloat16"):
        tf.keras.utils.set_random_seed(config.training.seed)  # the same initial weights
        models[policy] = build_model(config, tokenizer)
        compile_model(models[policy], _with_precision(config, policy))
    for model in models.values():  # warm-up: trace every batch shape once
        for inputs, target_out in steps:
            model.train_on_batch(inputs, target_out)
    per_step: dict[str, list[float]] = {policy: [] for policy in models}
    for round_index in range(args.rounds):
        for policy, model in models.items():
            started = time.process_time()
            for inputs, target_out in steps:
                model.train_on_batch(inputs, target_out)
            per_step[policy].append((time.process_time() - started) / len(steps))
        print(
            f"round {round_index + 1}: "
            + ", ".join(f"{p} {times[-1]:.3f} s/step" for p, times in per_step.items()),
            flush=True,
        )
    return {policy: Timing.of(times) for policy, times in per_step.items()}


def decode_times(args) -> dict:
    """Per beam size: CPU seconds per pass, BLEU and agreement, float32 against bfloat16."""
    from translate.inference import metrics
    from translate.inference.evaluation import load_split
    from translate.inference.translator import Translator

    config, _, sources, references = load_split(args.decode_model, args.split)
    sources, references = sources[: args.sentences], references[: args.sentences]
    translator = Translator.load(args.decode_model, config)
    results = {}
    for beam in args.beams:
        texts, seconds = {}, {policy: [] for policy in ("float32", "mixed_bfloat16")}
        for policy in seconds:  # untimed: traces the graph
            texts[policy] = [
                t.text for t in translator.translate(sources, beam_size=beam, precision=policy)
            ]
        for _ in range(args.rounds):
            for policy in seconds:
                started = time.process_time()
                translator.translate(sources, beam_size=beam, precision=policy)
                seconds[policy].append(time.process_time() - started)
        same = sum(a == b for a, b in zip(texts["float32"], texts["mixed_bfloat16"]))
        ratios = [a / b for a, b in zip(seconds["float32"], seconds["mixed_bfloat16"])]
        results[f"beam {beam}"] = {
            "cpu_seconds": {p: Timing.of(s).to_dict(3) for p, s in seconds.items()},
            "speedup_per_round": [round(r, 3) for r in ratios],
            "speedup_median": round(statistics.median(ratios), 3),
            "bleu": {p: metrics.score(t, references)["bleu"] for p, t in texts.items()},
            "identical_translations": round(same / len(sources), 4),
        }
        print(f"beam {beam}: {results[f'beam {beam}']}", flush=True)
    return {"model": args.decode_model, "split": args.split, "sentences": len(sources), **results}


def same_steps(run_dirs: list[str], split: str | None) -> dict:
    """Dev loss (float32 evaluation) and last dev BLEU of each run, by run directory."""

    from translate.data.sources import read_lines
    from translate.data.tokenizer import BOS_ID, EOS_ID, PAD_ID
    from translate.inference.translator import Translator
    from translate.runs.rundir import check_run_dir
    from translate.training.losses import smoothed_token_cross_entropy

    results = {}
    for run_dir in run_dirs:
        run = check_run_dir(run_dir)
        config = run.load_config()
        data = config.data
        sources, targets = read_lines(
            data.source, data.src_lang, data.tgt_lang, split or data.dev_split, data.dir
        )
        translator = Translator.load(run_dir, config)
        model, tokenizer = translator.model, translator.tokenizer
        total, tokens = 0.0, 0.0
        for start in range(0, len(sources), 64):
            source = tokenizer.encode_source(tf.constant(sources[start : start + 64]))
            target = tokenizer.encode_target(tf.constant(targets[start : start + 64]))
            rows = target.nrows()
            target_in = tf.concat([tf.fill([rows, 1], BOS_ID), target], 1).to_tensor()
            target_out = tf.concat([target, tf.fill([rows, 1], EOS_ID)], 1).to_tensor()
            inputs = {"source": source.to_tensor(), "target_in": target_in}
            nll = smoothed_token_cross_entropy(target_out, model(inputs), 0.0)
            mask = tf.cast(target_out != PAD_ID, tf.float32)
            total += float(tf.reduce_sum(nll * mask))
            tokens += float(tf.reduce_sum(mask))
        last = run.metrics()[-1]
        results[run_dir] = {
            "training_precision": config.training.precision,
            "steps": last["step"],
            "dev_loss": round(total / tokens, 4),
            "dev_bleu": last["dev_bleu"],
            "training_seconds": last["elapsed_seconds"],
        }
        print(f"{run_dir}: {results[run_dir]}", flush=True)
    return results


def _with_precision(config, policy):
    import dataclasses

    return dataclasses.replace(
        config, training=dataclasses.replace(config.training, precision=policy)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_config_arguments(parser)
    parser.add_argument("--rounds", type=int, default=5, help="alternating timed rounds")
    parser.add_argument("--steps", type=int, default=20, help="training steps per round")
    parser.add_argument("--skip-train", action="store_true", help="skip the training steps")
    parser.add_argument("--decode-model", help="a trained run directory: also time decoding")
    parser.add_argument("--split", default="test_2016_flickr")
    parser.add_argument("--sentences", type=int, default=300)
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--same-steps", nargs="+", metavar="RUN", help="compare trained runs")
    parser.add_argument("--out", default=os.path.join(RESULTS, "precision.json"))
    args = parser.parse_args(argv)

    ceilings = matmul_ceilings(args.rounds)
    ratio = ceilings["64x1024x2048"]["bfloat16"] / ceilings["64x1024x2048"]["float32"]
    rows = [
        [f"matmul {shape} GFLOP/s", v["float32"], v["bfloat16"]] for shape, v in ceilings.items()
    ]
    result = {
        "cpu": precision.cpu_model(),
        "tensorflow": tf.__version__,
        "matmul_gflops": ceilings,
        "probe_bfloat16_speedup": round(ratio, 3),
        "auto_would_pick": "mixed_bfloat16" if ratio >= precision.AUTO_MARGIN else "float32",
    }
    if not args.skip_train:
        config = load_config(args.config, args.set)
        tokenizer = (
            SubwordTokenizer.load(args.tokenizer) if args.tokenizer else train_tokenizer(config)
        )
        timings = step_times(args, config, tokenizer)
        f32, bf16 = timings["float32"], timings["mixed_bfloat16"]
        rows.append(["train CPU s/step (median)", f"{f32.median:.3f}", f"{bf16.median:.3f}"])
        rows.append(["train CPU s/step (min..max)", f"{f32.min:.3f}..{f32.max:.3f}",
                     f"{bf16.min:.3f}..{bf16.max:.3f}"])  # fmt: skip
        ratios = [a / b for a, b in zip(f32.runs, bf16.runs)]
        result.update(
            {
                "config": args.config,
                "overrides": args.set,
                "steps_per_round": args.steps,
                "rounds": args.rounds,
                "train_cpu_seconds_per_step": {
                    "float32": f32.to_dict(4),
                    "mixed_bfloat16": bf16.to_dict(4),
                },
                "train_speedup_per_round": [round(r, 3) for r in ratios],
                "train_speedup_median": round(statistics.median(ratios), 3),
            }
        )
        rows.append(["train speed-up bf16 (median)", "", f"{result['train_speedup_median']:.2f}x"])
    if args.decode_model:
        result["decoding"] = decode_times(args)
        for beam in args.beams:
            row = result["decoding"][f"beam {beam}"]
            cpu = row["cpu_seconds"]
            rows.append(
                [f"decode beam {beam} CPU s/pass (median)"]
                + [f"{cpu[p]['median']:.2f}" for p in ("float32", "mixed_bfloat16")]
            )
            rows.append([f"decode beam {beam} speed-up bf16", "", f"{row['speedup_median']:.2f}x"])
            rows.append([f"decode beam {beam} BLEU", *row["bleu"].values()])
    if args.same_steps:
        result["same_steps"] = same_steps(args.same_steps, None)
    print(f"CPU: {result['cpu']}; TensorFlow {tf.__version__}")
    print_table(["measure", "float32", "bfloat16"], rows)
    if args.same_steps:
        print_table(
            ["run", "training.precision", "steps", "dev loss", "dev BLEU"],
            [
                [run, r["training_precision"], r["steps"], r["dev_loss"], r["dev_bleu"]]
                for run, r in result["same_steps"].items()
            ],
        )
    write_result(args.out, __file__, argv, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
