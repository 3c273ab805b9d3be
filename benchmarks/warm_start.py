"""What starting from a trained run is worth: fine-tuning (``training.init_from``) against scratch.

    python benchmarks/warm_start.py --a-steps 1200 --b-steps 200 400 600 --seeds 1 2

Multi30k's training pairs (the local ``.gz`` files of ``--data-dir`` or
``MULTI30K_DIR``) are shuffled with ``--split-seed`` and cut into two halves, A
and B, each written as a local parallel folder (``train.de`` / ``train.en``)
with the real ``val`` and ``test_2016_flickr`` files beside it. Then, with
``--config`` (the quick config) and budgets in optimizer steps only (no
``max_minutes``: on a shared machine a time budget measures the load):

* **A**: a run trained on half A for ``--a-steps`` steps, with its own tokenizer;
* **fine-tune**: per seed, a run on half B started from A's best model
  (``training.init_from``) for the largest of ``--b-steps``;
* **scratch**: per seed, a run on half B from random weights with A's tokenizer
  (``data.tokenizer_dir``), for the same steps;
* **more A** (the control): per seed, a run started from A's best model in the
  same way as the fine-tuned one, but on half A again, for the same steps. Its
  gap to the fine-tuned run is what the new data is worth, apart from the extra
  steps and the restart (fresh optimizer and warm-up).

A B run stops at each budget of ``--b-steps`` in turn, which ends an epoch
there (dev is scored, a checkpoint written), and resumes from that checkpoint
with the next; a resumed run draws a new epoch's shuffle, so budgets change
the order of the batches, but a fine-tuned run and the scratch run of the same
seed always read the same batches in the same order (same data, tokenizer,
seed and stops), so their epochs end at the same steps. The dev BLEU at each
epoch's end comes from the runs' own ``metrics.jsonl`` (greedy, on the
config's ``dev_sentences`` of ``val``); the test BLEU is that of each run's
best model (``model.keras``) on ``test_2016_flickr`` with beam 5. The runs live
in ``--work`` (default ``runs/warm_start``); an interrupted measurement resumes
where it stopped, and a run whose records already reach its budget is kept.
Prints two tables and writes ``benchmarks/results/warm_start.json``.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import statistics
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from common import RESULTS, ROOT, cpu_model, print_table, write_result  # noqa: E402

from translate.config.schema import load_config  # noqa: E402
from translate.inference.evaluation import evaluate  # noqa: E402
from translate.runs.rundir import RunDir  # noqa: E402
from translate.training.train import train  # noqa: E402

LANGS = ("de", "en")
HELD_OUT = ("val", "test_2016_flickr")
TEST_SPLIT = "test_2016_flickr"


def _read_gz(path: str) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle]


def _write_lines(path: str, lines: list[str]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(line + "\n" for line in lines)


def split_halves(data_dir: str, out_dir: str, seed: int) -> dict[str, str]:
    """Writes halves A and B of the training pairs as two local parallel folders.

    A folder that already exists is kept as it is: a run records its files'
    modification times, and rewriting them would stop it from resuming.

    Args:
        data_dir: the folder of Multi30k's ``.gz`` files.
        out_dir: where the folders ``half_a`` and ``half_b`` go.
        seed: the seed of the shuffle that decides which pair goes where.

    Returns:
        ``{"a": folder, "b": folder}``.
    """
    folders = {half: os.path.join(out_dir, f"half_{half}") for half in ("a", "b")}
    if all(os.path.isdir(folder) for folder in folders.values()):
        return folders
    sides = {lang: _read_gz(os.path.join(data_dir, f"train.{lang}.gz")) for lang in LANGS}
    order = list(range(len(sides[LANGS[0]])))
    random.Random(seed).shuffle(order)
    middle = len(order) // 2
    for half, indices in (("a", order[:middle]), ("b", order[middle:])):
        temporary = folders[half] + ".tmp"
        shutil.rmtree(temporary, ignore_errors=True)
        os.makedirs(temporary)
        for lang in LANGS:
            _write_lines(
                os.path.join(temporary, f"train.{lang}"), [sides[lang][i] for i in indices]
            )
            for split in HELD_OUT:
                _write_lines(
                    os.path.join(temporary, f"{split}.{lang}"),
                    _read_gz(os.path.join(data_dir, f"{split}.{lang}.gz")),
                )
        os.replace(temporary, folders[half])
    return folders


def _train(config_path: str, run_dir: str, steps: int, overrides: list[str]) -> list[dict]:
    """Trains (or resumes) one run up to ``steps`` optimizer steps; returns its epoch records.

    A run whose records already reach ``steps`` is left as it is, so a
    measurement that was stopped goes on where it was.
    """
    records = RunDir(run_dir).metrics()
    if records and records[-1]["step"] >= steps:
        return records
    overrides = [*overrides, f"training.max_steps={steps}"]
    print(f"== {run_dir}: {' '.join(overrides)}", flush=True)
    train(load_config(config_path, overrides), run_dir)
    return RunDir(run_dir).metrics()


def _test(run_dir: str) -> dict:
    """Test BLEU, chrF and TER of the run's best model, beam 5."""
    report = evaluate(run_dir, split=TEST_SPLIT, beam_size=5)
    keys = ("bleu", "chrf", "ter", "signature", "sentences")
    return {key: report[key] for key in keys if key in report}


