"""The ``translate`` command line's grammar: its commands, options and their checks.

Every numeric option is parsed by one :func:`number` type, so a bad value
(``-1``, ``nan``, ``inf``, ``2.5`` for an integer) is one ``error: argument
--OPTION: ...`` line naming the value, before any work; every usage error is
one such line with exit status 2 (:class:`_Parser`). What each command does
is in :mod:`translate.cli.commands`.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import NoReturn


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one ``error: ...`` line with exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see '{self.prog} --help')\n")


def number(kind: type, minimum: float, above: bool = False) -> Callable[[str], int | float]:
    """An argparse ``type``: an int or a finite float of at least ``minimum`` (above it if
    ``above``).

    Every numeric option of the command line is parsed by one of these, so a
    bad value (``-1``, ``nan``, ``inf``, ``2.5`` for an integer) is one
    ``error: argument --OPTION: ...`` line naming the value, before any work.
    """

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            noun = "an integer" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"must be {noun}, got {text!r}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
        if value < minimum or (above and value == minimum):
            relation = ">" if above else ">="
            raise argparse.ArgumentTypeError(f"must be {relation} {minimum:g}, got {text!r}")
        return value

    parse.__name__ = kind.__name__
    return parse


COUNT, POSITIVE_COUNT, PENALTY = number(int, 0), number(int, 1), number(float, 0.0)
TEMPERATURE = number(float, 0.0, above=True)


def _add_search_options(parser: argparse.ArgumentParser, batch_size: bool = True) -> None:
    """The ``decoding`` settings a command can override; the config checks the values."""
    default = " (default: the run's config)"
    add = parser.add_argument
    add("--beam-size", type=POSITIVE_COUNT, help="beam width; 1 is greedy search" + default)
    add("--length-penalty", type=PENALTY, help="GNMT length penalty alpha" + default)
    add("--coverage-penalty", type=PENALTY, help="GNMT coverage penalty beta" + default)
    add("--n-best", type=POSITIVE_COUNT, help="hypotheses per sentence" + default)
    add(
        "--sampling-topk",
        type=COUNT,
        metavar="K",
        help="sample each token at random from the K most probable (0 = all) instead of "
        "searching; beam size and n-best become 1" + default,
    )
    add("--sampling-temperature", type=TEMPERATURE, metavar="T", help="temperature > 0" + default)
    add("--seed", type=COUNT, help="sampling seed; the same seed repeats a sample" + default)
    add("--precision", help="float32, mixed_bfloat16, mixed_float16 or auto" + default)
    if batch_size:
        add("--batch-size", type=POSITIVE_COUNT, help="sentences translated together" + default)


_VERBOSE_HELP = "show TensorFlow's start-up and log messages too"


def build_parser() -> argparse.ArgumentParser:
    """The ``translate`` parser: the global ``--verbose`` and one subparser per command."""
    parser = _Parser(
        prog="translate", description="Train and use an LSTM encoder-decoder translator."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help=_VERBOSE_HELP)
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
    train.add_argument(
        "--init-from",
        metavar="RUN_DIR",
        help="start a new run from the best model and tokenizer of this trained run "
        "(sets training.init_from)",
    )

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
        help="write the detokenized translations (default: RUN_DIR/SPLIT.beamN[.lpA][.cpB]"
        "[.firstN].hyp, named by the split, search settings and --limit)",
    )
    evaluate.add_argument(
        "--limit", type=COUNT, default=0, help="score only the first N sentences (0: all)"
    )
    evaluate.add_argument(
        "--attention-plots", metavar="DIR", help="save attention plots of the first sentences"
    )
    evaluate.add_argument(
        "--plots", type=COUNT, default=5, help="how many attention plots (default 5)"
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
        "--version", type=POSITIVE_COUNT, help="version folder number (default: next free one)"
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
        "--batch-size",
        type=POSITIVE_COUNT,
        help="pairs scored together (default: the run's config)",
    )

    _add_rerank(commands)
    _add_serve(commands)

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
        "--last", type=POSITIVE_COUNT, default=5, help="how many of the newest epochs (default 5)"
    )
    average.add_argument("--out", help="output run directory (default: MODEL/averaged-last-N)")
    for command in commands.choices.values():  # --verbose after the command name works too
        command.add_argument(
            "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=_VERBOSE_HELP
        )
    return parser


def _add_rerank(commands) -> None:
    """``translate rerank`` (the work: :func:`translate.cli.commands._run_rerank`)."""
    rerank = commands.add_parser(
        "rerank",
        help="rerank the n-best list with a reverse-direction model (noisy channel)",
        description="Beam search with --model gives n-best hypotheses y with search scores f; "
        "the --reverse run (trained the other way round) scores the source given each, r = "
        "log P(source | y) per subword; the choice maximizes f + weight * r (weight 0: beam "
        "search's own 1-best). With --tune-on-reference, prints the corpus BLEU of each weight "
        "of a grid on the input and the best weight (see translate/inference/reranking.py).",
    )
    add = rerank.add_argument
    add("--model", required=True, action="append", help=_ENSEMBLE_HELP)
    add("--reverse", required=True, help="run directory of a model trained target -> source")
    add("-i", "--input", required=True, help="source sentences, one per line ('-': stdin)")
    add("-o", "--output", help="write the chosen translations here instead of standard output")
    add("--beam-size", type=POSITIVE_COUNT, help="beam width (default: the run's config)")
    add("--n-best", type=POSITIVE_COUNT, help="hypotheses reranked (default: the beam size)")
    add("--weight", type=PENALTY, help="weight of the reverse score, >= 0 (default 1.0)")
    add("--batch-size", type=POSITIVE_COUNT, help="sentences together (default: the configs)")
    add(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: the chosen translation per line; json: one object per line with every "
        "candidate's forward, reverse and combined score and the choice",
    )
    add(
        "--tune-on-reference",
        metavar="REF",
        help="-i is a dev set and REF its references: print each grid weight's BLEU and the "
        "best weight (-o, if given, gets the dev set reranked with it)",
    )


def _add_serve(commands) -> None:
    """``translate serve`` (the work: :mod:`translate.inference.serve`)."""
    serve = commands.add_parser(
        "serve",
        help="serve a model over HTTP with TensorFlow Serving's REST API, and a page to try it",
        description='Answers POST /v1/models/NAME:predict ({"instances": ["text", ...]} or '
        '{"inputs": {"text": [...]}}) as TensorFlow Serving does for the export\'s '
        "signature, GET /v1/models/NAME (status), GET /healthz, and GET / (a page to try it). "
        "Requests arriving together are translated in one batch. SIGTERM or Ctrl-C drains the "
        "requests in flight, then exits.",
    )
    add = serve.add_argument
    add("--model", required=True, help="run directory, or an export folder (or its version)")
    add("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine)")
    add("--port", type=number(int, 0), default=8501, help="port (default 8501; 0: a free one)")
    add("--name", default="translate", help="model name in the URLs (default translate)")
    add(
        "--max-batch-size",
        type=POSITIVE_COUNT,
        default=64,
        help="most sentences translated together (default 64)",
    )
    add(
        "--batch-timeout-ms",
        type=PENALTY,
        default=5.0,
        help="how long a batch waits for more requests, in ms (default 5)",
    )
    add(
        "--max-body-bytes",
        type=POSITIVE_COUNT,
        default=1 << 20,
        help="largest request body (default 1 MiB; larger: 413)",
    )
    add(
        "--max-sentences",
        type=POSITIVE_COUNT,
        default=256,
        help="most sentences per request (default 256; more: 413)",
    )
    add(
        "--max-chars",
        type=POSITIVE_COUNT,
        default=10_000,
        help="longest sentence in characters (default 10000; longer: 400)",
    )
    _add_search_options(serve, batch_size=False)


_ENSEMBLE_HELP = (
    "run directory written by 'translate train'; repeat for an ensemble of runs that share "
    "a tokenizer (their probabilities are averaged)"
)
