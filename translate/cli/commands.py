"""The ``translate`` command line: train, translate, evaluate, export, average, score, rerank.

Run ``translate SUBCOMMAND --help`` (or ``python -m translate ...``) for the options.
Errors a user can cause print one line (``error: ...``) and exit with status 2,
so do write errors (a full disk, a missing folder) and bad option values, which
are checked in one place (:func:`translate.cli.parser.number`). A closed pipe
(``| head``) ends the command quietly. SIGTERM is handled like Ctrl-C, and both
are raised only outside TensorFlow's code (:mod:`translate.cli.interrupts`): files
being written are left as they were, and the process then ends by the signal.
TensorFlow's start-up messages are hidden unless ``--verbose`` (:mod:`translate.cli.quiet`).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Sequence

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from translate import TranslateError  # noqa: E402  (light import, no TensorFlow)
from translate.cli.interrupts import Terminated, raised_where_safe  # noqa: E402
from translate.cli.parser import build_parser  # noqa: E402
from translate.cli.quiet import import_tensorflow, set_verbosity  # noqa: E402
from translate.data.lines import count_lines  # noqa: E402  (no TensorFlow)
from translate.runs.fileio import check_writable, read_lines, write_output  # noqa: E402


def _override_data_dir(overrides: list[str], data_dir: str | None) -> list[str]:
    if not data_dir:
        return overrides
    # JSON-quoted so that YAML takes the path literally ('#', ': ' and all).
    return overrides + [f"data.dir={json.dumps(os.path.abspath(data_dir))}"]


def _run_train(args: argparse.Namespace) -> int:
    from translate.config.schema import load_config

    overrides = _override_data_dir(args.set, args.data_dir)
    if args.init_from:  # JSON-quoted and absolute, as data.dir.
        origin = json.dumps(os.path.abspath(args.init_from))
        overrides = overrides + [f"training.init_from={origin}"]
    config = load_config(args.config, overrides)
    import_tensorflow()  # TensorFlow loads only once the config is good.
    from translate.training.train import train

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
    import_tensorflow()
    from translate.inference.translator import Translator

    translator = Translator.load(args.model)
    if args.batch_size is not None:
        translator.decoding = translator.search_settings(batch_size=args.batch_size)
    return translator


def _input_lines(args: argparse.Namespace):
    return list(args.text) if args.text else read_lines(args.input or "-")


def _warn_if_truncated(translation, number: int) -> None:
    """Says on stderr when input line ``number`` (1-based) was too long and was cut."""
    if translation.truncated:
        from translate.inference.translator import MAX_SOURCE_TOKENS

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
    if not os.path.isfile(args.input):  # a FIFO cannot be counted without consuming it
        return None
    try:
        lines = count_lines(args.input, decode=False)
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


def _run_translate(args: argparse.Namespace) -> int:
    """``translate translate``: a regular ``-o`` file is written under a temporary name and
    renamed when complete, so a failed or interrupted command leaves the previous file as it
    was (and ``-o`` may name the input itself)."""
    if args.output:
        check_writable(args.output, "-o")
    if args.attention_plot:
        from translate.inference.plots import check_plot_path

        check_plot_path(args.attention_plot, "--attention-plot")
    translator = _load_translator(args)
    options = _search_options(args)
    translator.search_settings(**options)  # bad options fail before any input is read
    inputs = [args.input] if args.input and args.input != "-" else []
    write_output(args.output, lambda out: _translate_to(out, translator, options, args), inputs)
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
        # A pipe or socket is answered chunk by chunk as its lines arrive: flush each answer.
        flush = out.flush if hasattr(lines, "ready") else None
        progress = _progress_bar(args, out)
        number = 0  # input line number, for warnings
        if args.attention_plot:  # attention for the first sentence only: memory stays flat
            first = next(lines, None)
            if first is not None:
                from translate.inference.plots import plot_attention

                translation = translator.translate([first], with_attention=True, **options)[0]
                if translation.attention is None or translation.attention.size == 0:
                    print(  # an empty line or translation: the other lines are still wanted
                        f"warning: no attention plot: the first translation is empty; "
                        f"{args.attention_plot} not written",
                        file=sys.stderr,
                    )
                else:
                    plot_attention(translation, args.attention_plot)
                print(_format(translation, args.format, translator.runs), file=out)
                if flush is not None:
                    flush()
                number += 1
                _warn_if_truncated(translation, number)
                if progress is not None:
                    progress.update()
        for translation in translator.translate_stream(
            lines, first_line=number, after_chunk=flush, **options
        ):
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
    import_tensorflow()
    from translate.inference.export import export

    path = export(args.model, args.out, version=args.version, **_search_options(args))
    print(f"exported {args.model} to {path}")
    print(
        "load it with: import tensorflow as tf, tensorflow_text; "
        f"tf.saved_model.load({path!r}).signatures['serving_default'](text=tf.constant([...]))"
    )
    return 0


def _run_score(args: argparse.Namespace) -> int:
    """``translate score``: forced decoding of ``-r`` given ``-i``, one line per pair."""
    import_tensorflow()
    from translate.inference.scoring import Scorer, read_pairs

    if args.output:
        check_writable(args.output, "-o")
    scorer = Scorer.load(args.model, batch_size=args.batch_size)
    pairs = read_pairs(args.input, args.reference)

    def produce(out) -> None:
        flush = out.flush if hasattr(pairs, "ready") else None  # answered as the pairs arrive
        for result in scorer.score_stream(pairs, after_chunk=flush):
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

    write_output(args.output, produce, [args.input, args.reference])
    return 0


def _run_rerank(args: argparse.Namespace) -> int:
    """``translate rerank``: a forward n-best list rescored by a reverse model.

    Without ``--tune-on-reference`` it streams ``-i`` (chunk by chunk, flat
    memory) and writes the chosen translation of each line (``--format text``) or
    one JSON object per line with every candidate's forward, reverse and combined
    score and the choice (``--format json``) to ``-o`` or standard output.

    With ``--tune-on-reference REF`` the input is a dev set held in memory: each
    weight of :data:`translate.inference.reranking.DEFAULT_WEIGHTS` gets its corpus BLEU
    against ``REF`` (one ``weight<TAB>BLEU`` line each on standard output, then the
    best weight), and ``-o``, if given, receives the dev set reranked with the
    best weight. Use that weight with ``--weight`` on the test set.
    """
    import_tensorflow()
    from translate.inference.reranking import DEFAULT_WEIGHT, Reranker

    if args.tune_on_reference and args.weight is not None:
        raise TranslateError(
            "--weight and --tune-on-reference exclude each other: tuning chooses the weight"
        )

    if args.output:
        check_writable(args.output, "-o")
    reranker = Reranker.load(
        args.model,
        args.reverse,
        weight=DEFAULT_WEIGHT if args.weight is None else args.weight,
        beam_size=args.beam_size,
        n_best=args.n_best,
        batch_size=args.batch_size,
    )
    runs = {"models": reranker.translator.runs, "reverse": args.reverse}
    if args.tune_on_reference:
        return _tune_rerank(args, reranker, runs)
    lines = read_lines(args.input)

    def produce(out) -> None:
        for result in reranker.rerank_stream(lines):
            print(_format_reranked(result, args.format, runs, reranker.weight), file=out)

    write_output(args.output, produce, [args.input])
    return 0


def _tune_rerank(args: argparse.Namespace, reranker, runs: dict) -> int:
    """``translate rerank --tune-on-reference``: BLEU per weight on a dev set, then the best."""
    from translate.inference.reranking import tune_weight
    from translate.inference.scoring import read_pairs

    pairs = list(read_pairs(args.input, args.tune_on_reference))
    candidates, reverse = reranker.candidates([source for source, _ in pairs])
    tuning = tune_weight(candidates, reverse, [reference for _, reference in pairs])
    print("weight\tBLEU")
    for weight, bleu in tuning.bleu.items():
        print(f"{weight:g}\t{bleu:.2f}")
    baseline = ""
    if 0.0 in tuning.bleu:
        baseline = f" (weight 0, beam search alone: {tuning.bleu[0.0]:.2f})"
    print(
        f"best weight {tuning.weight:g}: BLEU {tuning.bleu[tuning.weight]:.2f}{baseline} "
        f"on {len(pairs)} sentences; {tuning.signature}"
    )
    if args.output:
        reranker.weight = tuning.weight
        results = reranker.choose(candidates, reverse)

        def produce(out) -> None:
            for result in results:
                print(_format_reranked(result, args.format, runs, reranker.weight), file=out)

        write_output(args.output, produce, [args.input, args.tune_on_reference])
    return 0


def _format_reranked(result, output_format: str, runs: dict, weight: float) -> str:
    """One reranked line: the chosen translation, or a JSON record of every candidate."""
    if output_format != "json":
        return result.text
    candidates = result.candidates
    return json.dumps(
        {
            **runs,
            "weight": weight,
            "source": candidates.source,
            "translation": result.text,
            "choice": result.choice,
            "candidates": [
                {
                    "translation": hypothesis,
                    "forward": round(forward, 6),
                    "reverse": round(reverse, 6),
                    "combined": round(combined, 6),
                }
                for hypothesis, forward, reverse, combined in zip(
                    candidates.hypotheses,
                    candidates.forward_scores,
                    result.reverse_scores,
                    result.combined_scores,
                )
            ],
        },
        ensure_ascii=False,
    )


def _run_average(args: argparse.Namespace) -> int:
    import_tensorflow()
    from translate.runs.averaging import average_run, peak_rate_epochs

    output_dir, epochs = average_run(args.model, args.last, args.out)
    print(f"averaged epochs {', '.join(map(str, epochs))} of {args.model} into {output_dir}")
    if at_peak := peak_rate_epochs(args.model, epochs):
        print(
            f"note: epoch(s) {', '.join(map(str, at_peak))} ended at the run's peak learning "
            "rate; an average is meant for after the rate has decayed, so compare it with the "
            "run's own model on a dev set",
            file=sys.stderr,
        )
    return 0


def _run_evaluate(args: argparse.Namespace) -> int:
    import_tensorflow()
    from translate.inference.evaluation import check_outputs, evaluate

    check_outputs(args.hypotheses, args.json, args.attention_plots)
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
    print(f"TER {report['ter']:.2f}  signature: {report['signature']['ter']}")
    print(
        f"{report['sentences']} sentences, {report['sentences_per_second']:.1f} sentences/s, "
        f"hypotheses in {report['hypotheses_path']}"
    )
    if args.attention_plots:
        drawn = len(report["attention_plots"])
        why = "" if drawn else " (none: the first translations are empty)"
        print(f"{drawn} attention plots in {args.attention_plots}{why}")
    if args.json:
        from translate.runs.fileio import write_text

        write_text(args.json, json.dumps(report, indent=2, ensure_ascii=False))
        print(f"scores in {args.json}")
    return 0


def _run_serve(args: argparse.Namespace) -> int:
    """``translate serve``: a resident translator over HTTP (:mod:`translate.inference.serve`)."""
    import_tensorflow()
    from translate.inference.serve import Limits, Model, serve

    model = Model.load(args.model, _search_options(args))
    limits = Limits(args.max_body_bytes, args.max_sentences, args.max_chars)
    return serve(
        model,
        args.host,
        args.port,
        name=args.name,
        max_batch_size=args.max_batch_size,
        batch_timeout_ms=args.batch_timeout_ms,
        limits=limits,
    )


_COMMANDS = {
    "train": _run_train,
    "translate": _run_translate,
    "evaluate": _run_evaluate,
    "export": _run_export,
    "average": _run_average,
    "score": _run_score,
    "rerank": _run_rerank,
    "serve": _run_serve,
}


def _interrupt_hint(args: argparse.Namespace) -> str:
    """What an interrupted command says about its files (every file is written atomically)."""
    if args.command == "train":
        return "run the same command again to resume"
    if args.command == "translate" and not args.output:
        return "no file was being written"
    output = getattr(args, "output", None) or getattr(args, "out", None)
    if output:
        return f"{output} was left as it was"
    return "the files it was writing were left as they were"


def _silence_stdout() -> None:
    """Points standard output at ``/dev/null``, so the interpreter's last flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no file descriptor (a test's capture)
        pass


