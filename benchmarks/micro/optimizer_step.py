"""One optimizer update of the reference model: Keras' Adam against the fused one.

    python benchmarks/micro/optimizer_step.py

Builds the model of ``--config`` (the reference config by default) over its
vocabulary size, takes the gradients of one random batch, then times
``optimizer.apply`` (with the config's global-norm clipping) for
``keras.optimizers.Adam``
and :class:`translate.speed.fused_adam.FusedAdam`, alternating between the two in
one process. Prints the median milliseconds per update and writes
``benchmarks/results/optimizer_step.json``.
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from common import RESULTS, ROOT, print_table, time_alternating, write_result  # noqa: E402

from translate.config import load_config  # noqa: E402
from translate.model import Seq2Seq  # noqa: E402
from translate.speed.fused_adam import FusedAdam  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", default=os.path.join(ROOT, "configs", "multi30k_de_en.yaml"))
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--out", default=os.path.join(RESULTS, "optimizer_step.json"))
    args = parser.parse_args(argv)

    config = load_config(args.config)
    vocab = config.data.vocab_size
    batch = config.training.batch_size
    keras.utils.set_random_seed(0)
    model = Seq2Seq.from_config_section(config.model, vocab, vocab)
    model.build()
    source = tf.random.uniform((batch, 16), 4, vocab, tf.int32)  # (batch, src_len)
    target = tf.random.uniform((batch, 16), 4, vocab, tf.int32)  # (batch, tgt_len)
    with tf.GradientTape() as tape:
        logits = model({"source": source, "target_in": target})
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(target, logits))
    gradients = tape.gradient(loss, model.trainable_variables)

    updates = {}
    clip = config.training.clip_norm
    for name, optimizer in [
        ("keras.optimizers.Adam", keras.optimizers.Adam(1e-5, global_clipnorm=clip)),
        ("translate.speed.fused_adam.FusedAdam", FusedAdam(1e-5, global_clipnorm=clip)),
    ]:
        optimizer.build(model.trainable_variables)
        apply = tf.function(
            lambda grads, optimizer=optimizer: optimizer.apply(grads, model.trainable_variables)
        )
        apply(gradients)  # Trace.

        def update(apply=apply) -> None:
            apply(gradients)
            model.trainable_variables[0].numpy()  # Wait for the update.

        updates[name] = update
    timings = time_alternating(updates, args.rounds)
    rows = [
        {
            "optimizer": name,
            "ms": round(timing.median * 1e3, 1),
            "min_ms": round(timing.min * 1e3, 1),
            "max_ms": round(timing.max * 1e3, 1),
        }
        for name, timing in timings.items()
    ]
    print(f"{model.count_params():,} parameters, median of {args.rounds} updates")
    print_table(
        ["optimizer", "ms", "min", "max"],
        [list(row.values()) for row in rows],
        ["", ".1f", ".1f", ".1f"],
    )
    write_result(args.out, __file__, argv, {"parameters": model.count_params(), "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
