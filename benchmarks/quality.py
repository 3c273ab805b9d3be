"""Translation quality of trained runs: sacreBLEU and chrF with greedy and beam search.

    # score runs that are already trained (LABEL=RUN, or LABEL=RUN1+RUN2 for an ensemble)
    python benchmarks/quality.py --run de-en=runs/reference_de_en --run en-de=runs/reference_en_de
    # train first (resumes if interrupted), with a wall-time budget, then score
    python benchmarks/quality.py --train de-en=configs/multi30k_de_en.yaml --minutes 60
    # choose the beam size and length penalty on val, then score the test split once
    python benchmarks/quality.py --run de-en=runs/reference_de_en --select-on val \
        --beams 1 5 10 --length-penalties 0.6 1.0 1.4

For each run (and for its checkpoint averages when ``--average N [N ...]`` is
given and the run kept that many epoch snapshots), translates the test split greedily
and with each beam size, writes the detokenized hypotheses to
``benchmarks/results/quality/LABEL[.avgN].SPLIT.beamB[.lpA].LANG`` (re-score
them with ``sacrebleu REF -i HYP``), prints a table and writes
``benchmarks/results/quality.json``: BLEU, chrF, their signatures, the CPU,
training wall time, optimizer steps, the target subwords seen (an estimate:
steps x pairs per batch x mean target subwords of the training pairs),
epochs, parameters and the config.

With ``--select-on SPLIT`` no choice touches the test split: every beam size
above 1 and length penalty of the grid is scored on SPLIT, for the run's model
and, with ``--average N [N ...]``, for its checkpoint averages too; the best (BLEU,
then the smaller beam) is kept, and the test split is translated once greedily
and once with that model and setting. The grid's scores go into each row.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from common import RESULTS, ROOT, add_data_dir_argument, cpu_model, print_table, write_result  # noqa: E402

from translate.config.schema import config_to_dict, load_config  # noqa: E402
from translate.data.sources import read_lines  # noqa: E402
from translate.data.tokenizer import SubwordTokenizer  # noqa: E402
from translate.inference.evaluation import evaluate  # noqa: E402
from translate.inference.translator import load_model  # noqa: E402
from translate.runs.rundir import RunDir  # noqa: E402


def _labelled(items: list[str], flag: str) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        label, sep, path = item.partition("=")
        if not sep or not label or not path:
            raise SystemExit(
                f"{flag} {item!r}: expected LABEL=PATH, e.g. de-en=runs/reference_de_en"
            )
        pairs.append((label, path))
    return pairs


def _training_record(run_dir: str) -> dict:
    """Wall time, steps, epochs and target subwords seen, from ``metrics.jsonl``."""
    records = RunDir(run_dir).metrics()
    if not records:
        return {}
    last = records[-1]
    best = max(records, key=lambda r: r["dev_bleu"])
    pairs_per_batch = last.get("sentences_per_batch")
    seen = None
    if pairs_per_batch:
        seen = round(last["step"] * pairs_per_batch * _mean_target_subwords(run_dir))
    return {
        "training_seconds": last["elapsed_seconds"],
        "steps": last["step"],
        "epochs": last["epoch"],
        "target_subwords_seen": seen,
        "best_dev_bleu": best["dev_bleu"],
        "best_epoch": best["epoch"],
    }


@functools.cache
def _mean_target_subwords(run_dir: str) -> float:
    """Mean target subwords (``</s>`` included) of the run's training split (read once)."""
    config = RunDir(run_dir).load_config()
    data = config.data
    _, targets = read_lines(data.source, data.src_lang, data.tgt_lang, data.train_split, data.dir)
    tokenizer = SubwordTokenizer.load(RunDir(run_dir).tokenizer_dir)
    ids = tokenizer.encode_target(targets)
    return float(ids.row_lengths().numpy().mean()) + 1


