"""The ``translate`` command line: train, translate, evaluate, export, average.

Run ``translate SUBCOMMAND --help`` (or ``python -m translate ...``) for the options.
Errors a user can cause print one line (``error: ...``) and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from translate.errors import TranslateError  # noqa: E402  (light import, no TensorFlow)
from translate.fileio import atomic_write  # noqa: E402


def _add_search_options(parser: argparse.ArgumentParser, batch_size: bool = True) -> None:
    """The ``decoding`` settings a command can override; the config checks the values."""
    default = " (default: the run's config)"
    add = parser.add_argument
    add("--beam-size", type=int, help="beam width; 1 is greedy search" + default)
    add("--length-penalty", type=float, help="GNMT length penalty alpha" + default)
    add("--coverage-penalty", type=float, help="GNMT coverage penalty beta" + default)
    add("--n-best", type=int, help="hypotheses per sentence" + default)
    add(
        "--sampling-topk",
        type=int,
        metavar="K",
        help="sample each token at random from the K most probable (0 = all) instead of "
        "searching; beam size and n-best become 1" + default,
    )
    add("--sampling-temperature", type=float, metavar="T", help="temperature > 0" + default)
    add("--seed", type=int, help="sampling seed; the same seed repeats a sample" + default)
    add("--precision", help="float32, mixed_bfloat16, mixed_float16 or auto" + default)
    if batch_size:
        add("--batch-size", type=int, help="sentences translated together" + default)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="translate", description="Train and use an LSTM encoder-decoder translator."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser("train", help="train a model (resumes an interrupted run)")
    train.add_argument(
        "--config", required=True, help="experiment YAML, e.g. configs/multi30k_de_en_quick.yaml"
    )
    train.add_argument("--run-dir", required=True, help="where the model, tokenizer and logs go")
    train.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a config key, e.g. --set training.epochs=3 (repeatable)",
    )
    train.add_argument("--data-dir", help="local folder of the corpus files (sets data.dir)")

    translate = commands.add_parser("translate", help="translate text with a trained model")
    translate.add_argument("--model", required=True, action="append", help=_ENSEMBLE_HELP)
    translate.add_argument(
        "text", nargs="*", help="sentences to translate (else -i FILE or standard input)"
    )
    translate.add_argument(
        "-i", "--input", help="file with one sentence per line ('-' for standard input)"
    )
    translate.add_argument(
        "-o", "--output", help="write translations here instead of standard output"
    )
    translate.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: one translation per line; json: one object per line with n-best and scores",
    )
    translate.add_argument(
        "--attention-plot",
        metavar="FILE.png",
        help="draw the attention matrix of the first sentence",
    )
    _add_search_options(translate)

    evaluate = commands.add_parser(
        "evaluate", help="translate a test split and score it with sacreBLEU"
    )
    evaluate.add_argument("--model", required=True, action="append", help=_ENSEMBLE_HELP)
    evaluate.add_argument("--split", help="split to score (default: the config's data.test_split)")
    evaluate.add_argument("--data-dir", help="local folder of the corpus files (sets data.dir)")
    evaluate.add_argument("--json", metavar="FILE", help="write scores and signatures as JSON")
    evaluate.add_argument(
        "--hypotheses",
        metavar="FILE",
        help="write the detokenized translations (default: RUN_DIR/SPLIT.beamN.hyp)",
    )
    evaluate.add_argument("--limit", type=int, default=0, help="score only the first N sentences")
    evaluate.add_argument(
        "--attention-plots", metavar="DIR", help="save attention plots of the first sentences"
    )
    evaluate.add_argument(
        "--plots", type=int, default=5, help="how many attention plots (default 5)"
    )
    _add_search_options(evaluate)

    export = commands.add_parser(
        "export",
        help="write a TensorFlow SavedModel (strings in, strings out) for serving",
        description="Writes EXPORT_DIR/<version>/, a SavedModel whose 'serving_default' signature "
        "maps 'text' (batch,) strings to 'translations' and 'scores' (batch, n_best), with "
        "tokenization and search in the graph. Versions are 1, 2, ... (TensorFlow Serving's "
        "layout); load with tf.saved_model.load after 'import tensorflow_text'.",
    )
    export.add_argument("--model", required=True, help="run directory written by 'translate train'")
    export.add_argument(
        "--out",
        required=True,
        metavar="EXPORT_DIR",
        help="base directory; the export goes into EXPORT_DIR/<next version>/",
    )
    export.add_argument(
        "--version", type=int, help="version folder number (default: next free one)"
    )
    _add_search_options(export, batch_size=False)

    score = commands.add_parser(
        "score",
        help="score given translations: their log-probability under the model",
        description="Forced decoding: for each line pair of -i and -r, prints the "
        "length-normalized score, the summed log-probability of the reference's subwords "
        "and </s>, and their number, tab-separated (score = logprob / subwords).",
    )
    score.add_argument("--model", required=True, action="append", help=_ENSEMBLE_HELP)
    score.add_argument("-i", "--input", required=True, help="source sentences, one per line")
    score.add_argument(
        "-r", "--reference", required=True, help="their translations to score, one per line"
    )
    score.add_argument("-o", "--output", help="write the scores here instead of standard output")
    score.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: 'score<TAB>logprob<TAB>subwords' per line; json: one object per line",
    )
    score.add_argument(
        "--batch-size", type=int, help="pairs scored together (default: the run's config)"
    )

    average = commands.add_parser(
        "average",
        help="average the weights of a run's last epochs into a new run directory",
        description="Averages the weight snapshots of the last N epochs (training keeps "
        "training.keep_checkpoints of them) and writes a run directory with the averaged "
        "model, which translate/evaluate/export take like any other.",
    )
    average.add_argument(
        "--model", required=True, help="run directory written by 'translate train'"
    )
    average.add_argument(
        "--last", type=int, default=5, help="how many of the newest epochs (default 5)"
    )
    average.add_argument("--out", help="output run directory (default: MODEL/averaged-last-N)")
    return parser


_ENSEMBLE_HELP = (
    "run directory written by 'translate train'; repeat for an ensemble of runs that share "
    "a tokenizer (their probabilities are averaged)"
)


def _override_data_dir(overrides: list[str], data_dir: str | None) -> list[str]:
    if not data_dir:
        return overrides
    # JSON-quoted so that YAML takes the path literally ('#', ': ' and all).
    return overrides + [f"data.dir={json.dumps(os.path.abspath(data_dir))}"]


def _run_train(args: argparse.Namespace) -> int:
    from translate.config import load_config

    config = load_config(args.config, _override_data_dir(args.set, args.data_dir))
    from translate.training import train  # TensorFlow loads only once the config is good.

    train(config, args.run_dir)
    return 0


def _search_options(args: argparse.Namespace) -> dict:
    return {
        "beam_size": args.beam_size,
        "length_penalty": args.length_penalty,
        "coverage_penalty": args.coverage_penalty,
        "n_best": args.n_best,
        "sampling_topk": args.sampling_topk,
        "sampling_temperature": args.sampling_temperature,
        "seed": args.seed,
        "precision": args.precision,
    }


def _load_translator(args: argparse.Namespace):
    from translate.translator import Translator

    if len(args.model) == 1:
        translator = Translator.load(args.model[0])
    else:
        translator = Translator.load_ensemble(args.model)
    if args.batch_size is not None:
        translator.decoding = translator.search_settings(batch_size=args.batch_size)
    return translator


def _input_lines(args: argparse.Namespace):
    if args.text:
        return list(args.text)
    if args.input and args.input != "-":
        try:
            handle = open(args.input, encoding="utf-8", errors="replace", newline="\n")
        except OSError as error:
            raise TranslateError(f"cannot read {args.input}: {error.strerror}") from None
        return (line.rstrip("\r\n") for line in handle)
    if hasattr(sys.stdin, "reconfigure"):  # Like -i FILE: bad bytes become U+FFFD, lines end at \n.
        sys.stdin.reconfigure(encoding="utf-8", errors="replace", newline="\n")
    return (line.rstrip("\r\n") for line in sys.stdin)


def _warn_if_truncated(translation, number: int) -> None:
    """Says on stderr when input line ``number`` (1-based) was too long and was cut."""
    if translation.truncated:
        from translate.translator import MAX_SOURCE_TOKENS

        print(
            f"warning: line {number} is longer than {MAX_SOURCE_TOKENS} subwords; "
            "only its beginning was translated",
            file=sys.stderr,
        )


def _progress_bar(args: argparse.Namespace, out):
    """A tqdm bar on stderr for ``-i FILE`` when the output is not a terminal, else None.

    Only when stderr is a terminal too, so logs of batch jobs stay clean.
    """
    if args.text or not args.input or args.input == "-":
        return None
    if out.isatty() or not sys.stderr.isatty():
        return None
    try:
        with open(args.input, "rb") as handle:
            lines, last = 0, b"\n"
            for block in iter(lambda: handle.read(1 << 20), b""):
                lines += block.count(b"\n")
                last = block[-1:]
            lines += last != b"\n"
    except OSError:
        return None
    from tqdm import tqdm

    return tqdm(total=lines, unit="line", file=sys.stderr, dynamic_ncols=True, mininterval=0.5)


def _format(translation, output_format: str, runs=()) -> str:
    if output_format == "json":
        return json.dumps(
            {
                "models": list(runs),
                "source": translation.source,
                "translation": translation.text,
                "n_best": [
                    {"translation": h, "score": round(s, 4)}
                    for h, s in zip(translation.hypotheses, translation.scores)
                ],
            },
            ensure_ascii=False,
        )
    return translation.text


def _writes_in_place(path: str) -> bool:
    """Whether ``-o PATH`` is written directly: it exists and is no regular file (a FIFO,
    ``/dev/stdout``), so it cannot be replaced by a renamed temporary and must stream."""
    return os.path.exists(path) and not os.path.isfile(path)


def _run_translate(args: argparse.Namespace) -> int:
    """``translate translate``: a regular ``-o`` file is written under a temporary name and
    renamed when complete, so a failed or interrupted command leaves the previous file as it
    was (and ``-o`` may name the input itself)."""
    translator = _load_translator(args)
    options = _search_options(args)
    translator.search_settings(**options)  # bad options fail before any input is read
    if not args.output:
        return _translate_to(sys.stdout, translator, options, args)
    if _writes_in_place(args.output):
        try:
            out = open(args.output, "w", encoding="utf-8")
        except OSError as error:
            raise TranslateError(f"cannot write {args.output}: {error.strerror}") from None
        with out:
            return _translate_to(out, translator, options, args)

    folder = os.path.dirname(os.path.abspath(args.output))
    if not os.path.isdir(folder):
        raise TranslateError(f"cannot write {args.output}: no folder {folder}")

    def write(temporary: str) -> None:
        with open(temporary, "w", encoding="utf-8") as out:
            _translate_to(out, translator, options, args)

    atomic_write(args.output, write)
    return 0


def _translate_to(out, translator, options: dict, args: argparse.Namespace) -> int:
    """Translates the command's input (arguments, ``-i`` or standard input) into ``out``."""
    interactive = not args.text and not args.input and sys.stdin.isatty()
    progress = None
    try:
        if interactive:
            print("Type a sentence and press Enter (Ctrl-D to quit).", file=sys.stderr)
            for number, line in enumerate(sys.stdin, start=1):
                translation = translator.translate(
                    [line.rstrip("\n")], first_line=number - 1, **options
                )[0]
                print(_format(translation, args.format, translator.runs), file=out, flush=True)
                _warn_if_truncated(translation, number)
            return 0
        lines = iter(_input_lines(args))
        progress = _progress_bar(args, out)
        number = 0  # input line number, for warnings
        if args.attention_plot:  # attention for the first sentence only: memory stays flat
            first = next(lines, None)
            if first is not None:
                from translate.plots import plot_attention

                translation = translator.translate([first], with_attention=True, **options)[0]
                plot_attention(translation, args.attention_plot)
                print(_format(translation, args.format, translator.runs), file=out)
                number += 1
                _warn_if_truncated(translation, number)
                if progress is not None:
                    progress.update()
        for translation in translator.translate_stream(lines, first_line=number, **options):
            print(_format(translation, args.format, translator.runs), file=out)
            number += 1
            _warn_if_truncated(translation, number)
            if progress is not None:
                progress.update()
    finally:
        if progress is not None:
            progress.close()
    return 0


