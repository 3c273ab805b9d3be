"""One optimizer update of the reference model: Keras' Adam against the fused one.

    python benchmarks/optimizer_step.py

Builds the reference architecture (embeddings 256, bidirectional LSTM 512,
decoder 512 with Bahdanau attention and input feeding, 8,000 subwords), takes
the gradients of one random batch, then times ``optimizer.apply`` (with the
reference config's global-norm clipping at 1.0) for ``keras.optimizers.Adam``
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

from translate.model import Seq2Seq  # noqa: E402
from translate.optimizers import FusedAdam  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vocab", type=int, default=8000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--out", default=os.path.join(RESULTS, "optimizer_step.json"))
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(0)
    model = Seq2Seq(args.vocab, args.vocab, embedding_dim=256, encoder_units=512, decoder_units=512,
                    attention="bahdanau", input_feeding=True)
    model.build()
    source = tf.random.uniform((64, 16), 4, args.vocab, tf.int32)  # (batch, src_len)
    target = tf.random.uniform((64, 16), 4, args.vocab, tf.int32)  # (batch, tgt_len)
    with tf.GradientTape() as tape:
        logits = model({"source": source, "target_in": target})
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(target, logits))
    gradients = tape.gradient(loss, model.trainable_variables)

    updates = {}
    for name, optimizer in [("keras.optimizers.Adam", keras.optimizers.Adam(1e-5, global_clipnorm=1.0)),
                            ("translate.optimizers.FusedAdam", FusedAdam(1e-5, global_clipnorm=1.0))]:
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
