"""``translate evaluate``: translate a split, write the hypotheses, score them."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Sequence

from translate import metrics
from translate.config import Config
from translate.data import sources
from translate.fileio import write_text
from translate.rundir import RunDir, check_run_dir
from translate.translator import Translator


def load_split(
    run_dir: str, split: str | None = None, data_dir: str | None = None
) -> tuple[Config, str, list[str], list[str]]:
    """A run's config and the source and reference lines of one split of its corpus.

    Args:
        run_dir: A trained run directory.
        split: Split to read; None takes the config's ``data.test_split``.
        data_dir: Local corpus folder; None keeps the config's ``data.dir``.

    Returns:
        ``(config, split, source_lines, references)``; ``config.data.dir`` is
        the folder the lines were read from.

    Raises:
        TranslateError: If the run directory is incomplete or the split cannot be read.
    """
    config = check_run_dir(run_dir).load_config()
    if data_dir:
        config = dataclasses.replace(
            config, data=dataclasses.replace(config.data, dir=os.path.abspath(data_dir))
        )
    data = config.data
    split = split or data.test_split
    source_lines, references = sources.read_lines(
        data.source, data.src_lang, data.tgt_lang, split, data.dir
    )
    return config, split, source_lines, references


def evaluate(
    run_dir: str | Sequence[str],
    *,
    split: str | None = None,
    data_dir: str | None = None,
    limit: int = 0,
    hypotheses_path: str | None = None,
    attention_plots: str | None = None,
    plots: int = 5,
    batch_size: int | None = None,
    **search_options,
) -> dict:
    """Translates a split of the run's corpus and scores it with sacreBLEU.

    Args:
        run_dir: A trained run directory, or a list of them sharing a tokenizer:
            an ensemble (:mod:`translate.ensemble`), whose first run gives the
            corpus, the default settings and the default hypotheses folder.
        split: Split to score; None takes the config's ``data.test_split``.
        data_dir: Local corpus folder; None keeps the config's ``data.dir``.
        limit: Score only the first N sentences (0 = all).
        hypotheses_path: Where to write the translations; None writes
            ``RUN_DIR/SPLIT.beamN.hyp``.
        attention_plots: Folder for attention plots of the first ``plots`` sentences.
        plots: How many plots.
        batch_size: Sentences per batch; None keeps the config's.
        **search_options: ``beam_size``, ``length_penalty``, ``coverage_penalty``,
            ``n_best``, ``sampling_topk``, ``sampling_temperature``, ``seed``.
        **search_options: ``beam_size``, ``length_penalty``, ``coverage_penalty``, ``n_best``,
            ``precision``.

    Returns:
        The :func:`translate.metrics.score` report plus the split, the search
        settings, the wall time, ``sentences_per_second`` and ``models`` (the runs).
    """
    run_dirs = [run_dir] if isinstance(run_dir, (str, os.PathLike)) else list(run_dir)
    run_dir = run_dirs[0]
    config, split, source_lines, references = load_split(run_dir, split, data_dir)
    data = config.data
    if limit:
        source_lines, references = source_lines[:limit], references[:limit]
    if len(run_dirs) == 1:
        translator = Translator.load(run_dir, config)
    else:
        translator = Translator.load_ensemble(run_dirs)
    settings = translator.search_settings(batch_size=batch_size, **search_options)
    translator.decoding = settings
    translator.translate(source_lines[:2])  # compile the graph outside the timed run
    started = time.perf_counter()
    translations = translator.translate(source_lines, with_attention=bool(attention_plots))
    seconds = time.perf_counter() - started
    hypotheses = [t.text for t in translations]
    hypotheses_path = hypotheses_path or RunDir(run_dir).hypotheses_file(split, settings.beam_size)
    write_text(hypotheses_path, "".join(h + "\n" for h in hypotheses))
    if attention_plots:
        from translate.plots import plot_attention

        os.makedirs(attention_plots, exist_ok=True)
        for index, translation in enumerate(translations[:plots]):
            plot_attention(translation, os.path.join(attention_plots, f"{split}.{index:04d}.png"))
    report = metrics.score(hypotheses, references)
    report.update(
        {
            "split": split,
            "source": data.source,
            "pair": f"{data.src_lang}-{data.tgt_lang}",
            "beam_size": settings.beam_size,
            "length_penalty": settings.length_penalty,
            "models": [os.fspath(run) for run in run_dirs],
            "precision": settings.precision,
            "seconds": round(seconds, 2),
            "sentences_per_second": len(hypotheses) / max(seconds, 1e-9),
            "hypotheses_path": hypotheses_path,
        }
    )
    return report