def _run_export(args: argparse.Namespace) -> int:
    from translate.export import export

    path = export(args.model, args.out, version=args.version, **_search_options(args))
    print(f"exported {args.model} to {path}")
    print(
        "load it with: import tensorflow as tf, tensorflow_text; "
        f"tf.saved_model.load({path!r}).signatures['serving_default'](text=tf.constant([...]))"
    )
    return 0


def _write_output(path: str | None, produce) -> None:
    """Calls ``produce(out)`` on standard output, or on ``path``: a regular file is written
    under a temporary name and renamed when complete (:func:`translate.fileio.atomic_write`),
    a FIFO or device directly."""
    if not path:
        produce(sys.stdout)
        return
    if _writes_in_place(path):
        try:
            out = open(path, "w", encoding="utf-8")
        except OSError as error:
            raise TranslateError(f"cannot write {path}: {error.strerror}") from None
        with out:
            produce(out)
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise TranslateError(f"cannot write {path}: no folder {folder}")

    def write(temporary: str) -> None:
        with open(temporary, "w", encoding="utf-8") as out:
            produce(out)

    atomic_write(path, write)


def _run_score(args: argparse.Namespace) -> int:
    """``translate score``: forced decoding of ``-r`` given ``-i``, one line per pair."""
    from translate.scoring import Scorer, read_pairs

    scorer = Scorer.load(args.model, batch_size=args.batch_size)
    pairs = read_pairs(args.input, args.reference)

    def produce(out) -> None:
        for result in scorer.score_stream(pairs):
            if args.format == "json":
                record = {
                    "models": scorer.runs,
                    "score": round(result.score, 6),
                    "logprob": round(result.logprob, 6),
                    "subwords": result.subwords,
                }
                print(json.dumps(record), file=out)
            else:
                print(f"{result.score:.6f}\t{result.logprob:.6f}\t{result.subwords}", file=out)

    _write_output(args.output, produce)
    return 0


