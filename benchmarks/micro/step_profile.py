"""Where one training step's time goes: TensorFlow's op times by part of the model.

    python benchmarks/micro/step_profile.py --config configs/multi30k_de_en.yaml

Builds the config's model and optimizer (random weights; the config's
vocabulary size unless ``--vocab`` is given), runs Keras' compiled training
step on one random batch of fixed shape, times it (median wall time) and
then profiles a few steps with TensorFlow's profiler. Prints, and writes to
``benchmarks/results/step_profile.json``, the op time per step summed by
part (from each op's name: encoder, decoder loop, output layer and loss,
optimizer; forward or backward) and by op type. Op
times are summed over TensorFlow's threads, so their total exceeds the wall
time where ops ran side by side. Ops that TensorFlow's graph optimizer
rewrote (``ArithmeticOptimizer/...``) lose their layer's name and are counted
as ``rewritten``: among them the products a loop's weight gradients are
taken by after the loop.
"""

from __future__ import annotations

import argparse
import collections
import glob
import os
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from common import RESULTS, print_table, time_calls, write_result  # noqa: E402

from translate.config.schema import load_config  # noqa: E402
from translate.model import Seq2Seq  # noqa: E402
from translate.training.train import compile_model  # noqa: E402


def part_of(op_name: str) -> str:
    """The model part an op belongs to, from its name, with ``forward``/``backward``."""
    direction = "backward" if "gradient_tape" in op_name else "forward"
    lowered = op_name.lower()
    if "adam" in lowered or "clip" in lowered or "global_norm" in lowered:
        return "optimizer"
    if "compile_loss" in lowered:
        return f"loss {direction}"
    if "encoder" in lowered or "memory_projection" in lowered:
        return f"encoder {direction}"
    if "decoder" in lowered and ("scan" in lowered or "while" in lowered):
        return f"decoder loop {direction}"
    if "decoder" in lowered and "output" in lowered:
        return f"output layer {direction}"
    if "decoder" in lowered:
        return f"decoder, outside the loop {direction}"
    if "arithmeticoptimizer" in lowered:
        return "rewritten"
    return "other"


def op_times(logdir: str, steps: int) -> tuple[dict[str, float], dict[str, float]]:
    """Milliseconds per step by part and by op type, read from a profiler trace."""
    try:
        from tensorflow.tsl.profiler.protobuf import xplane_pb2
    except ImportError as error:  # The trace format moved in another TensorFlow version.
        raise SystemExit(
            f"cannot read the profiler's trace with this TensorFlow: {error}"
        ) from error
    paths = glob.glob(os.path.join(logdir, "**", "*.xplane.pb"), recursive=True)
    if not paths:
        raise SystemExit(f"the profiler wrote no trace under {logdir}")
    space = xplane_pb2.XSpace()
    with open(paths[0], "rb") as handle:
        space.ParseFromString(handle.read())
    by_part: collections.Counter = collections.Counter()
    by_type: collections.Counter = collections.Counter()
    for plane in space.planes:
        for line in plane.lines:
            if not line.name.startswith("tf_Compute"):
                continue
            for event in line.events:
                name = plane.event_metadata[event.metadata_id].name
                op_name, _, op_type = name.rpartition(":")
                if not op_name or op_type == "Process":
                    continue
                milliseconds = event.duration_ps / 1e9 / steps
                by_part[part_of(op_name)] += milliseconds
                by_type[op_type] += milliseconds
    return dict(by_part), dict(by_type)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", default="configs/multi30k_de_en.yaml")
    parser.add_argument(
        "--vocab", type=int, help="source and target vocabulary size (default: the config's)"
    )
    parser.add_argument("--batch", type=int, help="sentences per batch (default: the config's)")
    parser.add_argument(
        "--source-length", type=int, default=16, help="subwords per source sentence"
    )
    parser.add_argument(
        "--target-length", type=int, default=16, help="subwords per target sentence"
    )
    parser.add_argument("--timed", type=int, default=10, help="steps timed for the median")
    parser.add_argument("--profiled", type=int, default=5, help="steps profiled")
    parser.add_argument("--out", default=os.path.join(RESULTS, "step_profile.json"))
    args = parser.parse_args(argv)

    config = load_config(args.config, [])
    batch = args.batch or config.training.batch_size
    vocab = args.vocab or config.data.vocab_size
    keras.utils.set_random_seed(config.training.seed)
    model = Seq2Seq.from_config_section(config.model, vocab, vocab)
    model.build()
    compile_model(model, config)
    source = tf.random.uniform((batch, args.source_length), 4, vocab, tf.int32)
    target = tf.random.uniform((batch, args.target_length), 4, vocab, tf.int32)
    batches = iter(
        tf.data.Dataset.from_tensors(({"source": source, "target_in": target}, target)).repeat()
    )
    model.make_train_function()

    def step() -> None:
        logs = model.train_function(batches)
        float(logs["loss"])  # Waits for the step to finish.

    timing = time_calls(step, args.timed, warmup=3)
    with tempfile.TemporaryDirectory() as logdir:
        tf.profiler.experimental.start(logdir)
        for _ in range(args.profiled):
            step()
        tf.profiler.experimental.stop()
        by_part, by_type = op_times(logdir, args.profiled)

    wall = timing.median * 1e3
    total = sum(by_part.values())
    shape = f"{batch} sentences, {args.source_length} + {args.target_length} subwords"
    print(
        f"{args.config}: one training step ({shape}), median wall time {wall:.1f} ms;"
        f" op time summed over threads {total:.1f} ms"
    )
    parts = sorted(by_part.items(), key=lambda item: -item[1])
    types = sorted(by_type.items(), key=lambda item: -item[1])
    print()
    print_table(
        ["part", "ms/step", "share"], [[p, ms, ms / total] for p, ms in parts], ["", ".1f", ".1%"]
    )
    print()
    print_table(["op type", "ms/step"], types[:12], ["", ".1f"])
    write_result(
        args.out,
        __file__,
        argv,
        {
            "config": args.config,
            "batch": batch,
            "source_length": args.source_length,
            "target_length": args.target_length,
            "wall_ms_median": round(wall, 1),
            "wall_ms_min": round(timing.min * 1e3, 1),
            "wall_ms_max": round(timing.max * 1e3, 1),
            "op_ms_total": round(total, 1),
            "op_ms_by_part": {k: round(v, 1) for k, v in parts},
            "op_ms_by_type": {k: round(v, 1) for k, v in types},
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
