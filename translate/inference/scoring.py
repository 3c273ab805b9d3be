"""``translate score``: the log-probability of given translations under a model (forced decoding).

For a source ``x`` and a reference ``y = y1 .. yn`` (subwords), the model is
teacher-forced on ``<s> y1 .. yn`` and the log-probabilities of
``y1 .. yn </s>`` are summed::

    logprob(y | x) = sum_t log p(y_t | y_<t, x)      (n + 1 terms, </s> included)
    score          = logprob / (n + 1)                (per subword)

This is the score greedy search gives its own output (pad and bos are never
predicted, so their probability mass is not renormalized away, as in search).
An empty reference is scored as ``</s>`` alone. Sources longer than the model
reads are cut as for translation. For an ensemble the per-token probabilities
of the members are averaged, ``logsumexp_i(log p_i) - log M``, as in search.

Pairs are scored in batches of ``batch_size`` sorted by length within chunks
of ``chunk_size`` lines, and streamed: memory stays flat for any file size.
Uses: filtering a parallel corpus, quality estimation, reranking n-best lists.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator, Sequence

import tensorflow as tf

from translate import TranslateError
from translate.data.lines import count_lines
from translate.data.tokenizer import BOS_ID, EOS_ID, PAD_ID, SubwordTokenizer
from translate.inference.text import valid_unicode
from translate.inference.translator import Runs, Translator, chunks, source_ids
from translate.runs.fileio import open_lines
from translate.search.step import average_log_probs


@dataclasses.dataclass(frozen=True)
class PairScore:
    """The score of one reference given its source.

    Attributes:
        logprob: Summed log-probability of the reference's subwords and ``</s>``.
        subwords: How many terms that sum has (the reference's subwords + 1).
    """

    logprob: float
    subwords: int

    @property
    def score(self) -> float:
        """The length-normalized score, ``logprob / subwords``."""
        return self.logprob / self.subwords


class Scorer:
    """Forced decoding of references with one model or an ensemble sharing a tokenizer.

    Args:
        models: The models (:class:`~translate.model.Seq2Seq`); several are an ensemble.
        tokenizer: Their shared tokenizer.
        batch_size: Pairs scored together.
        runs: The run directories the models came from, for output records.
    """

    def __init__(
        self,
        models: Sequence,
        tokenizer: SubwordTokenizer,
        batch_size: int = 64,
        runs: Sequence[str] = (),
    ):
        if batch_size < 1:
            raise TranslateError(f"batch size must be > 0, got {batch_size}")
        self.models = list(models)
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.runs = list(runs)
        self._function = tf.function(
            self.score_graph,
            input_signature=[tf.TensorSpec([None], tf.string), tf.TensorSpec([None], tf.string)],
            autograph=False,
        )

    @classmethod
    def load(cls, run_dirs: Runs, batch_size: int | None = None) -> Scorer:
        """Loads one run, or several sharing a tokenizer (an ensemble), as :meth:`Translator.load`.

        Args:
            run_dirs: A run directory written by ``translate train``, or a list of them.
            batch_size: Pairs per batch; None takes the first run's ``decoding.batch_size``.

        Raises:
            TranslateError: If a folder is not a trained run or the tokenizers differ.
        """
        translator = Translator.load(run_dirs)
        batch_size = translator.decoding.batch_size if batch_size is None else batch_size
        return cls(translator.models, translator.tokenizer, batch_size, translator.runs)

    def score_graph(self, sources: tf.Tensor, references: tf.Tensor) -> dict[str, tf.Tensor]:
        """Scores a batch in TensorFlow ops only.

        Args:
            sources: ``(batch,)`` strings.
            references: ``(batch,)`` strings.

        Returns:
            ``logprob (batch,)`` float32 and ``subwords (batch,)`` int32.
        """
        batch = tf.shape(sources)[0]
        source, _ = source_ids(self.tokenizer, sources)  # (batch, src_len)
        eos = tf.RaggedTensor.from_tensor(tf.fill([batch, 1], EOS_ID))
        target = self.tokenizer.encode_target(references)  # ragged (batch, None)
        bos = tf.RaggedTensor.from_tensor(tf.fill([batch, 1], BOS_ID))
        target_in = tf.concat([bos, target], axis=1).to_tensor(PAD_ID)  # (batch, tgt_len)
        target_out = tf.concat([target, eos], axis=1).to_tensor(PAD_ID)  # (batch, tgt_len)
        inputs = {"source": source, "target_in": target_in}
        per_model = []
        for model in self.models:
            logits = model(inputs, training=False)  # (batch, tgt_len, vocab)
            log_probs = tf.nn.log_softmax(tf.cast(logits, tf.float32), axis=-1)
            per_model.append(tf.gather(log_probs, target_out, batch_dims=2))  # (batch, tgt_len)
        token_log_probs = average_log_probs(per_model)  # (batch, tgt_len)
        real = tf.not_equal(target_out, PAD_ID)  # (batch, tgt_len)
        logprob = tf.reduce_sum(tf.where(real, token_log_probs, 0.0), axis=1)  # (batch,)
        return {"logprob": logprob, "subwords": tf.reduce_sum(tf.cast(real, tf.int32), axis=1)}

    def score(self, sources: Sequence[str], references: Sequence[str]) -> list[PairScore]:
        """Scores pairs held in memory, in order.

        Raises:
            TranslateError: If the two lists differ in length.
        """
        if len(sources) != len(references):
            raise TranslateError(
                f"{len(sources)} sources but {len(references)} references; they must pair up"
            )
        sources = [valid_unicode(text) for text in sources]
        references = [valid_unicode(text) for text in references]
        order = sorted(range(len(sources)), key=lambda i: (len(references[i]), len(sources[i])))
        results: list[PairScore | None] = [None] * len(sources)
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            out = self._function(
                tf.constant([sources[i] for i in chunk], tf.string),
                tf.constant([references[i] for i in chunk], tf.string),
            )
            for row, index in enumerate(chunk):
                results[index] = PairScore(float(out["logprob"][row]), int(out["subwords"][row]))
        return results  # type: ignore[return-value]

    def score_stream(
        self,
        pairs: Iterable[tuple[str, str]],
        chunk_size: int = 2000,
        after_chunk: Callable[[], object] | None = None,
    ) -> Iterator[PairScore]:
        """Scores an iterable of ``(source, reference)`` pairs with flat memory, in order.

        Args:
            pairs: The pairs; one with a ``ready()`` method (:func:`read_pairs` of a
                pipe) is cut into chunks of the pairs that have arrived.
            chunk_size: The most pairs scored together (sorted by length).
            after_chunk: Called once a chunk's scores have all been taken.

        Returns:
            One :class:`PairScore` per pair, in order.
        """
        for chunk in chunks(pairs, chunk_size):
            yield from self.score([s for s, _ in chunk], [r for _, r in chunk])
            if after_chunk is not None:
                after_chunk()


def read_pairs(source_path: str, reference_path: str) -> Iterator[tuple[str, str]]:
    """Streams the line pairs of two files; different line counts are one error.

    Regular files are counted first, so a mismatch is reported before any
    work; for other inputs (pipes) it is found when the shorter one ends. The
    result's ``ready()`` says whether the next pair has arrived in both inputs,
    so :meth:`Scorer.score_stream` scores the pairs of a pipe as they come.

    Raises:
        TranslateError: Naming both files and both line counts.
    """
    return _Pairs(source_path, reference_path)


class _Pairs:
    """The iterator :func:`read_pairs` returns; the files open at the first pair asked for."""

    def __init__(self, source_path: str, reference_path: str) -> None:
        self._inputs: list[Iterator[str]] = []  # the two line streams, once open
        self._pairs = self._read(source_path, reference_path)

    def __iter__(self) -> _Pairs:
        return self

    def __next__(self) -> tuple[str, str]:
        return next(self._pairs)

    def ready(self) -> bool:
        """Whether the next pair (or the end) is there in both inputs without waiting."""
        return all(getattr(lines, "ready", lambda: True)() for lines in self._inputs)

    def _read(self, source_path: str, reference_path: str) -> Iterator[tuple[str, str]]:
        try:
            for path in (source_path, reference_path):
                self._inputs.append(open_lines(path))
            if all(os.path.isfile(path) for path in (source_path, reference_path)):
                counts = [count_lines(path, decode=False) for path in (source_path, reference_path)]
                if counts[0] != counts[1]:
                    raise _mismatch(source_path, reference_path, *counts)
            sources, references = self._inputs
            pairs = 0
            for source in sources:
                reference = next(references, None)
                if reference is None:
                    rest = 1 + sum(1 for _ in sources)
                    raise _mismatch(source_path, reference_path, pairs + rest, pairs)
                pairs += 1
                yield source, reference
            rest = sum(1 for _ in references)
            if rest:
                raise _mismatch(source_path, reference_path, pairs, pairs + rest)
        finally:
            for lines in self._inputs:
                lines.close()  # type: ignore[attr-defined]


def _mismatch(source_path: str, reference_path: str, sources: int, references: int):
    return TranslateError(
        f"the source file {source_path} has {sources} lines but the reference file "
        f"{reference_path} has {references}; they must pair up line by line"
    )