def _run_average(args: argparse.Namespace) -> int:
    from translate.averaging import average_run

    output_dir, epochs = average_run(args.model, args.last, args.out)
    print(f"averaged epochs {', '.join(map(str, epochs))} of {args.model} into {output_dir}")
    return 0


def _run_evaluate(args: argparse.Namespace) -> int:
    from translate.evaluation import evaluate

    report = evaluate(
        args.model,
        split=args.split,
        data_dir=args.data_dir,
        limit=args.limit,
        hypotheses_path=args.hypotheses,
        attention_plots=args.attention_plots,
        plots=args.plots,
        batch_size=args.batch_size,
        **_search_options(args),
    )
    print(report["bleu_detail"])
    print(f"BLEU {report['bleu']:.2f}  signature: {report['signature']['bleu']}")
    print(f"chrF {report['chrf']:.2f}  signature: {report['signature']['chrf']}")
    print(
        f"{report['sentences']} sentences, {report['sentences_per_second']:.1f} sentences/s, "
        f"hypotheses in {report['hypotheses_path']}"
    )
    if args.json:
        from translate.fileio import write_text

        write_text(args.json, json.dumps(report, indent=2, ensure_ascii=False))
    return 0


_COMMANDS = {
    "train": _run_train,
    "translate": _run_translate,
    "evaluate": _run_evaluate,
    "export": _run_export,
    "average": _run_average,
    "score": _run_score,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except TranslateError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if args.command == "train":
            hint = "run the same command again to resume"
        else:
            hint = "a file it was writing is left as it was before"
        print(f"\ninterrupted; {hint}", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
