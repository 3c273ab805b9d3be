"""Noisy-channel reranking: a forward n-best list rescored by a reverse-direction model.

For a source ``x``, forward beam search (one run or an ensemble) returns the
hypotheses ``y_1 .. y_K`` (``K = n_best``, by default the beam size), best
first, with their search scores. A reverse run, trained target -> source,
scores the source given each hypothesis by forced decoding
(:class:`translate.inference.scoring.Scorer` with ``source = y_k`` and
``reference = x``). With ``|.|`` the number of subwords, ``</s>`` included::

    f_k = log P_fwd(y_k | x) / lp(|y_k|) + cp(x, y_k)   (the beam search's own score)
    r_k = log P_rev(x | y_k) / |x|                       (per subword, as translate score)
    c_k = f_k + w * r_k
    choice = argmax_k c_k        (ties: the smallest k, the forward's better rank)

``f_k`` is exactly the score the search ranks by (GNMT length penalty
``lp(n) = ((5 + n) / 6) ** alpha`` and coverage penalty ``cp`` of
:mod:`translate.search.penalties`; with ``alpha = 1`` it is the
log-probability per ``(5 + n) / 6`` subwords). It is used as it is so that
``w = 0`` chooses beam search's own 1-best, always. The weight ``w >= 0`` is
chosen on a dev set by :func:`tune_weight` (corpus BLEU over a grid).

Each model reads text through its own tokenizer: the reverse model scores the
detokenized hypotheses, so the two runs may use different subwords. Blank
source lines give an empty translation without any model call. The forward
and reverse language pairs must be each other's swap (their runs'
``data.src_lang`` and ``data.tgt_lang``): :func:`check_reverse_pair`.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from translate import TranslateError
from translate.inference import metrics
from translate.inference.scoring import Scorer
from translate.inference.text import is_blank
from translate.inference.translator import Runs, Translator, chunks
from translate.runs.rundir import check_run_dir

DEFAULT_WEIGHT = 1.0
DEFAULT_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.5, 2.0, 3.0, 5.0)


@dataclasses.dataclass(frozen=True)
class Candidates:
    """One source sentence's forward n-best list.

    Attributes:
        source: The source text.
        hypotheses: The forward translations, best first.
        forward_scores: Their beam search scores ``f_k``.
    """

    source: str
    hypotheses: list[str]
    forward_scores: list[float]


@dataclasses.dataclass(frozen=True)
class Reranked:
    """One source sentence after reranking.

    Attributes:
        candidates: The forward n-best list.
        reverse_scores: ``r_k`` of each hypothesis (0.0 for a blank source).
        combined_scores: ``c_k = f_k + w * r_k``.
        choice: The index of the chosen hypothesis.
    """

    candidates: Candidates
    reverse_scores: list[float]
    combined_scores: list[float]
    choice: int

    @property
    def text(self) -> str:
        """The chosen translation."""
        return self.candidates.hypotheses[self.choice]


def combined_scores(
    forward_scores: Sequence[float], reverse_scores: Sequence[float], weight: float
) -> np.ndarray:
    """``c_k = f_k + w * r_k`` (``f_k`` alone when ``w = 0``, even for an infinite ``r_k``).

    Args:
        forward_scores: ``(K,)`` forward search scores.
        reverse_scores: ``(K,)`` reverse per-subword log-probabilities.
        weight: ``w``, a finite number >= 0.

    Returns:
        ``(K,)`` float64 combined scores.

    Raises:
        TranslateError: If the lengths differ or the weight is negative or not finite.
    """
    if not math.isfinite(weight) or weight < 0:
        raise TranslateError(f"the reverse score's weight must be finite and >= 0, got {weight}")
    forward = np.asarray(forward_scores, np.float64)  # (K,)
    reverse = np.asarray(reverse_scores, np.float64)  # (K,)
    if forward.shape != reverse.shape:
        raise TranslateError(
            f"{forward.size} hypotheses but {reverse.size} reverse scores; they must pair up"
        )
    return forward if weight == 0 else forward + weight * reverse


def rerank(
    candidates: Sequence[Candidates], reverse_scores: Sequence[Sequence[float]], weight: float
) -> list[int]:
    """The chosen hypothesis of each sentence: ``argmax_k f_k + w * r_k``, ties to the smaller k.

    Args:
        candidates: Each sentence's forward n-best list.
        reverse_scores: Each sentence's ``r_k``, one per hypothesis.
        weight: ``w >= 0``; 0 chooses the forward 1-best (index 0, as the search sorts).

    Returns:
        One index into ``candidates[i].hypotheses`` per sentence.

    Raises:
        TranslateError: If the lists do not pair up, a list is empty, or the weight is bad.
    """
    if len(candidates) != len(reverse_scores):
        raise TranslateError(
            f"{len(candidates)} n-best lists but {len(reverse_scores)} lists of reverse scores"
        )
    choices = []
    for sentence, reverse in zip(candidates, reverse_scores):
        if not sentence.hypotheses:
            raise TranslateError(f"no hypotheses to choose from for {sentence.source!r}")
        scores = combined_scores(sentence.forward_scores, reverse, weight)
        choices.append(int(np.argmax(scores)))  # the first maximum: ties keep forward order
    return choices


def check_reverse_pair(forward_runs: Sequence[str | os.PathLike], reverse_run: str) -> None:
    """Checks that the reverse run translates the forward runs' pair the other way round.

    Only the runs' configs are read, so a mismatch is found before any model loads.

    Args:
        forward_runs: The forward run directories (several: an ensemble).
        reverse_run: The reverse run directory.

    Raises:
        TranslateError: Naming both runs and their language pairs, or a folder
            that is not a trained run.
    """

    def pair(run_dir) -> tuple[str, str]:
        data = check_run_dir(run_dir).load_config().data
        return data.src_lang, data.tgt_lang

    forward_pairs = [pair(run_dir) for run_dir in forward_runs]
    reverse = pair(reverse_run)
    for run_dir, forward in zip(forward_runs, forward_pairs):
        if reverse != forward[::-1]:
            raise TranslateError(
                f"the reverse run {os.fspath(reverse_run)} translates {reverse[0]}-{reverse[1]}, "
                f"but the forward run {os.fspath(run_dir)} translates {forward[0]}-{forward[1]}; "
                f"the reverse model must translate {forward[1]}-{forward[0]}"
            )


@dataclasses.dataclass(frozen=True)
class Tuning:
    """The outcome of :func:`tune_weight`.

    Attributes:
        weight: The weight with the highest corpus BLEU (the smallest such weight).
        bleu: Corpus BLEU for each weight of the grid, in grid order.
        signature: sacreBLEU's signature of the BLEU computation.
    """

    weight: float
    bleu: dict[float, float]
    signature: str


def tune_weight(
    candidates: Sequence[Candidates],
    reverse_scores: Sequence[Sequence[float]],
    references: Sequence[str],
    weights: Sequence[float] = DEFAULT_WEIGHTS,
) -> Tuning:
    """The grid weight whose reranked choices have the highest corpus BLEU on a dev set.

    BLEU is sacreBLEU's corpus BLEU (cased, ``13a``), as :mod:`translate.inference.metrics`
    reports it. Among equal scores the smallest weight wins, so a reverse model
    that does not help leaves plain beam search (with 0 in the grid).

    Args:
        candidates: The dev set's forward n-best lists.
        reverse_scores: Their ``r_k``.
        references: One reference translation per dev sentence.
        weights: The grid, e.g. :data:`DEFAULT_WEIGHTS`.

    Returns:
        The chosen weight and every weight's BLEU.

    Raises:
        TranslateError: If the lists do not pair up or the grid is empty.
    """
    if len(candidates) != len(references):
        raise TranslateError(
            f"{len(candidates)} sentences but {len(references)} references; they must pair up"
        )
    if not weights:
        raise TranslateError("the grid of weights to tune is empty")
    metric = metrics.bleu_metric()
    bleu: dict[float, float] = {}
    for weight in weights:
        choices = rerank(candidates, reverse_scores, weight)
        chosen = [c.hypotheses[k] for c, k in zip(candidates, choices)]
        bleu[weight] = metric.corpus_score(chosen, [list(references)]).score
    best = max(bleu.values())
    weight = min(w for w, score in bleu.items() if score == best)
    return Tuning(weight, bleu, str(metric.get_signature()))


class Reranker:
    """A forward translator's n-best lists reranked with a reverse-direction scorer.

    Args:
        translator: The forward :class:`~translate.inference.translator.Translator` (one
            run or an ensemble).
        reverse: A :class:`~translate.inference.scoring.Scorer` of the reverse run.
        weight: ``w``, the reverse score's weight (>= 0); tune it with :func:`tune_weight`.
        beam_size: The forward beam; None takes the forward run's ``decoding.beam_size``.
        n_best: Hypotheses per sentence (<= the beam); None takes the beam size.
        chunk_size: Source lines translated and scored together; memory grows
            with it, not with the input.

    Raises:
        TranslateError: For bad search settings or a bad weight.
    """

    def __init__(
        self,
        translator: Translator,
        reverse: Scorer,
        weight: float = DEFAULT_WEIGHT,
        beam_size: int | None = None,
        n_best: int | None = None,
        chunk_size: int = 500,
    ):
        combined_scores([], [], weight)  # checks the weight
        beam_size = translator.decoding.beam_size if beam_size is None else beam_size
        n_best = beam_size if n_best is None else n_best
        # Giving the beam size asks for beam search even if the run's config samples.
        settings = translator.search_settings(beam_size=beam_size, n_best=n_best)
        self.translator, self.reverse, self.weight = translator, reverse, weight
        self.beam_size, self.n_best = settings.beam_size, settings.n_best
        self.chunk_size = chunk_size

    @classmethod
    def load(
        cls,
        forward_runs: Runs,
        reverse_run: str,
        weight: float = DEFAULT_WEIGHT,
        beam_size: int | None = None,
        n_best: int | None = None,
        batch_size: int | None = None,
    ) -> Reranker:
        """Loads the forward run(s) and the reverse run, after :func:`check_reverse_pair`.

        Args:
            forward_runs: One run, or several sharing a tokenizer (an ensemble).
            reverse_run: A run trained in the opposite direction.
            weight: See the class.
            beam_size: See the class.
            n_best: See the class.
            batch_size: Sentences per batch for both models; None keeps each run's config.
        """
        if isinstance(forward_runs, (str, os.PathLike)):
            forward_runs = [forward_runs]
        check_reverse_pair(forward_runs, reverse_run)
        translator = Translator.load(forward_runs)
        if batch_size is not None:
            translator.decoding = translator.search_settings(batch_size=batch_size)
        reverse = Scorer.load([reverse_run], batch_size=batch_size)
        return cls(translator, reverse, weight, beam_size, n_best)

    def candidates(self, lines: Sequence[str]) -> tuple[list[Candidates], list[list[float]]]:
        """The forward n-best lists of ``lines`` and the reverse score of each hypothesis.

        A blank line has the one candidate ``""`` with scores 0 and calls no model.
        """
        translations = self.translator.translate(
            list(lines), beam_size=self.beam_size, n_best=self.n_best
        )
        candidates, pairs = [], []
        for translation in translations:
            if is_blank(translation.source):
                candidates.append(Candidates(translation.source, [""], [0.0]))
                continue
            candidates.append(
                Candidates(translation.source, translation.hypotheses, translation.scores)
            )
            pairs.extend((h, translation.source) for h in translation.hypotheses)
        scores = iter(self.reverse.score([h for h, _ in pairs], [s for _, s in pairs]))
        reverse = [
            [0.0] if is_blank(c.source) else [next(scores).score for _ in c.hypotheses]
            for c in candidates
        ]
        return candidates, reverse

    def choose(
        self, candidates: Sequence[Candidates], reverse: Sequence[Sequence[float]]
    ) -> list[Reranked]:
        """Reranks scored n-best lists (from :meth:`candidates`) with :attr:`weight`."""
        return [
            Reranked(c, r, combined_scores(c.forward_scores, r, self.weight).tolist(), k)
            for c, r, k in zip(candidates, reverse, rerank(candidates, reverse, self.weight))
        ]

    def rerank_lines(self, lines: Sequence[str]) -> list[Reranked]:
        """Reranks the lines held in memory, in order."""
        return self.choose(*self.candidates(lines))

    def rerank_stream(self, lines: Iterable[str]) -> Iterator[Reranked]:
        """Reranks an iterable of lines ``chunk_size`` at a time (flat memory), in order."""
        for chunk in chunks(lines, self.chunk_size):
            yield from self.rerank_lines(chunk)
