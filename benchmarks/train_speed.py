"""Training throughput on this machine: target tokens/s, FLOP/s, share of matmul ceiling, memory.

    python benchmarks/train_speed.py --config configs/multi30k_de_en.yaml --steps 60

Trains the config's model on its real training data (Multi30k through
``MULTI30K_DIR`` by default) for a number of steps and reports the median of
several timing windows after warm-up (the first steps trace the graph). The
machine's ceiling is a large matrix product in the compute dtype of
``training.precision`` (``--set training.precision=mixed_bfloat16``: bfloat16)
timed in the same process,
once before and once after training; the higher of the two is reported, since
other load on a shared machine can only lower a reading.
Writes ``benchmarks/results/train_speed.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402
from common import (  # noqa: E402
    RESULTS,
    add_config_arguments,
    header,
    peak_rss_mb,
    print_table,
    time_calls,
    write_json,
)

from translate.config.schema import load_config  # noqa: E402
from translate.data.tokenizer import PAD_ID, SubwordTokenizer  # noqa: E402
from translate.training.precision import cpu_model  # noqa: E402
from translate.training.train import (  # noqa: E402
    build_model,
    compile_model,
    config_batches,
    train_tokenizer,
)


def matmul_ceiling(size: int = 3072, repeats: int = 10, dtype: tf.DType = tf.float32) -> float:
    """GFLOP/s of a large matrix product in ``dtype`` (median of ``repeats`` runs)."""
    a = tf.cast(tf.random.normal((size, size)), dtype)
    b = tf.cast(tf.random.normal((size, size)), dtype)
    product = tf.function(tf.matmul)
    timing = time_calls(lambda: product(a, b).numpy(), repeats, warmup=1)
    return 2 * size**3 / timing.median / 1e9


def flops_per_target_token(config, vocab: int, source_per_target: float) -> float:
    """Training FLOPs (forward + backward = 3x forward) per target token, from the shapes.

    Counts the matrix products only: encoder LSTMs (both directions, per source
    token), decoder LSTMs, attention scoring and context, the attentional layer
    and the output layer.
    """
    m = config.model
    e, u_enc, u_dec = m.embedding_dim, m.encoder_units, m.decoder_units
    memory = 2 * u_enc
    encoder = 0.0
    width = e
    for _ in range(m.encoder_layers):
        encoder += 2 * 2 * (width + u_enc) * 4 * u_enc  # two directions, input + recurrent
        width = memory
    decoder = 0.0
    for layer in range(m.decoder_layers):
        input_width = e if layer == 0 else u_dec
        recurrent = u_dec * (2 if layer == 0 and m.input_feeding else 1)
        decoder += 2 * (input_width + recurrent) * 4 * u_dec
    source_len = 16 * source_per_target  # per target token, scoring cost grows with source length
    keys = 2 * memory * u_dec * source_per_target  # memory projection, per source token
    attention = 2 * source_len * u_dec + 2 * source_len * memory + keys
    if m.attention == "bahdanau":
        attention += 2 * u_dec * u_dec + 2 * source_len * u_dec
    attentional = 2 * (u_dec + memory) * u_dec
    output = 2 * u_dec * vocab
    forward = encoder * source_per_target + decoder + attention + attentional + output
    return 3 * forward


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_config_arguments(parser)
    parser.add_argument("--steps", type=int, default=60, help="timed steps after warm-up")
    parser.add_argument("--warmup", type=int, default=15, help="untimed steps first")
    parser.add_argument("--window", type=int, default=10, help="steps per timing window")
    parser.add_argument("--label", default="", help="name of this measurement in the JSON")
    parser.add_argument("--out", default=os.path.join(RESULTS, "train_speed.json"))
    args = parser.parse_args(argv)

    config = load_config(args.config, args.set)
    tokenizer = SubwordTokenizer.load(args.tokenizer) if args.tokenizer else train_tokenizer(config)
    batches, _ = config_batches(config, tokenizer)
    model = build_model(config, tokenizer)
    compile_model(model, config)
    matmul_dtype = tf.as_dtype(model.compute_dtype)  # of the policy training.precision chose
    ceiling_before = matmul_ceiling(dtype=matmul_dtype)

    windows, target_tokens, source_tokens = [], 0, 0
    window_tokens, window_start = 0, None
    iterator = iter(batches.repeat())
    for step in range(args.warmup + args.steps):
        inputs, target_out = next(iterator)
        tokens = int(tf.reduce_sum(tf.cast(target_out != PAD_ID, tf.int32)))
        if step == args.warmup:
            window_start, window_tokens = time.perf_counter(), 0
        model.train_on_batch(inputs, target_out)
        if step >= args.warmup:
            window_tokens += tokens
            target_tokens += tokens
            source_tokens += int(tf.reduce_sum(tf.cast(inputs["source"] != PAD_ID, tf.int32)))
            if (step - args.warmup + 1) % args.window == 0:
                now = time.perf_counter()
                windows.append(window_tokens / (now - window_start))
                window_start, window_tokens = now, 0

    tokens_per_second = statistics.median(windows)
    flops = flops_per_target_token(
        config, tokenizer.target_vocab_size, source_tokens / target_tokens
    )
    ceiling_readings = [ceiling_before, matmul_ceiling(dtype=matmul_dtype)]
    ceiling = max(ceiling_readings)
    achieved = tokens_per_second * flops / 1e9
    result = {
        "header": header(__file__, argv),
        "label": args.label or os.path.basename(args.config),
        "config": args.config,
        "overrides": args.set,
        "parameters": model.count_params(),
        "target_tokens_per_second": round(tokens_per_second, 1),
        "windows": [round(w, 1) for w in windows],
        "flops_per_target_token": round(flops),
        "achieved_gflops": round(achieved, 2),
        "precision": model.precision,
        "matmul_dtype": matmul_dtype.name,
        "matmul_ceiling_gflops": round(ceiling, 2),
        "matmul_ceiling_readings": [round(c, 2) for c in ceiling_readings],
        "share_of_ceiling": round(achieved / ceiling, 4),
        "peak_rss_mb": peak_rss_mb(),
        "batch_size": config.training.batch_size,
        "jit_compile": config.training.jit_compile,
    }
    keys = (
        "label",
        "precision",
        "parameters",
        "target_tokens_per_second",
        "flops_per_target_token",
        "achieved_gflops",
        "matmul_dtype",
        "matmul_ceiling_gflops",
        "share_of_ceiling",
        "peak_rss_mb",
    )
    print(f"CPU: {cpu_model()}")
    print_table(["measure", "value"], [[key, result[key]] for key in keys])
    # The file holds one result per label: measuring a label again replaces its result.
    existing = []
    if os.path.exists(args.out):
        with open(args.out, encoding="utf-8") as handle:
            existing = json.load(handle)
    write_json(args.out, [r for r in existing if r.get("label") != result["label"]] + [result])
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
