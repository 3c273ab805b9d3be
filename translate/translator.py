"""Strings in, strings out: a trained run directory as a translator.

A run directory holds everything translation needs, so training and
translating can never disagree on preprocessing::

    RUN_DIR/
      config.yaml        the resolved experiment config
      tokenizer/         SentencePiece model(s)
      model.keras        the best model by dev BLEU (Keras format, safe_mode loadable)

:class:`Translator` compiles one TensorFlow graph per search setting that runs
tokenization, encoding, greedy or beam search and detokenization together.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import zipfile
from collections.abc import Iterable, Iterator, Sequence

import keras
import numpy as np
import tensorflow as tf

from translate import search
from translate.config import Config, DecodingConfig, load_config
from translate.errors import TranslateError
from translate.model import Seq2Seq
from translate.tokenizer import BOS_ID, EOS_ID, PAD_ID, SubwordTokenizer

log = logging.getLogger(__name__)

MODEL_FILE = "model.keras"
CONFIG_FILE = "config.yaml"
TOKENIZER_DIR = "tokenizer"
MAX_SOURCE_TOKENS = 256
MAX_OUTPUT_TOKENS = 256


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


def load_model(path: str | os.PathLike) -> keras.Model:
    """Loads a ``.keras`` model with ``safe_mode`` on, with clear errors."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise TranslateError(f"model file not found: {path}")
    if not zipfile.is_zipfile(path):
        raise TranslateError(f"{path}: not a Keras model file (truncated or corrupted?)")
    _check_model_archive(path)
    try:
        model = keras.models.load_model(path, compile=False, safe_mode=True)
    except Exception as error:  # Keras raises many kinds for a damaged archive.
        raise TranslateError(f"{path}: cannot load the model ({type(error).__name__}: {error})") from None
    if not isinstance(model, Seq2Seq):
        raise TranslateError(f"{path}: holds a {type(model).__name__}, not this project's Seq2Seq model")
    return model


def _check_model_archive(path: str) -> None:
    """Reads the archive's ``config.json`` to reject another project's model before loading it."""
    try:
        with zipfile.ZipFile(path) as archive:
            config = json.loads(archive.read("config.json"))
    except KeyError:
        raise TranslateError(f"{path}: not a Keras model file (no config.json in the archive)") from None
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TranslateError(f"{path}: damaged Keras model file ({error})") from None
    config = config if isinstance(config, dict) else {}
    if config.get("registered_name") != "translate>Seq2Seq":
        kind = config.get("registered_name") or config.get("class_name") or "unknown"
        raise TranslateError(
            f"{path}: holds a Keras model of class {kind}, not this project's Seq2Seq "
            "(use a run directory written by 'translate train')"
        )


def check_run_dir(run_dir: str | os.PathLike) -> None:
    """Raises a clear error unless ``run_dir`` holds a trained model."""
    run_dir = os.fspath(run_dir)
    if not os.path.isdir(run_dir):
        raise TranslateError(f"model directory not found: {run_dir}")
    if os.path.exists(os.path.join(run_dir, "saved_model.pb")) or any(
        os.path.exists(os.path.join(run_dir, name, "saved_model.pb"))
        for name in os.listdir(run_dir) if name.isdigit()
    ):
        raise TranslateError(
            f"{run_dir} is a SavedModel export, not a run directory: load it with "
            "tf.saved_model.load (after 'import tensorflow_text') or TensorFlow Serving"
        )
    missing = [
        name
        for name in (CONFIG_FILE, TOKENIZER_DIR, MODEL_FILE)
        if not os.path.exists(os.path.join(run_dir, name))
    ]
    if missing:
        hint = " (training has not finished an epoch yet?)" if missing == [MODEL_FILE] else ""
        raise TranslateError(
            f"{run_dir} is not a trained model directory: missing {', '.join(missing)}{hint}"
        )


