"""Strings in, strings out: a trained run directory as a translator.

A run directory (:mod:`translate.runs.rundir` describes its layout) holds
everything translation needs: the config, the tokenizer and the model, so
training and translating can never disagree on preprocessing.
:func:`load_model` is the one place a ``model.keras`` file is loaded.

:meth:`Translator.load` takes one run or several. Several runs are an
ensemble: the members' next-token distributions are averaged, ``log p(y) =
logsumexp_i(log p_i(y)) - log M`` (as in fairseq), by the step function
:func:`translate.search.ensemble_step_fn`, so greedy search, beam search,
n-best and sampling work unchanged. The members may differ in architecture
(sizes, layers, attention), but must read and write the same subwords: their
tokenizers (source and target SentencePiece models) must be byte-identical,
which runs trained with a shared tokenizer folder are
(:func:`check_shared_tokenizer`). The first run's config gives the default
decoding settings.

:class:`Translator` compiles one TensorFlow graph per search setting that runs
tokenization, encoding, search (:func:`translate.search.make_search`) and
detokenization together; the SavedModel export saves that same graph.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

import keras
import numpy as np
import tensorflow as tf

from translate import TranslateError
from translate.config.schema import Config, DecodingConfig, replace_decoding
from translate.data.tokenizer import EOS_ID, PAD_ID, SubwordTokenizer
from translate.inference.text import is_blank, one_line, valid_unicode
from translate.model import Seq2Seq
from translate.runs.rundir import check_model_archive, check_run_dir
from translate.search import make_search
from translate.training import precision

log = logging.getLogger(__name__)

MAX_SOURCE_TOKENS = 256
MAX_OUTPUT_TOKENS = 256

#: A run directory, or several (an ensemble).
Runs = str | os.PathLike | Sequence[str | os.PathLike]

_Item = TypeVar("_Item")


@dataclasses.dataclass
class Translation:
    """One translated sentence.

    Attributes:
        source: The input text.
        hypotheses: Translations, best first (``n_best`` of them).
        scores: Their search scores (normalized log-probabilities).
        source_pieces: Source subwords, for attention plots.
        target_pieces: Subwords of the best hypothesis.
        attention: ``(len(target_pieces), len(source_pieces))`` attention of the best hypothesis.
        truncated: The source was longer than the model reads (``MAX_SOURCE_TOKENS``
            subwords with ``</s>``); only its beginning was translated.
    """

    source: str
    hypotheses: list[str]
    scores: list[float]
    source_pieces: list[str] = dataclasses.field(default_factory=list)
    target_pieces: list[str] = dataclasses.field(default_factory=list)
    attention: np.ndarray | None = None
    truncated: bool = False

    @property
    def text(self) -> str:
        return self.hypotheses[0] if self.hypotheses else ""


def load_model(path: str | os.PathLike) -> Seq2Seq:
    """Loads a ``.keras`` file of this project's model, with ``safe_mode`` on.

    The one place a model file is loaded: the Translator, checkpoint
    averaging and the benchmarks all come here.

    Args:
        path: The file, e.g. :attr:`translate.runs.rundir.RunDir.model_file`.

    Returns:
        The :class:`~translate.model.Seq2Seq`, not compiled.

    Raises:
        TranslateError: If the file is missing, damaged or holds another model.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise TranslateError(f"model file not found: {path}")
    if not zipfile.is_zipfile(path):
        raise TranslateError(f"{path}: not a Keras model file (truncated or corrupted?)")
    check_model_archive(path)
    try:
        model = keras.models.load_model(path, compile=False, safe_mode=True)
    except Exception as error:  # Keras raises many kinds for a damaged archive.
        kind = type(error).__name__
        raise TranslateError(f"{path}: cannot load the model ({kind}: {error})") from None
    if not isinstance(model, Seq2Seq):
        raise TranslateError(
            f"{path}: holds a {type(model).__name__}, not this project's Seq2Seq model"
        )
    return model


