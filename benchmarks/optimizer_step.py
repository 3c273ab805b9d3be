"""One optimizer update of the reference model: Keras' Adam against the fused one.

    python benchmarks/optimizer_step.py

Builds the model of ``--config`` (the reference config by default) over its
vocabulary size, takes the gradients of one random batch, then times
``optimizer.apply`` (with the config's global-norm clipping) for
``keras.optimizers.Adam``
and :class:`translate.optimizers.FusedAdam`, alternating between the two in
one process. Prints the median milliseconds per update and writes
``benchmarks/results/optimizer_step.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from translate.config import load_config  # noqa: E402
from translate.model import Seq2Seq  # noqa: E402
from translate.optimizers import FusedAdam  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=os.path.join(HERE, "..", "configs", "multi30k_de_en.yaml"))
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
    for name, optimizer in [("keras.optimizers.Adam", keras.optimizers.Adam(1e-5, global_clipnorm=clip)),
                            ("translate.optimizers.FusedAdam", FusedAdam(1e-5, global_clipnorm=clip))]:
        optimizer.build(model.trainable_variables)
        updates[name] = tf.function(
            lambda grads, optimizer=optimizer: optimizer.apply(grads, model.trainable_variables))
        updates[name](gradients)  # Trace.
    times = {name: [] for name in updates}
    for _ in range(args.rounds):
        for name, update in updates.items():
            start = time.perf_counter()
            update(gradients)
            model.trainable_variables[0].numpy()  # Wait for the update.
            times[name].append(time.perf_counter() - start)
    rows = [{"optimizer": name, "ms": round(statistics.median(seconds) * 1e3, 1)}
            for name, seconds in times.items()]
    print(f"{model.count_params():,} parameters, median of {args.rounds} updates")
    print(f"{'optimizer':32} {'ms':>7}")
    for row in rows:
        print(f"{row['optimizer']:32} {row['ms']:7.1f}")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump({"parameters": model.count_params(), "rows": rows,
                   "command": "python " + " ".join([sys.argv[0]] + (argv if argv is not None else sys.argv[1:]))},
                  handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
