"""Translation quality of trained runs: sacreBLEU and chrF with greedy and beam search.

    # score runs that are already trained
    python benchmarks/quality.py --run de-en=runs/reference_de_en --run en-de=runs/reference_en_de
    # train first (resumes if interrupted), with a wall-time budget, then score
    python benchmarks/quality.py --train de-en=configs/multi30k_de_en.yaml --minutes 60

For each run, and for its checkpoint average when ``--average N`` is given and
the run kept that many epoch snapshots, translates the test split with each
beam size, writes the detokenized hypotheses to
``benchmarks/results/quality/LABEL[.avgN].SPLIT.beamB.LANG`` (re-score them with
``sacrebleu REF -i HYP``), prints a table and writes
``benchmarks/results/quality.json``: BLEU, chrF, their signatures, training wall
time, optimizer steps, epochs, parameters and the config.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from common import RESULTS, ROOT, print_table, write_result  # noqa: E402

from translate.config import config_to_dict, load_config  # noqa: E402
from translate.evaluation import evaluate  # noqa: E402
from translate.rundir import RunDir  # noqa: E402
from translate.translator import load_model  # noqa: E402


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
    """Wall time, steps and epochs of the last epoch record of ``metrics.jsonl``."""
    path = RunDir(run_dir).metrics_file
    records = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle if line.strip()]
    if not records:
        return {}
    last = records[-1]
    best = max(records, key=lambda r: r["dev_bleu"])
    return {
        "training_seconds": last["elapsed_seconds"],
        "steps": last["step"],
        "epochs": last["epoch"],
        "best_dev_bleu": best["dev_bleu"],
        "best_epoch": best["epoch"],
    }


def _parameters(run_dir: str) -> int:
    return int(load_model(RunDir(run_dir).model_file).count_params())


def score_run(
    label: str,
    run_dir: str,
    beams: list[int],
    split: str,
    length_penalty: float,
    data_dir: str | None,
    trained_in: str | None = None,
    **extra,
) -> list[dict]:
    """Evaluates one run directory with each beam size.

    ``trained_in`` names the run whose training record applies (for an
    averaged model, the run it was averaged from); ``extra`` goes into each row.
    """
    config = RunDir(run_dir).load_config()
    out_dir = os.path.join(RESULTS, "quality")
    os.makedirs(out_dir, exist_ok=True)
    shared = {
        "label": label,
        "run_dir": run_dir,
        "parameters": _parameters(run_dir),
        **_training_record(trained_in or run_dir),
        **extra,
    }
    rows = []
    for beam in beams:
        hypotheses = os.path.join(out_dir, f"{label}.{split}.beam{beam}.{config.data.tgt_lang}")
        report = evaluate(
            run_dir,
            split=split,
            data_dir=data_dir,
            beam_size=beam,
            length_penalty=length_penalty,
            hypotheses_path=hypotheses,
        )
        report["hypotheses_path"] = os.path.relpath(hypotheses, ROOT)
        rows.append({**shared, **report, "config": config_to_dict(config)})
        print(
            f"{label:>16} beam {beam}: BLEU {report['bleu']:.2f}  chrF {report['chrf']:.2f}",
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
        default=0,
        help="also score the average of the last N epoch snapshots",
    )
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--length-penalty", type=float, default=1.0)
    parser.add_argument("--split", default="test_2016_flickr")
    parser.add_argument(
        "--data-dir", help="local corpus folder (else the run's data.dir / MULTI30K_DIR)"
    )
    parser.add_argument("--out", default=os.path.join(RESULTS, "quality.json"))
    args = parser.parse_args(argv)

    runs = _labelled(args.run, "--run")
    for label, config_path in _labelled(args.train, "--train"):
        from translate.training import train

        overrides = list(args.set)
        if args.minutes:
            overrides.append(f"training.max_minutes={args.minutes}")
        if args.data_dir:
            overrides.append(f"data.dir={json.dumps(os.path.abspath(args.data_dir))}")
        run_dir = os.path.join("runs", f"quality-{label}")
        train(load_config(config_path, overrides), run_dir)
        runs.append((label, run_dir))
    if not runs:
        parser.error("give at least one --run or --train")

    rows = []
    for label, run_dir in runs:
        rows += score_run(
            label, run_dir, args.beams, args.split, args.length_penalty, args.data_dir
        )
        if args.average:
            from translate.averaging import average_run
            from translate.errors import TranslateError

            try:
                averaged, epochs = average_run(run_dir, args.average)
            except TranslateError as error:
                print(f"{label}: no average ({error})")
                continue
            rows += score_run(
                f"{label}.avg{len(epochs)}",
                averaged,
                args.beams,
                args.split,
                args.length_penalty,
                args.data_dir,
                trained_in=run_dir,
                averaged_epochs=epochs,
            )

    print()
    print_table(
        ["run", "beam", "BLEU", "chrF", "train min", "steps", "params"],
        [
            [
                r["label"],
                r["beam_size"],
                r["bleu"],
                r["chrf"],
                r.get("training_seconds", float("nan")) / 60,
                r.get("steps", 0),
                r["parameters"],
            ]
            for r in rows
        ],
        ["", "", ".2f", ".2f", ".1f", "", ","],
    )
    if rows:
        print(f"BLEU signature: {rows[0]['signature']['bleu']}")
    write_result(args.out, __file__, argv, {"results": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