def _curve(records: list[dict]) -> list[dict]:
    return [
        {"epoch": r["epoch"], "step": r["step"], "dev_bleu": r["dev_bleu"], "loss": r["loss"]}
        for r in records
    ]


def _mean(values: list[float]) -> float:
    return round(statistics.mean(values), 2)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default="configs/multi30k_de_en_quick.yaml")
    parser.add_argument("--data-dir", default=os.environ.get("MULTI30K_DIR"))
    parser.add_argument("--a-steps", type=int, default=1200, help="steps of the run on half A")
    parser.add_argument(
        "--b-steps",
        type=int,
        nargs="+",
        default=[600],
        help="steps of each run on half B; several values stop and score dev at each",
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2], help="seeds of B runs")
    parser.add_argument("--split-seed", type=int, default=0, help="seed of the A/B split")
    parser.add_argument("--work", default=os.path.join(ROOT, "runs", "warm_start"))
    parser.add_argument("--out", default=os.path.join(RESULTS, "warm_start.json"))
    args = parser.parse_args(argv)
    if not args.data_dir:
        parser.error("give --data-dir or set MULTI30K_DIR (the folder of Multi30k's .gz files)")

    folders = split_halves(args.data_dir, os.path.join(args.work, "data"), args.split_seed)
    # Steps are the budget; epochs only mark where each run scores dev, so they never bind.
    budget = ["training.max_minutes=0", "training.epochs=1000"]
    a_run = os.path.join(args.work, "a")
    a_data = [f"data.source={folders['a']}", *budget]
    b_data = [f"data.source={folders['b']}", *budget]
    a_records = _train(args.config, a_run, args.a_steps, a_data)
    runs: dict[str, dict[int, str]] = {"fine-tune": {}, "scratch": {}, "more-a": {}}
    starts = {
        "fine-tune": [*b_data, f"training.init_from={a_run}"],
        "scratch": [*b_data, f"data.tokenizer_dir={RunDir(a_run).tokenizer_dir}"],
        "more-a": [*a_data, f"training.init_from={a_run}"],
    }
    curves: dict[str, dict[int, list[dict]]] = {kind: {} for kind in runs}
    for seed in args.seeds:
        for kind, start in starts.items():
            run_dir = os.path.join(args.work, f"{kind}-seed{seed}")
            runs[kind][seed] = run_dir
            # Each budget of --b-steps in turn: the run stops there (scoring dev), then
            # resumes from its checkpoint with the next, larger budget.
            for steps in sorted(args.b_steps):
                records = _train(args.config, run_dir, steps, [*start, f"training.seed={seed}"])
            curves[kind][seed] = _curve(records)

    a_best = max(r["dev_bleu"] for r in a_records)
    print(f"\nrun A: {a_records[-1]['step']} steps on half A, best dev BLEU {a_best:.2f}\n")
    rows = _dev_rows(curves, args.seeds)
    seed_columns = [f"seed {s}" for s in args.seeds]
    print_table(
        ["steps"]
        + [f"{kind} {c}" for kind in runs for c in [*seed_columns, "mean"]]
        + ["gain over scratch", "gain over more A"],
        rows,
        ["", *[".2f"] * (3 * len(args.seeds) + 5)],
    )
    result = {
        "config": os.path.relpath(os.path.abspath(args.config), ROOT),
        "split_seed": args.split_seed,
        "pairs_per_half": {half: _count_lines(f) for half, f in folders.items()},
        "a_steps": a_records[-1]["step"],
        "b_steps": args.b_steps,
        "seeds": args.seeds,
        "dev": "greedy BLEU on the config's training.dev_sentences of val, each epoch's end",
        "test": f"{TEST_SPLIT}, beam 5, each run's best model by dev BLEU",
        "a": {"curve": _curve(a_records), "best_dev_bleu": a_best},
        "curves": {kind: {str(s): c for s, c in by.items()} for kind, by in curves.items()},
        "dev_table": [
            dict(
                zip(
                    ["steps", "fine_tune", "scratch", "more_a", "gain", "gain_over_more_a"],
                    [r[0], *_pick(r, args.seeds)],
                )
            )
            for r in rows
        ],
        "test_bleu": {},
    }
    # Written after each test score too: the dev figures are kept if scoring is cut short.
    write_result(args.out, __file__, argv, result)
    labelled = [(f"{kind}-seed{s}", d) for kind, by in runs.items() for s, d in by.items()]
    for label, run_dir in [*labelled, ("a", a_run)]:
        result["test_bleu"][label] = _test(run_dir)
        write_result(args.out, __file__, argv, result)
    result["test_bleu_mean"] = {
        kind: _mean([result["test_bleu"][f"{kind}-seed{s}"]["bleu"] for s in args.seeds])
        for kind in runs
    }
    write_result(args.out, __file__, argv, result)
    print()
    print_table(
        ["run", "test BLEU (beam 5)", "chrF", "TER"],
        [[label, t["bleu"], t["chrf"], t.get("ter")] for label, t in result["test_bleu"].items()],
        ["", ".2f", ".2f", ".2f"],
    )
    print(f"\nCPU: {cpu_model()}")