def _parameters(run_dirs: list[str]) -> int:
    return sum(int(load_model(RunDir(d).model_file).count_params()) for d in run_dirs)


def _hypotheses_path(label: str, split: str, beam: int, penalty: float, lang: str) -> str:
    penalty_part = "" if penalty == 1.0 else f".lp{penalty:g}"
    return os.path.join(RESULTS, "quality", f"{label}.{split}.beam{beam}{penalty_part}.{lang}")


def _evaluate(
    label: str,
    run_dirs: list[str],
    split: str,
    beam: int,
    penalty: float,
    data_dir: str | None,
    lang: str,
) -> dict:
    """Translates and scores ``split`` with one search setting, keeping the hypotheses."""
    hypotheses = _hypotheses_path(label, split, beam, penalty, lang)
    report = evaluate(
        run_dirs,
        split=split,
        data_dir=data_dir,
        beam_size=beam,
        length_penalty=penalty,
        hypotheses_path=hypotheses,
    )
    report["hypotheses_path"] = os.path.relpath(hypotheses, ROOT)
    return report


def _preference(setting: dict) -> tuple:
    """Orders scored settings: higher BLEU, then the smaller beam, then the penalty nearer 1."""
    return setting["bleu"], -setting["beam_size"], -abs(setting["length_penalty"] - 1)


def select_search(
    label: str,
    run_dirs: list[str],
    split: str,
    beams: list[int],
    penalties: list[float],
    data_dir: str | None,
) -> tuple[int, float, list[dict]]:
    """Scores each beam size above 1 and length penalty on ``split``; returns the best.

    Returns:
        ``(beam_size, length_penalty, grid)``: the setting with the highest BLEU
        (ties: the smaller beam, then the penalty nearer 1) and every setting's scores.
    """
    lang = RunDir(run_dirs[0]).load_config().data.tgt_lang
    grid = []
    for beam in [b for b in beams if b > 1] or [1]:
        for penalty in penalties:
            report = _evaluate(label, run_dirs, split, beam, penalty, data_dir, lang)
            grid.append({"beam_size": beam, "length_penalty": penalty, "bleu": report["bleu"]})
            print(f"{label:>16} {split} beam {beam} lp {penalty:g}: BLEU {report['bleu']:.2f}")
    best = max(grid, key=_preference)
    return best["beam_size"], best["length_penalty"], grid


