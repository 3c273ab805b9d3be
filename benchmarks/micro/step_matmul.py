"""The matrix products of one recurrent step, forward and backward, against a large one.

    python benchmarks/micro/step_matmul.py

Times, in TensorFlow on this machine, the products a training step of the
reference decoder's LSTM does once per time step (a batch of 64 rows, the
``[feed; h]`` input of 1,024 and 4 x 512 gates): the forward ``x @ W``; the
input gradient ``dz @ W^T`` as TensorFlow's gradient computes it
(``transpose_b=True``) and against a matrix transposed beforehand (what
:class:`translate.training.speed.StepKernel` does); the weight gradient
``x^T @ dz``, one step at a time and, as
:class:`translate.training.speed.LoopKernels` computes it, for 16 steps
at once (``X^T @ dZ`` over 1,024 rows); and, for the machine's rate on large
matrices, a 3,072-square product. Prints GFLOP/s (median of rounds) and writes
``benchmarks/results/step_matmul.json``.
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402
from common import RESULTS, print_table, time_calls, write_result  # noqa: E402


def seconds_per_call(function, a: tf.Tensor, b: tf.Tensor, calls: int, rounds: int) -> float:
    """Median over ``rounds`` of the mean time of ``calls`` back-to-back calls."""
    function(a, b).numpy()

    def back_to_back() -> None:
        for _ in range(calls):
            result = function(a, b)
        result.numpy()  # Waits for the last product.

    return time_calls(back_to_back, rounds).median / calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--inputs", type=int, default=1024, help="rows of the weight matrix")
    parser.add_argument("--outputs", type=int, default=2048, help="columns of the weight matrix")
    parser.add_argument(
        "--steps", type=int, default=16, help="time steps of the hoisted weight gradient"
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--out", default=os.path.join(RESULTS, "step_matmul.json"))
    args = parser.parse_args(argv)

    n, k, m = args.batch, args.inputs, args.outputs
    x = tf.random.normal((n, k))  # (batch, inputs)
    weights = tf.random.normal((k, m))  # (inputs, outputs)
    upstream = tf.random.normal((n, m))  # (batch, outputs)
    transposed = tf.transpose(weights)  # (outputs, inputs)
    stacked_x = tf.random.normal((args.steps * n, k))  # (steps * batch, inputs)
    stacked_upstream = tf.random.normal((args.steps * n, m))  # (steps * batch, outputs)
    large = tf.random.normal((3072, 3072))
    step_flops = 2 * n * k * m
    cases = [
        ("forward x @ W", lambda a, b: tf.matmul(a, b), x, weights, step_flops),
        (
            "input gradient dz @ W^T, transpose_b",
            lambda a, b: tf.matmul(a, b, transpose_b=True),
            upstream,
            weights,
            step_flops,
        ),
        (
            "input gradient dz @ W^T, pre-transposed",
            lambda a, b: tf.matmul(a, b),
            upstream,
            transposed,
            step_flops,
        ),
        (
            "weight gradient x^T @ dz, transpose_a",
            lambda a, b: tf.matmul(a, b, transpose_a=True),
            x,
            upstream,
            step_flops,
        ),
        (
            f"weight gradient over {args.steps} steps, X^T @ dZ",
            lambda a, b: tf.matmul(tf.transpose(a), b),
            stacked_x,
            stacked_upstream,
            args.steps * step_flops,
        ),
        ("large 3072 x 3072 x 3072", lambda a, b: tf.matmul(a, b), large, large, 2 * 3072**3),
    ]
    rows = []
    for label, product, a, b, flops in cases:
        calls = 3 if flops > 1e10 else 10 if flops > 1e9 else 40
        seconds = seconds_per_call(tf.function(product), a, b, calls, args.rounds)
        rows.append(
            {
                "product": label,
                "ms": round(seconds * 1e3, 3),
                "gflops": round(flops / seconds / 1e9, 1),
            }
        )
    print_table(
        ["product", "ms", "GFLOP/s"], [list(row.values()) for row in rows], ["", ".3f", ".1f"]
    )
    write_result(args.out, __file__, argv, {"batch": n, "inputs": k, "outputs": m, "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
