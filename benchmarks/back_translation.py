"""Back-translation: a training corpus whose extra sources are the reverse model's translations.

    # 1. a reverse-direction model (English->German to back-translate for German->English)
    translate train --config configs/multi30k_en_de_2h.yaml --run-dir runs/bt-en-de \
        --set training.max_minutes=55
    # 2. translate the training targets (English) back into the source language
    python benchmarks/back_translation.py --reverse runs/bt-en-de --corpus runs/bt-corpus-de-en
    # 3. train the forward model on the original and the synthetic pairs, then score it
    python benchmarks/quality.py --train de-en-bt=configs/multi30k_de_en_2h.yaml \
        --set data.source=runs/bt-corpus-de-en --set data.tokenizer_dir=runs/bt-en-de/tokenizer \
        --minutes 55 --select-on val --beams 1 10

The reverse run translates its target-to-source direction's training targets:
for a reverse run trained ``en -> de``, the forward direction is ``de -> en``,
and every English training sentence gets a synthetic German source. The
corpus folder (a ``data.source`` any config can name) then holds

* ``train.SRC`` / ``train.TGT``: the original pairs, then the synthetic ones
  (the same targets, each after its original);
* every other split of the corpus (``val``, ``test_2016_flickr``, ...) copied
  unchanged, so that dev BLEU during training and the scores afterwards read
  the same sentences as for the original corpus.

The forward run can reuse the reverse run's tokenizer (``data.tokenizer_dir``)
when its vocabulary is joint, as in the two-hour recipes: one SentencePiece
model then serves both directions, trained on the original corpus.

On Multi30k the targets are the corpus's own, so back-translation adds
differently worded sources for the same targets, not new text. The search that
writes the synthetic sources is the reverse run's config unless given: greedy
(``--beam-size 1``), beam search, or sampling (``--sampling-top-k``), which
gives more varied sources than the most probable one. The seconds it takes are
written to ``CORPUS/back_translation.json`` and to ``--out``: a two-hour budget
counts them with the two training times.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from common import RESULTS, add_data_dir_argument, write_json, write_result  # noqa: E402

from translate.data.sources import read_lines, split_names  # noqa: E402
from translate.inference.translator import Translator  # noqa: E402
from translate.runs.fileio import write_text  # noqa: E402
from translate.runs.rundir import check_run_dir  # noqa: E402


def _write_lines(path: str, lines: list[str]) -> None:
    """Writes one sentence per line, atomically (:func:`translate.runs.fileio.write_text`)."""
    write_text(path, "".join(f"{line}\n" for line in lines))


def back_translate(
    translator: Translator, targets: list[str], search: dict, report_every: int = 2000
) -> list[str]:
    """The reverse model's translation of each target, in order, with progress on stderr."""
    synthetic = []
    start = time.perf_counter()
    for translation in translator.translate_stream(targets, chunk_size=report_every, **search):
        synthetic.append(translation.text)
        if len(synthetic) % report_every == 0 or len(synthetic) == len(targets):
            rate = len(synthetic) / (time.perf_counter() - start)
            print(
                f"  {len(synthetic):,}/{len(targets):,} ({rate:.1f} sentences/s)", file=sys.stderr
            )
    return synthetic


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reverse", required=True, help="run trained in the reverse direction")
    parser.add_argument("--corpus", required=True, help="folder to write the corpus into")
    parser.add_argument("--split", default="train", help="the split to back-translate")
    add_data_dir_argument(parser)
    parser.add_argument("--beam-size", type=int, help="default: the reverse run's config")
    parser.add_argument("--length-penalty", type=float)
    parser.add_argument("--sampling-top-k", type=int, help="sample instead of searching")
    parser.add_argument("--sampling-temperature", type=float)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--out", default=os.path.join(RESULTS, "back_translation.json"))
    args = parser.parse_args(argv)

    run = check_run_dir(args.reverse)
    config = run.load_config()
    data = config.data
    # The reverse run translates tgt_lang -> src_lang; the corpus is for src_lang <- tgt_lang.
    forward_src, forward_tgt = data.tgt_lang, data.src_lang
    data_dir = args.data_dir or data.dir
    os.makedirs(args.corpus, exist_ok=True)

    sources, targets = read_lines(data.source, forward_src, forward_tgt, args.split, data_dir)
    translator = Translator.load(args.reverse, config)
    search = {
        "beam_size": args.beam_size,
        "length_penalty": args.length_penalty,
        "sampling_topk": args.sampling_top_k,
        "sampling_temperature": args.sampling_temperature,
        "seed": args.seed,
    }
    settings = translator.search_settings(**search)
    print(
        f"back-translating {len(targets):,} {args.split} sentences "
        f"{forward_tgt}->{forward_src} with {args.reverse}",
        file=sys.stderr,
    )
    start = time.perf_counter()
    synthetic = back_translate(translator, targets, search)
    seconds = time.perf_counter() - start

    _write_lines(os.path.join(args.corpus, f"{args.split}.{forward_src}"), sources + synthetic)
    _write_lines(os.path.join(args.corpus, f"{args.split}.{forward_tgt}"), targets + targets)
    copied = []
    for split in split_names(data.source, forward_src, forward_tgt, data_dir):
        if split == args.split:
            continue
        split_sources, split_targets = read_lines(
            data.source, forward_src, forward_tgt, split, data_dir
        )
        _write_lines(os.path.join(args.corpus, f"{split}.{forward_src}"), split_sources)
        _write_lines(os.path.join(args.corpus, f"{split}.{forward_tgt}"), split_targets)
        copied.append(split)

    unchanged = sum(source == new for source, new in zip(sources, synthetic))
    result = {
        "reverse_run": args.reverse,
        "corpus": args.corpus,
        "direction": f"{forward_src}-{forward_tgt}",
        "split": args.split,
        "original_pairs": len(sources),
        "synthetic_pairs": len(synthetic),
        "synthetic_equal_to_original": unchanged,
        "empty_synthetic": sum(not text.strip() for text in synthetic),
        "copied_splits": copied,
        "search": {
            "beam_size": settings.beam_size,
            "length_penalty": settings.length_penalty,
            "sampling_topk": settings.sampling_topk,
            "sampling_temperature": settings.sampling_temperature,
            "seed": settings.seed,
        },
        "seconds": round(seconds, 1),
        "sentences_per_second": round(len(targets) / seconds, 2) if seconds else None,
    }
    write_json(os.path.join(args.corpus, "back_translation.json"), result)
    print(
        f"{len(synthetic):,} synthetic {forward_src} sources in {seconds:.0f} s; "
        f"{unchanged:,} equal to the original source; corpus: {args.corpus} "
        f"(splits copied: {', '.join(copied)})"
    )
    write_result(args.out, __file__, argv, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