def _valid_unicode(text: str) -> str:
    """``text`` encodable as UTF-8: surrogate pairs joined, lone surrogates replaced by U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


class Translator:
    """Translates raw strings with a trained model.

    Args:
        model: The trained :class:`~translate.model.Seq2Seq`.
        tokenizer: The tokenizer it was trained with.
        decoding: Default search settings.

    Example:
        >>> translator = Translator.load("runs/quick")
        >>> translator.translate(["Ein Mann fährt Fahrrad."])[0].text
    """

    def __init__(self, model: Seq2Seq, tokenizer: SubwordTokenizer, decoding: DecodingConfig):
        self.model = model
        self.tokenizer = tokenizer
        self.decoding = decoding
        self._compiled: dict[DecodingConfig, tf.types.experimental.PolymorphicFunction] = {}

    @classmethod
    def load(cls, run_dir: str | os.PathLike, config: Config | None = None) -> Translator:
        """Loads a run directory written by ``translate train``."""
        check_run_dir(run_dir)
        config = config or load_config(os.path.join(run_dir, CONFIG_FILE))
        tokenizer = SubwordTokenizer.load(os.path.join(run_dir, TOKENIZER_DIR))
        model = load_model(os.path.join(run_dir, MODEL_FILE))
        sizes = (tokenizer.source_vocab_size, tokenizer.target_vocab_size)
        if sizes != (model.source_vocab_size, model.target_vocab_size):
            raise TranslateError(
                f"{run_dir}: the tokenizer ({sizes[0]}/{sizes[1]} subwords) does not match the "
                f"model ({model.source_vocab_size}/{model.target_vocab_size}); "
                f"were {TOKENIZER_DIR}/ or {MODEL_FILE} copied from another run?"
            )
        return cls(model, tokenizer, config.decoding)

    def search_settings(self, **overrides) -> DecodingConfig:
        """The default decoding settings with non-None overrides applied."""
        settings = dataclasses.replace(
            self.decoding, **{k: v for k, v in overrides.items() if v is not None}
        )
        if settings.beam_size < 1:
            raise TranslateError(f"beam size must be >= 1, got {settings.beam_size}")
        if settings.batch_size < 1:
            raise TranslateError(f"batch size must be >= 1, got {settings.batch_size}")
        if not 1 <= settings.n_best <= settings.beam_size:
            raise TranslateError(
                f"n-best must be between 1 and the beam size ({settings.beam_size}), got {settings.n_best}"
            )
        return settings

    @staticmethod
    def graph_key(settings: DecodingConfig) -> DecodingConfig:
        """The settings that shape the compiled graph: all but the batch size."""
        return dataclasses.replace(settings, batch_size=0)

    def graph(self, settings: DecodingConfig) -> tf.types.experimental.PolymorphicFunction:
        """The compiled strings-to-strings function for one search setting.

        It takes ``(batch,)`` strings and returns a dict of ``translations
        (batch, n_best)`` strings, ``scores (batch, n_best)``, ``source_ids
        (batch, src_len)``, ``tokens (batch, n_best, out_len)`` and ``attention
        (batch, out_len, src_len)``. The input signature has no fixed sizes, so
        new batch sizes and lengths never retrace.
        """
        key = self.graph_key(settings)
        if key not in self._compiled:
            # autograph=False: the graph has no Python control flow on tensors (the
            # searches use tf.while_loop, the layers tf.scan), and converting Keras'
            # code with autograph made the first translation trace ~7x slower.
            self._compiled[key] = tf.function(
                lambda text: self._translate_graph(text, settings),
                input_signature=[tf.TensorSpec([None], tf.string)],
                autograph=False,
            )
        return self._compiled[key]

    def _translate_graph(self, text: tf.Tensor, settings: DecodingConfig) -> dict[str, tf.Tensor]:
        ids = self.tokenizer.encode_source(text)  # ragged (batch, None), ending with </s>
        source_lengths = ids.row_lengths()  # before truncation
        # A long source keeps its first MAX_SOURCE_TOKENS - 1 subwords and its </s>.
        eos = tf.RaggedTensor.from_tensor(tf.fill([tf.shape(source_lengths)[0], 1], EOS_ID))
        ids = tf.concat([ids[:, :-1][:, : MAX_SOURCE_TOKENS - 1], eos], axis=1)
        source = ids.to_tensor(default_value=PAD_ID)  # (batch, src_len)
        source_mask = tf.not_equal(source, PAD_ID)
        state, constants = self.model.split_state(self.model.encode(source))
        step_fn = search.make_step_fn(self.model, search.repeat_beams(constants, settings.beam_size))
        common = dict(
            bos_id=BOS_ID,
            eos_id=EOS_ID,
            max_length_ratio=settings.max_length_ratio,
            max_length_offset=settings.max_length_offset,
            max_length=MAX_OUTPUT_TOKENS,
            compact=settings.compact,
        )
        if settings.beam_size == 1:
            result = search.greedy_search(step_fn, state, source_mask, **common)
        else:
            result = search.beam_search(
                step_fn, state, source_mask,
                beam_size=settings.beam_size,
                length_penalty=settings.length_penalty,
                coverage_penalty=settings.coverage_penalty,
                n_best=settings.n_best,
                **common,
            )
        tokens = result.tokens  # (batch, n_best, out_len)
        batch, n_best = tf.shape(tokens)[0], tf.shape(tokens)[1]
        flat = tf.reshape(tokens, [batch * n_best, -1])
        texts = tf.reshape(self.tokenizer.decode_target(flat), [batch, n_best])
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
        texts: Sequence[str],
        *,
        beam_size: int | None = None,
        n_best: int | None = None,
        length_penalty: float | None = None,
        coverage_penalty: float | None = None,
        with_attention: bool = False,
    ) -> list[Translation]:
        """Translates sentences; blank lines come back as empty translations.

        Sentences are sorted by length and translated ``decoding.batch_size``
        at a time, then returned in input order. Any string is accepted: lone
        surrogates become U+FFFD, a source longer than ``MAX_SOURCE_TOKENS``
        subwords is cut (``Translation.truncated``), and line breaks in a
        translation are replaced by spaces, so each input gives one line out.

        Args:
            texts: Source sentences.
            beam_size: Beam width (1 = greedy); None keeps the config's.
            n_best: Hypotheses per sentence.
            length_penalty: GNMT alpha.
            coverage_penalty: GNMT beta.
            with_attention: Also return subword pieces and attention matrices.

        Returns:
            One :class:`Translation` per input, in order.
        """
        settings = self.search_settings(
            beam_size=beam_size, n_best=n_best, length_penalty=length_penalty,
            coverage_penalty=coverage_penalty,
        )
        if isinstance(texts, (str, bytes)):
            raise TypeError("translate() takes a sequence of strings, not a single string")
        texts = [_valid_unicode(text) for text in texts]
        return list(self._translate_batches(texts, settings, with_attention))

    def _translate_batches(
        self, texts: list[str], settings: DecodingConfig, with_attention: bool
    ) -> Iterator[Translation]:
        results: list[Translation | None] = [None] * len(texts)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        for i, text in enumerate(texts):
            if not text.strip():
                results[i] = Translation(text, [""] * settings.n_best, [0.0] * settings.n_best)
        todo.sort(key=lambda i: len(texts[i]))
        function = self.graph(settings)
        for start in range(0, len(todo), settings.batch_size):
            chunk = todo[start : start + settings.batch_size]
            batch = tf.constant([texts[i] for i in chunk])
            try:
                out = function(batch)
            except tf.errors.NotFoundError:
                # TensorFlow was reseeded since the graph was traced, which drops the
                # tokenizer's kernel: rebuild it and trace again (see SubwordTokenizer._run).
                self.tokenizer._build_ops()
                self._compiled.clear()
                function = self.graph(settings)
                out = function(batch)
            for row, index in enumerate(chunk):
                results[index] = self._unpack(texts[index], out, row, with_attention)
        yield from results  # type: ignore[misc]

    def _unpack(self, text: str, out: dict, row: int, with_attention: bool) -> Translation:
        # Byte-fallback pieces can spell line breaks: keep one line per translation.
        hypotheses = [
            " ".join(h.decode("utf-8", "replace").split()) for h in out["translations"][row].numpy()
        ]
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

    def translate_stream(self, lines: Iterable[str], chunk_size: int = 2000, **options) -> Iterator[Translation]:
        """Translates an iterable of lines with flat memory, ``chunk_size`` lines at a time."""
        chunk: list[str] = []
        for line in lines:
            chunk.append(line)
            if len(chunk) >= chunk_size:
                yield from self.translate(chunk, **options)
                chunk = []
        if chunk:
            yield from self.translate(chunk, **options)