def source_ids(tokenizer: SubwordTokenizer, texts: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """The padded source ids the model reads, long sources cut: in TensorFlow ops only.

    A source longer than ``MAX_SOURCE_TOKENS`` subwords (``</s>`` included)
    keeps its first ``MAX_SOURCE_TOKENS - 1`` subwords and its ``</s>``.
    Translation, scoring and the export all read sources through here.

    Args:
        tokenizer: The run's tokenizer.
        texts: ``(batch,)`` strings.

    Returns:
        ``source (batch, src_len)`` int32 ids, 0-padded, each row ending with
        ``</s>``; and ``lengths (batch,)`` int64, each source's subwords with
        ``</s>`` before cutting.
    """
    ids = tokenizer.encode_source(texts)  # ragged (batch, None), ending with </s>
    lengths = ids.row_lengths()  # (batch,) before truncation
    eos = tf.RaggedTensor.from_tensor(tf.fill([tf.shape(lengths)[0], 1], EOS_ID))
    ids = tf.concat([ids[:, :-1][:, : MAX_SOURCE_TOKENS - 1], eos], axis=1)
    return ids.to_tensor(default_value=PAD_ID), lengths  # (batch, src_len), (batch,)


def chunks(items: Iterable[_Item], size: int) -> Iterator[list[_Item]]:
    """Groups an iterable into lists of ``size`` items (the last may be shorter), lazily.

    Streaming commands (translate, score, rerank) read their input through here,
    so memory stays flat for any input length. An input with a ``ready()`` method
    (:class:`translate.runs.fileio.ArrivingLines`: a pipe, socket or terminal) also
    ends a list early when its next item has not arrived yet, so what has come in
    is answered at once instead of waiting for ``size`` items.
    """
    ready = getattr(items, "ready", None)
    chunk: list[_Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size or (ready is not None and not ready()):
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def check_shared_tokenizer(run_dirs: Sequence[str], tokenizers: Sequence[SubwordTokenizer]) -> None:
    """Checks that every run's tokenizer equals the first run's (identical SentencePiece models).

    Args:
        run_dirs: The runs, in order.
        tokenizers: Their tokenizers.

    Raises:
        TranslateError: Naming the first run and the first run that differs.
    """
    first = tokenizers[0]
    for run_dir, tokenizer in zip(run_dirs[1:], tokenizers[1:], strict=True):
        if (first.source_model, first.target_model) != (
            tokenizer.source_model,
            tokenizer.target_model,
        ):
            side = "target" if first.target_model != tokenizer.target_model else "source"
            raise TranslateError(
                f"the runs of an ensemble must share one tokenizer, but the {side} "
                f"subwords of {run_dir} differ from those of {run_dirs[0]} (compare their "
                "tokenizer/ folders; train the runs with one shared tokenizer)"
            )


def _load_run(
    run_dir: str | os.PathLike, config: Config | None
) -> tuple[Seq2Seq, SubwordTokenizer, Config]:
    """One run's model, tokenizer and config, checked to belong together."""
    run = check_run_dir(run_dir)
    config = config or run.load_config()
    tokenizer = run.load_tokenizer()
    model = load_model(run.model_file)
    sizes = (tokenizer.source_vocab_size, tokenizer.target_vocab_size)
    if sizes != (model.source_vocab_size, model.target_vocab_size):
        raise TranslateError(
            f"{run.path}: the tokenizer ({sizes[0]}/{sizes[1]} subwords) does not match the "
            f"model ({model.source_vocab_size}/{model.target_vocab_size}); were "
            f"{run.tokenizer_dir} and {run.model_file} copied from different runs?"
        )
    return model, tokenizer, config


class Translator:
    """Translates raw strings with a trained model, or an ensemble of them.

    Args:
        model: The trained :class:`~translate.model.Seq2Seq` (an ensemble's first member).
        tokenizer: The tokenizer it was trained with.
        decoding: Default search settings.
        members: An ensemble's models (sharing ``tokenizer``), searched together
            with their probabilities averaged (:func:`translate.search.ensemble_step_fn`);
            None translates with ``model`` alone.
        runs: The run directories the models came from, for output records.

    Example:
        >>> translator = Translator.load("runs/quick")
        >>> translator.translate("Ein Mann fährt Fahrrad.").text
        >>> ensemble = Translator.load(["runs/a", "runs/b"])
    """

    def __init__(
        self,
        model: Seq2Seq,
        tokenizer: SubwordTokenizer,
        decoding: DecodingConfig,
        *,
        members: Sequence[Seq2Seq] | None = None,
        runs: Sequence[str] = (),
    ):
        self.model = model
        self.tokenizer = tokenizer
        self.decoding = decoding
        self.members = list(members) if members is not None else None
        self.runs = list(runs)
        self._compiled: dict[DecodingConfig, tf.types.experimental.PolymorphicFunction] = {}

    @classmethod
    def load(cls, runs: Runs, config: Config | None = None) -> Translator:
        """Loads a run directory written by ``translate train``, or several as an ensemble.

        Args:
            runs: A run directory, or a list of them sharing a tokenizer (an
                ensemble; a list of one translates like the run alone).
            config: The first run's config, if the caller has already read it;
                None reads its ``config.yaml``.

        Returns:
            A translator with the first run's ``decoding`` settings as defaults,
            ``runs`` naming the runs and, for several, ``members`` their models.

        Raises:
            TranslateError: If a folder is not a trained run, a file in it is
                damaged, its tokenizer and model do not belong together, or the
                runs' tokenizers differ.
        """
        run_dirs = [runs] if isinstance(runs, (str, os.PathLike)) else list(runs)
        if not run_dirs:
            raise TranslateError("an ensemble needs at least one run directory")
        names = [os.fspath(run_dir) for run_dir in run_dirs]
        loaded = [_load_run(run_dir, config if i == 0 else None) for i, run_dir in enumerate(names)]
        check_shared_tokenizer(names, [tokenizer for _, tokenizer, _ in loaded])
        (model, tokenizer, first_config), models = loaded[0], [m for m, _, _ in loaded]
        members = models if len(models) > 1 else None
        return cls(model, tokenizer, first_config.decoding, members=members, runs=names)

    @property
    def models(self) -> list[Seq2Seq]:
        """Every model searched: the ensemble's members, or the one model."""
        return self.members or [self.model]

    def search_settings(self, **overrides) -> DecodingConfig:
        """The default decoding settings with non-None overrides applied and checked.

        Turning sampling on (``sampling_topk`` not None) without giving
        ``beam_size`` or ``n_best`` sets them to 1, since sampling keeps one
        hypothesis; giving a larger one is an error. Giving ``beam_size``
        without ``sampling_topk`` asks for search: it switches off sampling
        that the defaults (the run's config) turn on.

        Args:
            **overrides: :class:`~translate.config.schema.DecodingConfig` fields, e.g.
                ``beam_size=3``; None keeps the default.

        Returns:
            The settings (see :func:`translate.config.schema.replace_decoding`), with
            ``precision: auto`` resolved to the policy it picks here
            (:func:`translate.training.precision.resolve`).
        """
        defaults = self.decoding
        if overrides.get("sampling_topk") is not None:
            for name in ("beam_size", "n_best"):
                if overrides.get(name) is None:
                    overrides[name] = 1
        elif overrides.get("beam_size") is not None:
            defaults = dataclasses.replace(defaults, sampling_topk=None)
        settings = replace_decoding(defaults, **overrides)
        if settings.precision == "auto":
            choice = precision.resolve(settings.precision, "decoding.precision")
            settings = dataclasses.replace(settings, precision=choice.policy)
        return settings

    @staticmethod
    def graph_key(settings: DecodingConfig) -> DecodingConfig:
        """The settings that shape the compiled graph: all but the batch size."""
        return dataclasses.replace(settings, batch_size=0)

    def graph(self, settings: DecodingConfig) -> tf.types.experimental.PolymorphicFunction:
        """The compiled strings-to-strings function for one search setting.

        It is :meth:`translate_graph` in a ``tf.function`` whose input signature
        has no fixed sizes, so new batch sizes and lengths never retrace.
        """
        key = self.graph_key(settings)
        if key not in self._compiled:
            # autograph=False: the graph has no Python control flow on tensors (the
            # searches use tf.while_loop, the layers tf.scan), so there is nothing to
            # convert, and converting Keras' code anyway makes the first trace slower.
            self._compiled[key] = tf.function(
                lambda text, lines: self.translate_graph(text, settings, lines),
                input_signature=[tf.TensorSpec([None], tf.string), tf.TensorSpec([None], tf.int64)],
                autograph=False,
            )
        return self._compiled[key]

    def translate_graph(
        self, text: tf.Tensor, settings: DecodingConfig, lines: tf.Tensor | None = None
    ) -> dict[str, tf.Tensor]:
        """Translates a batch in TensorFlow ops only: what :meth:`graph` and the export trace.

        Args:
            text: ``(batch,)`` strings, none of them blank (:func:`.text.is_blank`);
                the batch must not be empty (the encoder cannot scan it).
            settings: Checked search settings.
            lines: ``(batch,)`` int64 line index of each sentence in the input,
                which keys random sampling; None numbers the batch 0, 1, ...

        Returns:
            A dict of ``translations (batch, n_best)`` strings, each one line
            (:func:`translate.inference.text.one_line`); ``scores (batch, n_best)``;
            ``source_ids (batch, src_len)``; ``source_lengths (batch,)`` subwords
            before truncation; ``tokens (batch, n_best, out_len)``; and
            ``attention (batch, out_len, src_len)`` of the best hypothesis.

        The graph is traced under ``settings.precision`` (the model's own
        precision, e.g. training's, is restored after).
        """
        policy = precision.resolve(settings.precision, "decoding.precision").policy
        with contextlib.ExitStack() as stack:
            for model in self.models:
                stack.enter_context(precision.using(model, policy))
            return self._translate_graph(text, settings, lines)

    def _translate_graph(
        self, text: tf.Tensor, settings: DecodingConfig, lines: tf.Tensor | None
    ) -> dict[str, tf.Tensor]:
        source, source_lengths = source_ids(self.tokenizer, text)  # (batch, src_len), (batch,)
        searched = self.model if self.members is None else self.members
        result = make_search(searched, settings, max_length=MAX_OUTPUT_TOKENS)(source, lines)
        tokens = result.tokens  # (batch, n_best, out_len)
        batch, n_best = tf.shape(tokens)[0], tf.shape(tokens)[1]
        flat = tf.reshape(tokens, [batch * n_best, -1])
        texts = tf.reshape(one_line(self.tokenizer.decode_target(flat)), [batch, n_best])
        return {
            "translations": texts,
            "scores": result.scores,
            "source_ids": source,
            "source_lengths": source_lengths,
            "tokens": tokens,
            "attention": result.attention,
        }

    def translate(
        self,
        texts: str | Sequence[str],
        *,
        beam_size: int | None = None,
        n_best: int | None = None,
        length_penalty: float | None = None,
        coverage_penalty: float | None = None,
        sampling_topk: int | None = None,
        sampling_temperature: float | None = None,
        seed: int | None = None,
        with_attention: bool = False,
        first_line: int = 0,
        precision: str | None = None,
    ) -> Translation | list[Translation]:
        """Translates a sentence or a list of them; blank lines come back as empty translations.

        Sentences are sorted by length and translated ``decoding.batch_size``
        at a time, then returned in input order. Any string is accepted: lone
        surrogates become U+FFFD, a source longer than ``MAX_SOURCE_TOKENS``
        subwords is cut (``Translation.truncated``), and line breaks in a
        translation are replaced by spaces, so each input gives one line out.

        Args:
            texts: A source sentence, or a list of them.
            beam_size: Beam width (1 = greedy); None keeps the config's.
            n_best: Hypotheses per sentence.
            length_penalty: GNMT alpha.
            coverage_penalty: GNMT beta.
            sampling_topk: Sample from the K most probable tokens (0 = all)
                instead of searching; None keeps the config's.
            sampling_temperature: Sampling temperature (> 0).
            seed: Sampling seed.
            with_attention: Also return subword pieces and attention matrices.
            first_line: The line index of ``texts[0]`` in the whole input: a
                sentence's sample is keyed by ``(seed, line index, step)``.
            precision: ``decoding.precision`` (:mod:`translate.training.precision`).

        Returns:
            One :class:`Translation` for a string; for a list, one per input, in order.
        """
        settings = self.search_settings(
            beam_size=beam_size,
            n_best=n_best,
            length_penalty=length_penalty,
            coverage_penalty=coverage_penalty,
            sampling_topk=sampling_topk,
            sampling_temperature=sampling_temperature,
            seed=seed,
            precision=precision,
        )
        if isinstance(texts, bytes):
            raise TypeError("translate() takes a string or a sequence of strings, not bytes")
        if isinstance(texts, str):
            (one,) = self._translate_batches(
                [valid_unicode(texts)], settings, with_attention, first_line
            )
            return one
        texts = [valid_unicode(text) for text in texts]
        return list(self._translate_batches(texts, settings, with_attention, first_line))

    def _translate_batches(
        self, texts: list[str], settings: DecodingConfig, with_attention: bool, first_line: int
    ) -> Iterator[Translation]:
        results: list[Translation | None] = [None] * len(texts)
        todo = [i for i, text in enumerate(texts) if not is_blank(text)]
        for i, text in enumerate(texts):
            if is_blank(text):
                results[i] = Translation(text, [""] * settings.n_best, [0.0] * settings.n_best)
        todo.sort(key=lambda i: len(texts[i]))
        for start in range(0, len(todo), settings.batch_size):
            chunk = todo[start : start + settings.batch_size]
            batch = tf.constant([texts[i] for i in chunk])
            lines = tf.constant([first_line + i for i in chunk], tf.int64)
            # A reseed since tracing drops the tokenizer's kernel: rebuilt, then traced again.
            out = self.tokenizer.run_rebuilding(
                lambda: self.graph(settings)(batch, lines), self._compiled.clear
            )
            for row, index in enumerate(chunk):
                results[index] = self._unpack(texts[index], out, row, with_attention)
        yield from results  # type: ignore[misc]

    def _unpack(self, text: str, out: dict, row: int, with_attention: bool) -> Translation:
        hypotheses = [h.decode("utf-8") for h in out["translations"][row].numpy()]  # one line each
        scores = [float(s) for s in out["scores"][row].numpy()]
        source_ids = out["source_ids"][row].numpy()
        source_length = int(np.sum(source_ids != PAD_ID))
        translation = Translation(
            text, hypotheses, scores, truncated=int(out["source_lengths"][row]) > MAX_SOURCE_TOKENS
        )
        if with_attention:
            tokens = out["tokens"][row, 0].numpy()
            target_length = int(np.sum(tokens != PAD_ID))
            pieces = self.tokenizer.source_pieces(tf.constant(source_ids[:source_length]))
            translation.source_pieces = [p.decode("utf-8") for p in pieces.numpy()]
            target = self.tokenizer.target_pieces(tf.constant(tokens[:target_length]))
            translation.target_pieces = [p.decode("utf-8") for p in target.numpy()]
            translation.attention = out["attention"][row].numpy()[:target_length, :source_length]
        return translation

    def translate_stream(
        self,
        lines: Iterable[str],
        chunk_size: int = 2000,
        after_chunk: Callable[[], object] | None = None,
        **options,
    ) -> Iterator[Translation]:
        """Translates an iterable of lines with flat memory, ``chunk_size`` lines at a time.

        Line indices (which key random sampling) count from the first line given.

        Args:
            lines: The sentences; one with a ``ready()`` method is cut into chunks of
                the lines that have arrived (see :func:`chunks`).
            chunk_size: The most lines translated together (sorted by length).
            after_chunk: Called once a chunk's translations have all been taken
                (the command flushes its output there).
            **options: As for :meth:`translate`, and ``first_line``.

        Returns:
            The translations, in input order.
        """
        first_line = options.pop("first_line", 0)
        for chunk in chunks(lines, chunk_size):
            yield from self.translate(chunk, first_line=first_line, **options)
            first_line += len(chunk)
            if after_chunk is not None:
                after_chunk()