def score_run(
    label: str,
    run_dirs: list[str],
    searches: list[tuple[int, float]],
    split: str,
    data_dir: str | None,
    trained_in: list[str] | None = None,
    **extra,
) -> list[dict]:
    """Evaluates one run directory (or an ensemble) with each ``(beam, length penalty)``.

    ``trained_in`` names the runs whose training records apply (for an
    averaged model, the run it was averaged from); ``extra`` goes into each row.
    """
    config = RunDir(run_dirs[0]).load_config()
    os.makedirs(os.path.join(RESULTS, "quality"), exist_ok=True)
    records = [_training_record(d) for d in trained_in or run_dirs]
    shared = {
        "label": label,
        "run_dir": "+".join(run_dirs),
        "cpu": cpu_model(),
        "parameters": _parameters(run_dirs),
        **records[0],
        **extra,
    }
    if len(records) > 1:  # an ensemble: its members' training adds up
        for key in ("training_seconds", "steps", "target_subwords_seen"):
            shared[key] = sum(r.get(key) or 0 for r in records)
    rows = []
    for beam, penalty in searches:
        report = _evaluate(label, run_dirs, split, beam, penalty, data_dir, config.data.tgt_lang)
        rows.append({**shared, **report, "config": config_to_dict(config)})
        print(
            f"{label:>16} beam {beam} lp {penalty:g}: "
            f"BLEU {report['bleu']:.2f}  chrF {report['chrf']:.2f}",
            flush=True,
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--run",
        action="append",
        default=[],
        metavar="LABEL=RUN_DIR",
        help="a trained run to score (repeatable)",
    )
    parser.add_argument(
        "--train",
        action="append",
        default=[],
        metavar="LABEL=CONFIG",
        help="train this config into runs/quality-LABEL first (repeatable)",
    )
    parser.add_argument(
        "--minutes",
        type=float,
        default=0.0,
        help="wall-time budget of each --train run (sets training.max_minutes)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="config override for --train runs",
    )
    parser.add_argument(
        "--average",
        type=int,
        nargs="+",
        default=[],
        metavar="N",
        help="also score the average of the last N epoch snapshots (one model per N)",
    )
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--length-penalties", type=float, nargs="+", default=[1.0])
    parser.add_argument(
        "--select-on",
        metavar="SPLIT",
        help="choose the beam size and length penalty on this split (e.g. val), then "
        "score --split greedily and with that choice only",
    )
    parser.add_argument("--split", default="test_2016_flickr")
    add_data_dir_argument(parser)
    parser.add_argument("--out", default=os.path.join(RESULTS, "quality.json"))
    args = parser.parse_args(argv)

    runs = [(label, path.split("+")) for label, path in _labelled(args.run, "--run")]
    for label, config_path in _labelled(args.train, "--train"):
        from translate.training.train import train

        overrides = list(args.set)
        if args.minutes:
            overrides.append(f"training.max_minutes={args.minutes}")
        if args.data_dir:
            overrides.append(f"data.dir={json.dumps(os.path.abspath(args.data_dir))}")
        run_dir = os.path.join("runs", f"quality-{label}")
        train(load_config(config_path, overrides), run_dir)
        runs.append((label, [run_dir]))
    if not runs:
        parser.error("give at least one --run or --train")

    rows = []
    for label, run_dirs in runs:
        candidates = [(label, run_dirs, {})]
        for last in args.average:
            from translate import TranslateError
            from translate.runs.averaging import average_run

            try:
                averaged, epochs = average_run(run_dirs[0], last)
            except TranslateError as error:
                print(f"{label}: no average ({error})")
            else:
                extra = {"trained_in": run_dirs[:1], "averaged_epochs": epochs}
                candidates.append((f"{label}.avg{len(epochs)}", [averaged], extra))
        if not args.select_on:
            searches = [
                (b, lp) for b in args.beams for lp in (args.length_penalties if b > 1 else [1.0])
            ]
            for name, dirs, extra in candidates:
                rows += score_run(name, dirs, searches, args.split, args.data_dir, **extra)
            continue
        grid = []
        for name, dirs, _ in candidates:
            _, _, scores = select_search(
                name, dirs, args.select_on, args.beams, args.length_penalties, args.data_dir
            )
            grid += [{"model": name, **score} for score in scores]
        best = max(grid, key=_preference)  # the first model wins a tie
        name, dirs, extra = next(c for c in candidates if c[0] == best["model"])
        beam, penalty = best["beam_size"], best["length_penalty"]
        print(f"{label}: chosen on {args.select_on}: {name}, beam {beam}, lp {penalty:g}")
        rows += score_run(
            name,
            dirs,
            [(1, 1.0), (beam, penalty)],
            args.split,
            args.data_dir,
            selected_on=args.select_on,
            selection=grid,
            **extra,
        )

    print()
    print_table(
        ["run", "beam", "lp", "BLEU", "chrF", "train min", "steps", "params"],
        [
            [
                r["label"],
                r["beam_size"],
                r["length_penalty"],
                r["bleu"],
                r["chrf"],
                r.get("training_seconds", float("nan")) / 60,
                r.get("steps", 0),
                r["parameters"],
            ]
            for r in rows
        ],
        ["", "", "g", ".2f", ".2f", ".1f", "", ","],
    )
    if rows:
        print(f"BLEU signature: {rows[0]['signature']['bleu']}  CPU: {rows[0]['cpu']}")
    write_result(args.out, __file__, argv, {"results": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
