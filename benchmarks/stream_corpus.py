"""Peak memory of streaming a big local corpus through the training input pipeline.

For each corpus size (default 20,000 and 2,000,000 lines of random words) it
writes a parallel corpus ``train.de`` / ``train.en``, then, in a fresh Python
process per size, runs what ``translate train`` runs on it with
``data.cache=none`` (``--cache memory`` to compare): ``sources.load_parallel``
(with its streaming line check), ``training_batches`` (tokenize in tf.data,
count the length filter in one full pass, shuffle, bucket, pad) and one epoch
over every batch (consumed in the graph with ``Dataset.reduce``, so Python
does not slow it down). The child reports its peak RSS (``ru_maxrss``) and its
RSS before the pipeline was built.

The goal: peak RSS at 2M lines within 20% of the peak at 20k lines, i.e. memory
does not grow with the corpus. The shuffle buffer (``training.shuffle_buffer``,
default 50,000 pairs) is the one part that does grow until it is full, so a
corpus smaller than the buffer holds fewer pairs in it.

Usage::

    python benchmarks/stream_corpus.py                      # 20k and 2M lines
    python benchmarks/stream_corpus.py --sizes 20000 200000 --out /tmp/s.json

Writes ``benchmarks/results/stream_corpus.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from common import RESULTS, current_rss_mb, peak_rss_mb, print_table, write_result


def write_corpus(folder: str, lines: int, words_per_line: tuple[int, int], seed: int) -> None:
    """Writes ``lines`` random-word sentence pairs as ``train.de`` and ``train.en`` (in chunks)."""
    import numpy as np  # pylint: disable=import-outside-toplevel

    rng = np.random.default_rng(seed)
    vocabulary = {
        side: np.array(
            ["".join(rng.choice(list(letters), rng.integers(2, 9))) for _ in range(3000)]
        )
        for side, letters in (("de", "abcdefghiklmnoprstuwzäöü"), ("en", "abcdefghiklmnoprstuwy"))
    }
    os.makedirs(folder, exist_ok=True)
    handles = {
        side: open(os.path.join(folder, f"train.{side}"), "w", encoding="utf-8")
        for side in vocabulary
    }
    try:
        for start in range(0, lines, 100_000):
            count = min(100_000, lines - start)
            lengths = rng.integers(words_per_line[0], words_per_line[1] + 1, count)
            for side, words in vocabulary.items():
                picks = words[rng.integers(0, len(words), int(lengths.sum()))]
                ends = np.cumsum(lengths)
                text = "\n".join(" ".join(picks[e - n : e]) for e, n in zip(ends, lengths))
                handles[side].write(text + "\n")
    finally:
        for handle in handles.values():
            handle.close()


def train_tokenizer(corpus: str, tokenizer_dir: str, vocab_size: int) -> None:
    """A joint tokenizer on the first 20,000 pairs (as ``data.tokenizer_sample`` would take)."""
    from translate.data import sources  # pylint: disable=import-outside-toplevel
    from translate.data.tokenizer import SubwordTokenizer  # pylint: disable=import-outside-toplevel

    pairs = sources.load_parallel(corpus, "de", "en", "train").take(20_000)
    src, tgt = zip(*[(s.decode(), t.decode()) for s, t in pairs.as_numpy_iterator()])
    SubwordTokenizer.train(list(src), list(tgt), vocab_size=vocab_size).save(tokenizer_dir)


def child(
    corpus: str, tokenizer_dir: str, batch_size: int, shuffle_buffer: int, cache: str
) -> dict:
    """Streams the corpus through the pipeline once; returns timings and RSS."""
    started = time.monotonic()
    from translate.data import sources  # pylint: disable=import-outside-toplevel
    from translate.data.pipeline import training_batches  # pylint: disable=import-outside-toplevel
    from translate.data.tokenizer import SubwordTokenizer  # pylint: disable=import-outside-toplevel

    tokenizer = SubwordTokenizer.load(tokenizer_dir)
    baseline = current_rss_mb()
    pairs = sources.load_parallel(corpus, "de", "en", "train")  # Checks both files, streaming.
    checked = time.monotonic()
    batches, counts = training_batches(
        pairs,
        tokenizer,
        batch_size=batch_size,
        max_length=100,
        bucket_width=4,
        shuffle_buffer=shuffle_buffer,
        seed=1234,
        cache=cache,
    )
    counted = time.monotonic()
    import tensorflow as tf  # pylint: disable=import-outside-toplevel

    def add(totals, batch):  # One epoch over every batch, counted in the graph.
        return totals + tf.stack([1, tf.shape(batch[1])[0]])

    steps, pairs_seen = (int(x) for x in batches.reduce(tf.zeros(2, tf.int32), add))
    done = time.monotonic()
    return {
        "pairs_kept": counts.kept,
        "pairs_batched": pairs_seen,
        "batches": steps,
        "baseline_rss_mb": round(baseline, 1),
        "end_rss_mb": round(current_rss_mb(), 1),
        "peak_rss_mb": peak_rss_mb(),
        "seconds_check": round(checked - started, 1),
        "seconds_count_pass": round(counted - checked, 1),
        "seconds_epoch": round(done - counted, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 2_000_000])
    parser.add_argument(
        "--words",
        type=int,
        nargs=2,
        default=[3, 10],
        metavar=("MIN", "MAX"),
        help="words per line (default 3 10)",
    )
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--shuffle-buffer", type=int, default=50_000)
    parser.add_argument("--vocab-size", type=int, default=8000)
    parser.add_argument("--cache", default="none", help="data.cache: none (default) or memory")
    parser.add_argument(
        "--work-dir", help="where the corpora go (default: a temporary folder, deleted)"
    )
    parser.add_argument("--out", default=os.path.join(RESULTS, "stream_corpus.json"))
    parser.add_argument("--child", nargs=2, metavar=("CORPUS", "TOKENIZER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = child(*args.child, args.batch_size, args.shuffle_buffer, args.cache)
        print("RESULT " + json.dumps(result))
        return 0

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    work = tempfile.TemporaryDirectory(dir=args.work_dir)
    results = []
    with work:
        tokenizer_dir = os.path.join(work.name, "tokenizer")
        for lines in sorted(args.sizes):
            corpus = os.path.join(work.name, f"corpus{lines}")
            started = time.monotonic()
            write_corpus(corpus, lines, tuple(args.words), seed=lines)
            written = time.monotonic() - started
            if not os.path.isdir(tokenizer_dir):  # One tokenizer, from the smallest corpus.
                train_tokenizer(corpus, tokenizer_dir, args.vocab_size)
            command = [
                sys.executable,
                os.path.abspath(__file__),
                "--child",
                corpus,
                tokenizer_dir,
                "--batch-size",
                str(args.batch_size),
                "--shuffle-buffer",
                str(args.shuffle_buffer),
                "--cache",
                args.cache,
            ]
            run = subprocess.run(command, capture_output=True, text=True, check=False)
            if run.returncode != 0:
                print(run.stdout + run.stderr, file=sys.stderr)
                return run.returncode
            result = json.loads(run.stdout.split("RESULT ", 1)[1].splitlines()[0])
            files = [os.path.join(corpus, name) for name in os.listdir(corpus)]
            corpus_mb = sum(os.path.getsize(path) for path in files) / 2**20
            result.update(
                lines=lines, corpus_mb=round(corpus_mb, 1), seconds_write=round(written, 1)
            )
            results.append(result)
            print(f"{lines:>10,} lines: peak RSS {result['peak_rss_mb']:.0f} MB", flush=True)
            for name in os.listdir(corpus):  # Free the disk before the next size.
                os.remove(os.path.join(corpus, name))

    small, large = results[0], results[-1]
    summary = {
        "peak_rss_ratio_largest_to_smallest": round(large["peak_rss_mb"] / small["peak_rss_mb"], 3),
        "pipeline_rss_growth_mb": {  # peak minus the RSS before the pipeline was built
            str(r["lines"]): round(r["peak_rss_mb"] - r["baseline_rss_mb"], 1) for r in results
        },
        "goal": "largest peak within 20% of the smallest (ratio <= 1.2)",
    }
    summary["goal_met"] = summary["peak_rss_ratio_largest_to_smallest"] <= 1.2
    report = {
        "settings": {
            "cache": args.cache,
            "batch_size": args.batch_size,
            "shuffle_buffer": args.shuffle_buffer,
            "vocab_size": args.vocab_size,
            "words_per_line": args.words,
            "max_length": 100,
        },
        "results": results,
        "summary": summary,
    }
    print_table(
        ["lines", "corpus MB", "batches", "base MB", "peak MB", "growth MB", "count s", "epoch s"],
        [
            [
                r["lines"],
                r["corpus_mb"],
                r["batches"],
                r["baseline_rss_mb"],
                r["peak_rss_mb"],
                r["peak_rss_mb"] - r["baseline_rss_mb"],
                r["seconds_count_pass"],
                r["seconds_epoch"],
            ]
            for r in results
        ],
        [",", ".1f", ",", ".0f", ".0f", ".0f", ".0f", ".0f"],
    )
    print(
        f"peak ratio {summary['peak_rss_ratio_largest_to_smallest']:.3f} "
        f"({'within' if summary['goal_met'] else 'NOT within'} 20%)"
    )
    write_result(args.out, __file__, argv, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
