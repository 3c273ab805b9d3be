"""SentencePiece subword tokenizers, trained on the training split and applied in-graph.

Training uses the ``sentencepiece`` library; tokenizing and detokenizing use
``tensorflow_text.SentencepieceTokenizer`` on the same serialized model, so the
tokenizer runs inside the TensorFlow graph of training, of translation and of
an exported SavedModel alike. Every model shares one id layout:

====  =====  ==========================================
id    piece  use
====  =====  ==========================================
0     <pad>  padding (Keras masking treats 0 as padding)
1     <unk>  unknown piece
2     <s>    beginning of a target sentence
3     </s>   end of a sentence
====  =====  ==========================================

Byte fallback is on, so any character, including emoji and scripts never seen
in training, survives a round trip through the tokenizer.

For subword regularisation (Kudo, 2018), :meth:`SubwordTokenizer.sampling`
gives a copy whose encoders draw a segmentation from a unigram model's
lattice at every call instead of taking the best one; only the training
pairs are tokenized that way.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from typing import TypeVar

import sentencepiece as spm
import tensorflow as tf
import tensorflow_text as tf_text
from sentencepiece import sentencepiece_model_pb2

from translate import TranslateError
from translate.data import cache

log = logging.getLogger(__name__)
T = TypeVar("T")

PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3
_FILE_NAMES = {"joint": "joint.model", "source": "source.model", "target": "target.model"}
MODEL_FILES = tuple(_FILE_NAMES.values())  # every model file name a tokenizer folder may hold
# What the tokenizer was trained on (a corpus fingerprint), when known.
BUILT_FROM_FILE = "built_from.json"


def train_sentencepiece(
    lines: Iterable[str],
    vocab_size: int,
    model_type: str = "unigram",
) -> bytes:
    """Trains one SentencePiece model.

    Args:
        lines: Training sentences.
        vocab_size: Target vocabulary size (a soft limit: a small corpus gets fewer).
        model_type: ``unigram`` or ``bpe``.

    Returns:
        The serialized model proto.

    Raises:
        TranslateError: If there are no sentences to learn from.
    """
    with tempfile.TemporaryDirectory() as tmp:
        text_path = os.path.join(tmp, "corpus.txt")
        count = 0
        characters: set[str] = set()
        with open(text_path, "w", encoding="utf-8") as handle:
            for line in lines:
                line = line.strip()
                if line:
                    handle.write(line + "\n")
                    characters.update(line)
                    count += 1
        if count == 0:
            raise TranslateError("cannot train a tokenizer: the training corpus has no text")
        # Every character and the 256 fallback bytes need a piece of their own.
        minimum = len(characters) + 256 + 4 + 16
        if vocab_size < minimum:
            log.warning(
                "vocab_size %d is below the %d pieces this corpus needs; using %d",
                vocab_size,
                minimum,
                minimum,
            )
            vocab_size = minimum
        prefix = os.path.join(tmp, "spm")
        spm.SentencePieceTrainer.train(
            input=text_path,
            model_prefix=prefix,
            vocab_size=vocab_size,
            model_type=model_type,
            character_coverage=1.0,
            byte_fallback=True,
            hard_vocab_limit=False,
            pad_id=PAD_ID,
            unk_id=UNK_ID,
            bos_id=BOS_ID,
            eos_id=EOS_ID,
            input_sentence_size=2_000_000,
            shuffle_input_sentence=True,
            num_threads=os.cpu_count() or 1,
            minloglevel=2,
        )
        with open(prefix + ".model", "rb") as handle:
            return handle.read()


def model_type(model: bytes) -> str:
    """The algorithm of a serialized SentencePiece model (``unigram``, ``bpe``, ``word``, ...)."""
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(model)
    return sentencepiece_model_pb2.TrainerSpec.ModelType.Name(proto.trainer_spec.model_type).lower()


# The pieces every model needs at the ids above, as SentencePiece names their flags.
_NEEDED_IDS = {"pad_id": PAD_ID, "unk_id": UNK_ID, "bos_id": BOS_ID, "eos_id": EOS_ID}
# How to train a model that has them (the options train_sentencepiece uses).
SPM_TRAIN_FLAGS = (
    "spm_train --input=CORPUS --model_prefix=NAME --vocab_size=N "
    "--pad_id=0 --unk_id=1 --bos_id=2 --eos_id=3 --byte_fallback=true --character_coverage=1.0"
)


def read_sentencepiece_model(path: str | os.PathLike, key: str) -> bytes:
    """Reads a SentencePiece model file of the user's and checks it fits this project.

    Args:
        path: The ``.model`` file.
        key: The config key that named it, for the messages.

    Returns:
        The serialized model, unchanged.

    Raises:
        TranslateError: If the file cannot be read, is not a SentencePiece
            model, or lacks ``<pad>``, ``<unk>``, ``<s>`` or ``</s>`` at ids 0-3
            (the message says which, and the ``spm_train`` flags that add them).
    """
    path = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
    except OSError as error:
        raise TranslateError(f"{key}: cannot read {path}: {error.strerror}") from None
    processor = spm.SentencePieceProcessor()
    try:
        processor.LoadFromSerializedProto(blob)
    except (RuntimeError, OSError, TypeError):
        raise TranslateError(f"{key}: {path} is not a SentencePiece model") from None
    wrong = [
        f"{flag.removesuffix('_id')} at id {wanted} (it has "
        + (f"id {found})" if found >= 0 else "none)")
        for flag, wanted in _NEEDED_IDS.items()
        if (found := getattr(processor, flag)()) != wanted
    ]
    if wrong:
        raise TranslateError(
            f"{key}: {path} lacks the special pieces this project needs: "
            f"{'; '.join(wrong)}; train one with them: {SPM_TRAIN_FLAGS}"
        )
    return blob


def tokenizer_files(directory: str | os.PathLike) -> list[str]:
    """The names of the model files :meth:`SubwordTokenizer.load` reads from ``directory``.

    Returns:
        ``["joint.model"]`` or ``["source.model", "target.model"]``; empty when
        the folder holds neither (then loading it fails and says why).
    """
    if os.path.exists(os.path.join(directory, _FILE_NAMES["joint"])):
        return [_FILE_NAMES["joint"]]
    if os.path.exists(os.path.join(directory, _FILE_NAMES["source"])):
        return [_FILE_NAMES["source"], _FILE_NAMES["target"]]
    return []


class SubwordTokenizer:
    """Source and target SentencePiece models (the same one when the vocabulary is joint).

    Args:
        source_model: Serialized SentencePiece model for the source language.
        target_model: Serialized model for the target language; None shares the source one.
        sample_alpha: 0 encodes with the best segmentation; above 0, every
            encoding draws one from the whole lattice with this smoothing
            (see :meth:`sampling`). Decoding is the same either way.

    Example:
        >>> tokenizer = SubwordTokenizer.load("runs/quick/tokenizer")
        >>> ids = tokenizer.encode_source(tf.constant(["Ein Hund läuft."]))
        >>> tokenizer.decode_target(ids)
    """

    def __init__(
        self, source_model: bytes, target_model: bytes | None = None, sample_alpha: float = 0.0
    ):
        self.joint = target_model is None
        self.sample_alpha = sample_alpha
        self.source_model = source_model
        self.target_model = source_model if target_model is None else target_model
        # The corpus fingerprint it was trained on (translate.data.sources.corpus_fingerprint),
        # saved with the models; None when unknown (tokenizers saved by earlier versions).
        self.built_from: dict | None = None
        self.rebuild()

    def rebuild(self) -> None:
        """Builds the in-graph tokenizers again from the serialized models it keeps.

        ``tf.random.set_seed`` (and so ``keras.utils.set_random_seed``) clears
        TensorFlow's eager kernel cache, which holds the SentencePiece model; a
        graph traced before that fails with ``NotFoundError`` until the
        tokenizer is rebuilt and the graph traced again.
        """
        # nbest_size -1 samples from the whole lattice (forward-filtering, backward-sampling).
        options = {"nbest_size": -1, "alpha": self.sample_alpha} if self.sample_alpha else {}
        self._source = tf_text.SentencepieceTokenizer(
            model=self.source_model, out_type=tf.int32, **options
        )
        self._target = (
            self._source
            if self.joint
            else tf_text.SentencepieceTokenizer(
                model=self.target_model, out_type=tf.int32, **options
            )
        )

    def sampling(self, alpha: float) -> SubwordTokenizer:
        """A copy that draws a new segmentation of each sentence at every encoding.

        SentencePiece subword regularisation (Kudo, 2018): each encoding samples
        one segmentation from the unigram model's lattice, with probabilities
        ``P(segmentation) ** alpha`` normalised; the ids still decode to the
        original text. The draws come from SentencePiece's own random
        generator inside the tensorflow-text kernel, which takes no seed, so
        they differ from run to run.

        Args:
            alpha: Smoothing in ``(0, 1]``: small values flatten the distribution
                (more varied segmentations), 1 samples from the model's own.

        Returns:
            The sampling tokenizer (same models and ids; ``self`` is unchanged).

        Raises:
            TranslateError: If a model is not a unigram model (a BPE model
                does not sample segmentations this way).
        """
        models = [self.source_model] if self.joint else [self.source_model, self.target_model]
        types = {model_type(model) for model in models}
        if types != {"unigram"}:
            raise TranslateError(
                "subword sampling needs a unigram SentencePiece model; this tokenizer's is "
                f"{' and '.join(sorted(types))} (from data.tokenizer_type or data.tokenizer_dir)"
            )
        sampler = SubwordTokenizer(
            self.source_model, None if self.joint else self.target_model, sample_alpha=alpha
        )
        sampler.built_from = self.built_from
        return sampler

    def run_rebuilding(self, call: Callable[[], T], retrace: Callable[[], None] | None = None) -> T:
        """Runs ``call()``; if TensorFlow dropped the tokenizer's kernel, rebuilds and reruns it.

        The one place that handles the ``NotFoundError`` of :meth:`rebuild`,
        for the tokenizer's own methods and for graphs traced around it. Only
        eagerly: inside a graph being traced the error cannot be recovered here.

        Args:
            call: What uses the tokenizer (it must look its ops up again when
                called the second time).
            retrace: Called after the rebuild and before the second run, e.g.
                to drop graphs traced with the old tokenizer.

        Returns:
            What ``call`` returns.
        """
        try:
            return call()
        except tf.errors.NotFoundError:
            if not tf.executing_eagerly():
                raise
            self.rebuild()
            if retrace is not None:
                retrace()
            return call()

    def _run(self, side: str, method: str, *args):
        """Calls a tensorflow-text method of ``side`` (see :meth:`run_rebuilding`)."""
        return self.run_rebuilding(lambda: getattr(getattr(self, side), method)(*args))

    @property
    def source_sentencepiece(self) -> tf_text.SentencepieceTokenizer:
        """The source side's tensorflow-text tokenizer (a ``tf.Module`` tracks it to save it)."""
        return self._source

    @property
    def target_sentencepiece(self) -> tf_text.SentencepieceTokenizer:
        """The tensorflow-text tokenizer of the target side (the source one when joint)."""
        return self._target

    @property
    def source_vocab_size(self) -> int:
        return int(self._run("_source", "vocab_size"))

    @property
    def target_vocab_size(self) -> int:
        return int(self._run("_target", "vocab_size"))

    def encode_source(self, text: tf.Tensor) -> tf.RaggedTensor:
        """Subword ids of source sentences followed by ``</s>``.

        Args:
            text: ``(batch,)`` strings.

        Returns:
            ``(batch, None)`` int32 ragged ids.
        """
        ids = self._run("_source", "tokenize", text)
        eos = tf.fill([tf.shape(text)[0], 1], EOS_ID)
        return tf.concat([ids, tf.RaggedTensor.from_tensor(eos)], axis=1)

    def encode_target(self, text: tf.Tensor) -> tf.RaggedTensor:
        """Subword ids of target sentences, without ``<s>`` or ``</s>``: ``(batch, None)``."""
        return self._run("_target", "tokenize", text)

    def decode_target(self, ids: tf.Tensor | tf.RaggedTensor) -> tf.Tensor:
        """Detokenizes target ids (pads, ``<s>`` and ``</s>`` dropped) to ``(batch,)`` strings."""
        if not isinstance(ids, tf.RaggedTensor):
            ids = tf.RaggedTensor.from_tensor(ids)
        keep = ids > EOS_ID
        return self._run("_target", "detokenize", tf.ragged.boolean_mask(ids, keep))

    def target_pieces(self, ids: tf.Tensor) -> tf.Tensor:
        """The subword pieces of target ids, for display."""
        return self._run("_target", "id_to_string", ids)

    def source_pieces(self, ids: tf.Tensor) -> tf.Tensor:
        """The subword pieces of source ids, for display."""
        return self._run("_source", "id_to_string", ids)

    def save(self, directory: str | os.PathLike) -> None:
        """Writes the model files into ``directory``."""
        os.makedirs(directory, exist_ok=True)
        files = (
            {"joint": self.source_model}
            if self.joint
            else {"source": self.source_model, "target": self.target_model}
        )
        for role, blob in files.items():
            path = os.path.join(directory, _FILE_NAMES[role])
            with open(path + ".tmp", "wb") as handle:
                handle.write(blob)
            os.replace(path + ".tmp", path)
        if self.built_from is not None:
            with open(os.path.join(directory, BUILT_FROM_FILE), "w", encoding="utf-8") as handle:
                json.dump(self.built_from, handle, indent=1)

    @classmethod
    def load(cls, directory: str | os.PathLike) -> SubwordTokenizer:
        """Reads the tokenizer written by :meth:`save`.

        Raises:
            TranslateError: If the files are missing or not SentencePiece models.
        """

        def read(role: str) -> bytes:
            path = os.path.join(directory, _FILE_NAMES[role])
            try:
                with open(path, "rb") as handle:
                    blob = handle.read()
            except OSError as error:  # E.g. source.model without its target.model.
                raise TranslateError(
                    f"cannot read tokenizer file {path}: {error.strerror}"
                ) from None
            processor = spm.SentencePieceProcessor()
            try:
                processor.LoadFromSerializedProto(blob)
            except (RuntimeError, OSError) as error:
                raise TranslateError(f"{path}: not a SentencePiece model ({error})") from None
            return blob

        if os.path.exists(os.path.join(directory, _FILE_NAMES["joint"])):
            return cls._with_record(cls(read("joint")), directory)
        if os.path.exists(os.path.join(directory, _FILE_NAMES["source"])):
            return cls._with_record(cls(read("source"), read("target")), directory)
        raise TranslateError(
            f"{directory}: no tokenizer found (expected {_FILE_NAMES['joint']} "
            f"or {_FILE_NAMES['source']} and {_FILE_NAMES['target']})"
        )

    @staticmethod
    def _with_record(tokenizer: SubwordTokenizer, directory: str | os.PathLike) -> SubwordTokenizer:
        """Sets ``built_from`` from the directory's record, if it has one (else None).

        Raises:
            TranslateError: If the record is damaged or holds anything but a
                corpus fingerprint (:func:`translate.data.cache.check_fingerprint`).
        """
        path = os.path.join(directory, BUILT_FROM_FILE)
        if not os.path.exists(path):
            tokenizer.built_from = None  # Trusted, as a tokenizer saved before records were kept.
            return tokenizer
        try:
            with open(path, "rb") as handle:
                record = json.loads(handle.read())
        except OSError as error:
            raise TranslateError(f"cannot read {path}: {error.strerror}") from None
        except ValueError as error:  # Also UnicodeDecodeError.
            raise TranslateError(f"{path}: damaged record of the training data ({error})") from None
        cache.check_fingerprint(record, path)
        tokenizer.built_from = record
        return tokenizer

    @classmethod
    def train(
        cls,
        source_lines: Iterable[str],
        target_lines: Iterable[str],
        vocab_size: int,
        model_type: str = "unigram",
        joint: bool = True,
    ) -> SubwordTokenizer:
        """Trains source and target models (one joint model when ``joint``)."""
        if joint:
            source_lines, target_lines = list(source_lines), list(target_lines)
            return cls(train_sentencepiece(source_lines + target_lines, vocab_size, model_type))
        return cls(
            train_sentencepiece(source_lines, vocab_size, model_type),
            train_sentencepiece(target_lines, vocab_size, model_type),
        )