def _print_error(message: str) -> None:
    try:
        print(f"error: {message}", file=sys.stderr)
    except OSError:  # standard error closed too: nothing more to say
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status.

    Run as a program (``argv`` None), a command stopped by SIGTERM ends by that
    signal after its cleanup, as a shell expects of a terminated process.
    """
    args = build_parser().parse_args(argv)
    set_verbosity(args.verbose)
    try:
        with raised_where_safe():
            status = _COMMANDS[args.command](args)
        try:
            sys.stdout.flush()  # a closed pipe shows here rather than at the interpreter's exit
        except BrokenPipeError:
            raise
        except OSError as error:
            raise TranslateError(f"cannot write standard output: {error.strerror}") from None
        return status
    except TranslateError as error:
        _print_error(str(error))
        return 2
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly, like cat
        _silence_stdout()
        return 141
    except KeyboardInterrupt as interrupt:
        terminated = isinstance(interrupt, Terminated)
        try:
            print(f"\ninterrupted; {_interrupt_hint(args)}", file=sys.stderr, flush=True)
        except OSError:
            pass
        if terminated and argv is None:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
        return 143 if terminated else 130
    except OSError as error:  # a write or read the commands did not foresee
        name = f"{error.filename}: " if error.filename else ""
        _print_error(f"{name}{error.strerror or error}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
