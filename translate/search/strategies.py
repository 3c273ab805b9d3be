"""Selection strategies: which tokens extend which hypotheses at each step of the search loop.

The loop (:func:`translate.search.loop.decode`) keeps ``width`` hypothesis
*slots* per sentence and asks a strategy three things:

* ``select``: given every open slot's next-token log-probabilities, which
  parent slot each open slot continues and with which token;
* ``score``: the final score of a hypothesis that has just finished;
* ``done``: which sentences need no more steps.

:class:`GreedySearch` takes the most probable token of its single hypothesis;
:class:`BeamSearch` keeps the ``beam_size`` best extensions of all of a
sentence's hypotheses. A new decoding method (sampling, say) is another small
class with these three methods and three attributes; the loop stays as it is.

Beam search, exactly:

1. Each sentence has ``beam_size`` slots. The initial state is repeated into
   every slot; only slot 0 starts with log-probability 0, the others with
   ``-inf``, so the first step expands one hypothesis instead of ``beam_size``
   copies of it.
2. A slot is *open* (still growing) or *finished*. Each step, every open
   hypothesis is extended by every token, and the ``m`` extensions with the
   highest total log-probability fill the sentence's ``m`` open slots, in order
   (``m`` = the number of open slots). The loop reorders the model state and all
   histories by gathering the parent slot.
3. An extension ending in eos, or reaching ``max_len_i``, is finished: it is
   scored with the GNMT formula (:mod:`translate.search.penalties`) and frozen in
   its slot, which it keeps for the rest of the search. The beam therefore
   narrows as hypotheses finish (the classic "shrinking beam"), so a slot is
   never spent twice and the finished hypotheses are exactly the contents of the
   ``beam_size`` slots. With ``beam_size=1`` this is greedy search, token for
   token, for any ``alpha`` and ``beta``.
4. **Early stopping.** Sentence ``i`` is done when no open hypothesis can still
   beat the ``n_best``-th best finished one, i.e. when::

       max over open slots of  log P(prefix) / lp(max_len_i)  <=  S_n

   where ``S_n`` is the ``n_best``-th best finished score (``-inf`` while fewer
   than ``n_best`` hypotheses are finished). This is an upper bound on any
   completion's score: further tokens only lower ``log P`` (log-probabilities are
   ``<= 0``), so ``log P(completion) / lp(L) <= log P(prefix) / lp(L)``, and since
   ``log P(prefix) <= 0`` and ``lp`` grows with the length (``alpha >= 0``), the
   right-hand side is largest at the longest allowed length ``L = max_len_i``;
   the coverage term is ``<= 0`` for ``beta >= 0``. (Dividing by the *current*
   length instead, as some implementations do, is not a bound when
   ``alpha > 0`` and can stop too early.) The open hypotheses of a done
   sentence are dropped (frozen and discarded), and the loop ends when every
   sentence is done or after ``max(max_len_i)`` steps, so stopping early never
   changes the result.
5. The ``n_best`` finished hypotheses with the highest scores are returned,
   best first (ties keep slot order).
"""

from __future__ import annotations

from typing import Protocol

import tensorflow as tf

from translate.config.schema import DecodingConfig
from translate.search.penalties import gnmt_length_penalty, gnmt_score
from translate.search.sampling import check_sampling_options, sample_tokens, uniform_draws

NEG_INF = float("-inf")