def _dev_rows(curves: dict[str, dict[int, list[dict]]], seeds: list[int]) -> list[list]:
    """One row per epoch end: steps, dev BLEU per seed and mean of each kind, and the gains.

    The gains are the fine-tuned mean minus the scratch mean, and minus the
    mean of the control that continued on half A.
    """
    rows = []
    epochs = min(len(curve) for by_seed in curves.values() for curve in by_seed.values())
    for index in range(epochs):
        steps = sorted({c[index]["step"] for s in curves.values() for c in s.values()})
        row: list = ["/".join(str(step) for step in steps)]
        means = {}
        for kind, by_seed in curves.items():
            scores = [by_seed[s][index]["dev_bleu"] for s in seeds]
            means[kind] = _mean(scores)
            row += [*scores, means[kind]]
        row += [
            round(means["fine-tune"] - means["scratch"], 2),
            round(means["fine-tune"] - means["more-a"], 2),
        ]
        rows.append(row)
    return rows


def _count_lines(folder: str) -> int:
    with open(os.path.join(folder, f"train.{LANGS[0]}"), encoding="utf-8") as handle:
        return sum(1 for _ in handle)


def _pick(row: list, seeds: list[int]) -> list:
    """The means of fine-tune, scratch and more-A, and the two gains, from a dev table row."""
    n = len(seeds)
    return [row[1 + n], row[2 + 2 * n], row[3 + 3 * n], row[-2], row[-1]]


if __name__ == "__main__":
    main(sys.argv[1:])
