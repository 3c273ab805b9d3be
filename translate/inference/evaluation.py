"""``translate evaluate``: translate a split, write the hypotheses, score them."""

from __future__ import annotations

import dataclasses
import os
import time

from translate import TranslateError
from translate.config.schema import Config
from translate.data import sources
from translate.inference import metrics
from translate.inference.translator import Runs, Translator
from translate.runs.fileio import check_writable, write_text
from translate.runs.rundir import RunDir, check_run_dir


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


def hypotheses_name(split: str, settings, limit: int = 0, models: int = 1) -> str:
    """The file name of a split's hypotheses, by everything that shaped them.

    E.g. ``test.beam5.lp1.hyp`` for the whole split, ``test.beam5.lp1.first100.hyp``
    for its first 100 sentences, ``test.sample10.t0.7.seed1.hyp`` for a sample,
    ``test.beam5.lp1.ensemble2.hyp`` for two models together: a partial
    evaluation, or one with other search settings, precision or models, never
    replaces the file of another.

    Args:
        split: The split translated.
        settings: The :class:`~translate.config.schema.DecodingConfig` searched with.
        limit: How many sentences were translated, if fewer than the split (0 = all).
        models: How many models translated together (an ensemble when more than 1).
    """
    if settings.sampling_topk is not None:  # no penalties: a sample is not ranked
        sampling = settings.sampling_topk, settings.sampling_temperature, settings.seed
        parts = [split, "sample{}.t{:g}.seed{}".format(*sampling)]
    else:
        parts = [split, f"beam{settings.beam_size}"]
        if settings.length_penalty:
            parts.append(f"lp{settings.length_penalty:g}")
        if settings.coverage_penalty:
            parts.append(f"cp{settings.coverage_penalty:g}")
    if settings.precision != "float32":
        parts.append(settings.precision)
    if models > 1:
        parts.append(f"ensemble{models}")
    if limit:
        parts.append(f"first{limit}")
    return ".".join(parts) + ".hyp"


def check_outputs(
    hypotheses_path: str | None = None,
    json_path: str | None = None,
    attention_plots: str | None = None,
) -> None:
    """Checks, before translating, that the files evaluate will write can be written.

    Missing folders above them are allowed: they are created.

    Raises:
        TranslateError: Naming the option and the path that cannot be written.
    """
    if hypotheses_path:
        check_writable(hypotheses_path, "--hypotheses", new_folders=True)
    if json_path:
        check_writable(json_path, "--json", new_folders=True)
    if attention_plots:
        from translate.inference.plots import check_plot_path  # defers matplotlib (heavy)

        if os.path.exists(attention_plots) and not os.path.isdir(attention_plots):
            raise TranslateError(f"cannot write --attention-plots {attention_plots}: not a folder")
        check_plot_path(os.path.join(attention_plots, "x.png"), "--attention-plots", True)


def evaluate(
    run_dir: Runs,
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
            an ensemble (:meth:`Translator.load`), whose first run gives the
            corpus, the default settings and the default hypotheses folder.
        split: Split to score; None takes the config's ``data.test_split``.
        data_dir: Local corpus folder; None keeps the config's ``data.dir``.
        limit: Score only the first N sentences (0 = all).
        hypotheses_path: Where to write the translations; None writes
            ``RUN_DIR/`` :func:`hypotheses_name` (split, search settings, limit).
        attention_plots: Folder for attention plots of the first ``plots`` sentences.
        plots: How many plots.
        batch_size: Sentences per batch; None keeps the config's.
        **search_options: ``beam_size``, ``length_penalty``, ``coverage_penalty``,
            ``n_best``, ``sampling_topk``, ``sampling_temperature``, ``seed``, ``precision``.

    Returns:
        The :func:`translate.inference.metrics.score` report (with TER) plus the split, the search
        settings, the wall time, ``sentences_per_second``, ``models`` (the runs),
        ``hypotheses_path`` and ``attention_plots`` (the files drawn).

    Raises:
        TranslateError: If ``limit`` is negative, or the run, the split or an
            output path is bad (checked before translating).
    """
    run_dirs = [run_dir] if isinstance(run_dir, (str, os.PathLike)) else list(run_dir)
    run_dir = run_dirs[0]
    if limit < 0:
        raise TranslateError(f"limit must be >= 0, got {limit}")
    check_outputs(hypotheses_path, None, attention_plots)
    config, split, source_lines, references = load_split(run_dir, split, data_dir)
    data = config.data
    if limit and limit < len(source_lines):
        source_lines, references = source_lines[:limit], references[:limit]
    else:
        limit = 0  # the whole split
    translator = Translator.load(run_dirs, config)
    settings = translator.search_settings(batch_size=batch_size, **search_options)
    translator.decoding = settings
    hypotheses_path = hypotheses_path or os.path.join(
        RunDir(run_dir).path, hypotheses_name(split, settings, limit, len(run_dirs))
    )
    translator.translate(source_lines[:2])  # compile the graph outside the timed run
    started = time.perf_counter()
    translations = translator.translate(source_lines, with_attention=bool(attention_plots))
    seconds = time.perf_counter() - started
    hypotheses = [t.text for t in translations]
    write_text(hypotheses_path, "".join(h + "\n" for h in hypotheses))
    drawn = []
    if attention_plots:
        from translate.inference.plots import plot_attention  # defers matplotlib (heavy)

        os.makedirs(attention_plots, exist_ok=True)
        for index, translation in enumerate(translations[:plots]):
            if translation.attention is None or translation.attention.size == 0:
                continue  # an empty input or translation: nothing to draw
            drawn.append(os.path.join(attention_plots, f"{split}.{index:04d}.png"))
            plot_attention(translation, drawn[-1])
    report = metrics.score(hypotheses, references, with_ter=True)
    report.update(
        {
            "split": split,
            "source": data.source,
            "pair": f"{data.src_lang}-{data.tgt_lang}",
            "beam_size": settings.beam_size,
            "length_penalty": settings.length_penalty,
            "coverage_penalty": settings.coverage_penalty,
            "limit": limit,
            "models": [os.fspath(run) for run in run_dirs],
            "precision": settings.precision,
            "seconds": round(seconds, 2),
            "sentences_per_second": len(hypotheses) / max(seconds, 1e-9),
            "hypotheses_path": hypotheses_path,
            "attention_plots": drawn,
        }
    )
    return report