class Strategy(Protocol):
    """What the search loop needs from a decoding method.

    Attributes:
        width: Hypothesis slots per sentence.
        n_best: Finished hypotheses returned per sentence, ``<= width``.
        reorders: Whether a slot may continue another slot's hypothesis; when
            False, ``select`` returns each slot as its own parent and the loop
            skips reordering the state and histories.
    """

    width: int
    n_best: int
    reorders: bool

    def select(
        self,
        log_probs: tf.Tensor,
        prefix_log_probs: tf.Tensor,
        live: tf.Tensor,
        step: tf.Tensor | None = None,
    ) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
        """Chooses the next token of every open slot.

        Args:
            log_probs: ``(batch, width, vocab)`` float32 next-token log-probabilities
                of each slot (pad and bos already ``-inf``).
            prefix_log_probs: ``(batch, width)`` float32 total log-probability of
                each slot's hypothesis so far.
            live: ``(batch, width)`` bool, the slots that grow this step.
            step: Scalar int32 output position of the tokens chosen (0 for the
                first); a random strategy keys its draws with it.

        Returns:
            ``parents``, ``tokens`` and ``totals``, each ``(batch, width)``: the
            slot whose hypothesis each slot continues, the token it appends and
            the total log-probability after it. Only ``live`` slots are read.
        """

    def score(
        self, log_probs: tf.Tensor, length: tf.Tensor, coverage: tf.Tensor, source_mask: tf.Tensor
    ) -> tf.Tensor:
        """The ranking score of finished hypotheses, ``(batch, width)`` float32.

        Args:
            log_probs: ``(batch, width)`` total log-probability, eos included.
            length: Generated tokens, eos included; broadcasts against ``log_probs``.
            coverage: ``(batch, width, src_len)`` attention summed over steps.
            source_mask: ``(batch, src_len)`` bool.
        """

    def done(
        self, finished: tf.Tensor, scores: tf.Tensor, log_probs: tf.Tensor, max_lens: tf.Tensor
    ) -> tf.Tensor:
        """``(batch,)`` bool: True for sentences that need no more steps.

        Args:
            finished: ``(batch, width)`` bool.
            scores: ``(batch, width)`` float32 scores of the finished slots.
            log_probs: ``(batch, width)`` float32 total log-probability of each slot.
            max_lens: ``(batch,)`` int32 step limit per sentence.
        """


class GreedySearch:
    """The most probable next token, one hypothesis per sentence.

    Its score is the sum of the log-probabilities of the chosen tokens, eos
    included. Ties go to the lowest token id (``tf.math.top_k``), as in beam search.
    """

    width = 1
    n_best = 1
    reorders = False

    def select(
        self,
        log_probs: tf.Tensor,
        prefix_log_probs: tf.Tensor,
        live: tf.Tensor,
        step: tf.Tensor | None = None,
    ) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
        """See :meth:`Strategy.select`; every slot continues itself."""
        best, tokens = tf.math.top_k(log_probs, k=1)  # (batch, 1, 1) each
        tokens = tokens[:, :, 0]  # (batch, 1)
        return tf.zeros_like(tokens), tokens, prefix_log_probs + best[:, :, 0]

    def score(
        self, log_probs: tf.Tensor, length: tf.Tensor, coverage: tf.Tensor, source_mask: tf.Tensor
    ) -> tf.Tensor:
        """See :meth:`Strategy.score`: the log-probability itself."""
        return log_probs

    def done(
        self, finished: tf.Tensor, scores: tf.Tensor, log_probs: tf.Tensor, max_lens: tf.Tensor
    ) -> tf.Tensor:
        """See :meth:`Strategy.done`: a sentence is done once its hypothesis is."""
        return tf.reduce_all(finished, axis=1)


class RandomSampling(GreedySearch):
    """Draws each next token at random (:mod:`translate.search.sampling`).

    Greedy search with a random choice in place of the most probable token: its
    score and stopping rule are greedy search's.

    Args:
        top_k: Sample from the ``top_k`` most probable tokens (0 = all of them).
        temperature: Divides the log-probabilities before sampling; ``> 0``.
        seed: Keys the random stream.
        lines: ``(batch,)`` line index of each sentence of the batch being
            searched; None numbers the batch's rows 0, 1, ...

    Raises:
        TranslateError: On ``top_k < 0`` or a temperature that is not a finite
            number above 0.
    """

    def __init__(
        self, top_k: int, temperature: float = 1.0, seed: int = 0, lines: tf.Tensor | None = None
    ):
        check_sampling_options(top_k, temperature)
        self.top_k = top_k
        self.temperature = float(temperature)
        self.seed = int(seed)
        self.lines = lines

    def for_lines(self, lines: tf.Tensor | None) -> RandomSampling:
        """The same sampler for a batch whose sentences have the line indices ``lines``."""
        return RandomSampling(self.top_k, self.temperature, self.seed, lines)

    def select(
        self,
        log_probs: tf.Tensor,
        prefix_log_probs: tf.Tensor,
        live: tf.Tensor,
        step: tf.Tensor | None = None,
    ) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
        """See :meth:`~translate.search.strategies.Strategy.select`; ``step`` keys the draw."""
        batch = tf.shape(log_probs)[0]
        lines = tf.range(batch) if self.lines is None else self.lines  # (batch,)
        step = tf.constant(0) if step is None else step
        row_log_probs = log_probs[:, 0, :]  # (batch, vocab)
        uniform = uniform_draws(self.seed, lines, step)  # (batch,)
        tokens = sample_tokens(row_log_probs, uniform, self.top_k, self.temperature)  # (batch,)
        chosen = tf.gather(row_log_probs, tokens, batch_dims=1)  # (batch,)
        tokens = tf.cast(tokens, tf.int32)[:, None]  # (batch, 1)
        return tf.zeros_like(tokens), tokens, prefix_log_probs + chosen[:, None]


