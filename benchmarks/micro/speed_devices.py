"""What each CPU speed device saves of a reference training step, measured side by side.

    python benchmarks/micro/speed_devices.py --config configs/multi30k_de_en.yaml --rounds 7

Builds the config's model (random weights, the config's vocabulary size) once
per variant: every device on (``training.cpu_kernels=on``), then each device
off alone (the loop kernels: the plain loop of :mod:`translate.model.loop`),
and every device off (``training.cpu_kernels=off``). Each variant's compiled Keras training step
runs on one fixed random batch. Rounds alternate the variants (the order
reversed every other round) so that other load on a shared machine hits them
alike; a round's figure for a variant is the median of ``--steps`` steps, in
wall time and in this process's CPU time (both threads). CPU time is what
other jobs on a shared machine disturb least; wall time is what a user waits.

A device's own gain is the paired ratio, round by round, of the step without
it to the step with every device on, minus one. The project keeps a device
only where the median CPU-time gain is at least 3% of the step and above the
spread (its smallest paired gain is above zero); the table says which.
Writes ``benchmarks/results/speed_devices.json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from common import RESULTS, print_table, write_result  # noqa: E402

from translate.config.schema import load_config  # noqa: E402
from translate.model import Seq2Seq  # noqa: E402
from translate.model.loop import PlainLoop  # noqa: E402
from translate.training.train import compile_model  # noqa: E402

#: Variant name -> (config overrides, use the plain loop after compiling).
VARIANTS = {
    "all devices on": (["training.cpu_kernels=on"], False),
    "without loop kernels": (["training.cpu_kernels=on"], True),
    "all devices off": (["training.cpu_kernels=off"], False),
}
BASELINE = "all devices on"
KEEP_SHARE = 0.03


def make_step(config_path: str, overrides: list[str], plain_loop: bool, batch, vocab: int):
    """One variant's compiled training step on ``batch``, traced and warmed up.

    Returns:
        A function that runs one step and waits for it.
    """
    config = load_config(config_path, overrides)
    keras.utils.set_random_seed(config.training.seed)
    model = Seq2Seq.from_config_section(config.model, vocab, vocab)
    model.build()
    compile_model(model, config)
    if plain_loop:
        model.set_loop(PlainLoop())
    model.make_train_function()
    batches = iter(tf.data.Dataset.from_tensors(batch).repeat())

    def step() -> None:
        float(model.train_function(batches)["loss"])  # Waits for the step to finish.

    for _ in range(3):
        step()
    return step


def summary(values: list[float], digits: int = 1) -> dict:
    """Median, min, max and every value, rounded."""
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
        "rounds": [round(v, digits) for v in values],
    }


def paired_gains(without: list[float], baseline: list[float]) -> list[float]:
    """Round by round, how much longer the step takes without a device: ``without / with - 1``."""
    return [w / b - 1 for w, b in zip(without, baseline)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", default="configs/multi30k_de_en.yaml")
    parser.add_argument("--rounds", type=int, default=7, help="alternating rounds (at least 5)")
    parser.add_argument("--steps", type=int, default=8, help="steps per variant and round")
    parser.add_argument("--source-length", type=int, default=16)
    parser.add_argument("--target-length", type=int, default=16)
    parser.add_argument("--out", default=os.path.join(RESULTS, "speed_devices.json"))
    args = parser.parse_args(argv)

    config = load_config(args.config, [])
    vocab, size = config.data.vocab_size, config.training.batch_size
    source = tf.random.stateless_uniform((size, args.source_length), (1, 2), 4, vocab, tf.int32)
    target = tf.random.stateless_uniform((size, args.target_length), (3, 4), 4, vocab, tf.int32)
    batch = ({"source": source, "target_in": target}, target)
    steps = {
        name: make_step(args.config, overrides, plain, batch, vocab)
        for name, (overrides, plain) in VARIANTS.items()
    }

    wall: dict[str, list[float]] = {name: [] for name in VARIANTS}
    cpu: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for round_index in range(args.rounds):
        order = list(VARIANTS) if round_index % 2 == 0 else list(reversed(VARIANTS))
        for name in order:
            wall_times, cpu_times = [], []
            for _ in range(args.steps):
                start, start_cpu = time.perf_counter(), time.process_time()
                steps[name]()
                wall_times.append(time.perf_counter() - start)
                cpu_times.append(time.process_time() - start_cpu)
            wall[name].append(statistics.median(wall_times) * 1e3)
            cpu[name].append(statistics.median(cpu_times) * 1e3)
        print(
            f"round {round_index + 1}: "
            + ", ".join(
                f"{name} {wall[name][-1]:.0f} ms ({cpu[name][-1]:.0f} CPU)" for name in VARIANTS
            ),
            flush=True,
        )

    rows, variants = [], {}
    for name in VARIANTS:
        entry = {
            "wall_ms": summary(wall[name]),
            "cpu_ms": summary(cpu[name]),
        }
        row = [name, entry["wall_ms"]["median"], entry["cpu_ms"]["median"], None, None, None, ""]
        if name != BASELINE:
            wall_gains = paired_gains(wall[name], wall[BASELINE])
            cpu_gains = paired_gains(cpu[name], cpu[BASELINE])
            keep = statistics.median(cpu_gains) >= KEEP_SHARE and min(cpu_gains) > 0
            entry.update(
                wall_gain=summary(wall_gains, 4), cpu_gain=summary(cpu_gains, 4), pays=keep
            )
            row[3:] = [
                100 * statistics.median(wall_gains),
                100 * statistics.median(cpu_gains),
                f"{100 * min(cpu_gains):+.1f}..{100 * max(cpu_gains):+.1f}",
                "yes" if keep else "no",
            ]
        variants[name] = entry
        rows.append(row)
    shape = f"{size} sentences, {args.source_length} + {args.target_length} subwords"
    print(
        f"\n{args.config}: one training step ({shape}), {args.rounds} rounds of {args.steps} steps"
    )
    print_table(
        ["variant", "wall ms", "CPU ms", "wall gain %", "CPU gain %", "CPU gain range", "pays"],
        rows,
        ["", ".1f", ".1f", "+.1f", "+.1f", "", ""],
    )
    write_result(
        args.out,
        __file__,
        argv,
        {
            "config": args.config,
            "batch": size,
            "source_length": args.source_length,
            "target_length": args.target_length,
            "rounds": args.rounds,
            "steps": args.steps,
            "keep_rule": "median CPU-time gain >= 3% of the step and smallest paired CPU gain > 0",
            "variants": variants,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