class BeamSearch:
    """Beam search with GNMT length and coverage penalties (see the module docstring).

    Args:
        beam_size: Slots per sentence.
        n_best: Hypotheses returned per sentence, ``1 <= n_best <= beam_size``.
        length_penalty: GNMT ``alpha >= 0``; 0 ranks by log-probability alone.
        coverage_penalty: GNMT ``beta >= 0``; 0 disables it.
    """

    def __init__(
        self,
        beam_size: int,
        n_best: int = 1,
        length_penalty: float = 1.0,
        coverage_penalty: float = 0.0,
    ):
        self.width = beam_size
        self.n_best = n_best
        self.reorders = True
        self.alpha = float(length_penalty)
        self.beta = float(coverage_penalty)

    def select(
        self,
        log_probs: tf.Tensor,
        prefix_log_probs: tf.Tensor,
        live: tf.Tensor,
        step: tf.Tensor | None = None,
    ) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
        """See :meth:`Strategy.select`: the best extensions fill the open slots in order."""
        batch, vocab = tf.shape(log_probs)[0], tf.shape(log_probs)[2]
        # Every extension of every live hypothesis, by total log-probability.
        candidates = tf.where(
            live[:, :, None], prefix_log_probs[:, :, None] + log_probs, NEG_INF
        )  # (batch, beam, vocab)
        best_totals, best_ids = tf.math.top_k(
            tf.reshape(candidates, [batch, self.width * vocab]), k=self.width
        )  # (batch, beam) each, best first
        # The j-th live slot (in slot order) takes the j-th best extension.
        rank = tf.cumsum(tf.cast(live, tf.int32), axis=1, exclusive=True)  # (batch, beam)
        chosen_ids = tf.gather(best_ids, rank, batch_dims=1)  # (batch, beam)
        totals = tf.gather(best_totals, rank, batch_dims=1)  # (batch, beam)
        return chosen_ids // vocab, chosen_ids % vocab, totals

    def score(
        self, log_probs: tf.Tensor, length: tf.Tensor, coverage: tf.Tensor, source_mask: tf.Tensor
    ) -> tf.Tensor:
        """See :meth:`Strategy.score`: the GNMT score."""
        return gnmt_score(log_probs, length, coverage, source_mask, self.alpha, self.beta)

    def done(
        self, finished: tf.Tensor, scores: tf.Tensor, log_probs: tf.Tensor, max_lens: tf.Tensor
    ) -> tf.Tensor:
        """See :meth:`Strategy.done`: no open hypothesis can beat the n_best-th finished."""
        finished_scores = tf.where(finished, scores, NEG_INF)  # (batch, beam)
        needed = tf.math.top_k(finished_scores, k=self.n_best).values[:, -1]  # (batch,)
        open_log_probs = tf.where(finished, NEG_INF, log_probs)  # (batch, beam)
        best_possible_lp = gnmt_length_penalty(max_lens, self.alpha)  # (batch,)
        best_open = tf.reduce_max(open_log_probs, axis=1) / best_possible_lp  # (batch,)
        return best_open <= needed


def strategy_for(settings: DecodingConfig) -> GreedySearch | BeamSearch | RandomSampling:
    """The strategy a decoding config asks for: sampling, greedy or beam search.

    Random sampling when ``settings.sampling_topk`` is not None (the config
    checks that the beam size and n-best are then 1); else greedy for a beam
    of 1 and beam search otherwise. Greedy is the same search as a beam of 1,
    token for token; with a single hypothesis there is nothing to rank, so its
    score is the plain log-probability, without penalties.

    Args:
        settings: Checked decoding settings (``n_best <= beam_size``).

    Returns:
        The strategy object for :func:`translate.search.loop.decode`. A
        :class:`RandomSampling` numbers the rows of a
        batch 0, 1, ...; :func:`translate.search.make_search` gives it the
        sentences' line indices instead.
    """
    if settings.sampling_topk is not None:
        return RandomSampling(settings.sampling_topk, settings.sampling_temperature, settings.seed)
    if settings.beam_size == 1:
        return GreedySearch()
    return BeamSearch(
        settings.beam_size, settings.n_best, settings.length_penalty, settings.coverage_penalty
    )
