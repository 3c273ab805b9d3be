"""The run directory: the one folder a training run writes and translation reads.

::

    RUN_DIR/
      config.yaml          the resolved experiment config
      tokenizer/           SentencePiece model(s)
      tokenizer_origin.json  where tokenizer/ was copied from (``data.tokenizer_dir``,
                           ``training.init_from`` or ``data.sentencepiece_model`` only)
      model.keras          the best model by dev BLEU (Keras format, safe_mode loadable)
      metrics.jsonl        one JSON record per finished epoch
      logs/                TensorBoard logs
      train.lock           locked (flock) by the process that trains into the folder
      checkpoint/
        last.weights.h5    weights and optimizer state after the last finished epoch,
                           with the training state in the HDF5 attribute ``training_state``
        state.json         a readable copy of that training state
        epoch-NNN.npz      model weights after epoch NNN, the last ``training.keep_checkpoints``
      SPLIT.beamN[.lpA][.cpB][.firstN].hyp   translations written by ``translate evaluate``
      averaged-last-N/     a run directory written by ``translate average``

Translation needs only the first three. :class:`RunDir` is the one place that
knows these names, and it writes every file with
:func:`translate.runs.fileio.atomic_write`: to a temporary name in the same folder,
then renamed into place, so a kill during a save leaves the previous file
intact. The training state (:class:`~translate.training.state.TrainingState`)
goes into the checkpoint's weights file before that file is renamed, so
weights and state are committed together; ``state.json`` follows as a copy.

A run directory may come from someone else, so what is read back is checked
before it is used: ``config.yaml`` by :func:`~translate.config.schema.load_config`,
``model.keras`` field by field against the same config schema before Keras
builds anything (:func:`check_model_archive`; Keras then loads it in safe mode),
the training state by :meth:`~translate.training.state.TrainingState.from_json`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import re
import shutil
import zipfile
from typing import TYPE_CHECKING, Any

import h5py
import numpy as np

from translate import TranslateError
from translate.config.messages import shorten, shown
from translate.config.schema import (
    Config,
    allowed,
    check_saved_value,
    config_to_dict,
    load_config,
    save_config,
)
from translate.runs.fileio import atomic_write, exclusive_lock, write_text
from translate.training.state import TrainingState

if TYPE_CHECKING:
    import keras

    from translate.data.tokenizer import SubwordTokenizer

log = logging.getLogger(__name__)

CONFIG_FILE = "config.yaml"
TOKENIZER_DIR = "tokenizer"
TOKENIZER_ORIGIN_FILE = "tokenizer_origin.json"
MODEL_FILE = "model.keras"
METRICS_FILE = "metrics.jsonl"
LOGS_DIR = "logs"
LOCK_FILE = "train.lock"
CHECKPOINT_DIR = "checkpoint"
WEIGHTS_FILE = "last.weights.h5"
STATE_FILE = "state.json"
STATE_ATTR = "training_state"  # HDF5 attribute of the weights file holding the state as JSON.
SNAPSHOT_PATTERN = re.compile(r"^epoch-(\d+)\.npz$")
# Config keys a resumed run may change: they bound the run or place its files.
RESUMABLE_CHANGES = (
    "epochs",
    "max_minutes",
    "max_steps",
    "distribution",
    "cache",
    "keep_checkpoints",
)


# Model files ----------------------------------------------------------------------------


# The fields of the Seq2Seq config a ``model.keras`` holds (``Seq2Seq.get_config``), each
# with the config key whose type and rules it follows; ``name`` and ``trainable`` are Keras'.
_MODEL_FIELDS = {
    "source_vocab_size": "data.vocab_size",
    "target_vocab_size": "data.vocab_size",
    **{
        name: f"model.{name}"
        for name in (
            "embedding_dim",
            "encoder_units",
            "encoder_layers",
            "decoder_units",
            "decoder_layers",
            "attention",
            "input_feeding",
            "dropout",
            "embedding_dropout",
            "tie_embeddings",
            "share_embeddings",
        )
    },
}
# What else an archive and its config.json may hold; everything else is refused.
_ARCHIVE_MEMBERS = {"config.json", "metadata.json", "model.weights.h5"}
_ARCHIVE_FIELDS = {
    "module": "translate.model.seq2seq",
    "class_name": "Seq2Seq",
    "registered_name": "translate>Seq2Seq",
}
_BUILD_FIELDS = ("input_shape", "shapes_dict")


def _plain_data(value: Any) -> bool:
    """Whether ``value`` is JSON data Keras reads as it is: no serialized object inside."""
    if isinstance(value, dict):
        if {"class_name", "module", "registered_name", "__class__"} & set(value):
            return False
        return all(isinstance(k, str) and _plain_data(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_data(item) for item in value)
    return value is None or isinstance(value, (bool, int, float, str))


def _check_model_fields(path: str, config: Any) -> None:
    """Checks the ``config`` of the archive's Seq2Seq field by field, before Keras reads it."""
    where = f"{path}: config.json field 'config"
    if not isinstance(config, dict):
        raise TranslateError(f"{where}' must be an object of model settings, got {shown(config)}")
    for name, value in config.items():
        if name == "name":
            if not isinstance(value, str) or not value.strip():
                raise TranslateError(
                    f"{where}.name' must be a non-empty string, got {shown(value)}"
                )
        elif name == "trainable":
            if not isinstance(value, bool):
                raise TranslateError(f"{where}.trainable' must be a bool, got {shown(value)}")
        elif name == "dtype":
            # The dtype policy as a plain name; a serialized DTypePolicy object is refused.
            policies = [p for p in allowed("training.precision") if p != "auto"]
            if not isinstance(value, str) or value not in policies:
                got = "a serialized object" if isinstance(value, dict) else shown(value)
                raise TranslateError(f"{where}.dtype' is {got}; allowed: {', '.join(policies)}")
        elif name in _MODEL_FIELDS:
            check_saved_value(_MODEL_FIELDS[name], value, f"{where}.{name}'")
        else:
            valid = ", ".join(["name", *_MODEL_FIELDS])
            raise TranslateError(f"{where}.{shorten(name)}' is unknown; valid fields: {valid}")
    # The other fields have defaults (a model saved before a field existed lacks it).
    missing = [name for name in ("source_vocab_size", "target_vocab_size") if name not in config]
    if missing:
        raise TranslateError(f"{where}' lacks the field '{missing[0]}'")
    if (
        config.get("share_embeddings")
        and config["source_vocab_size"] != config["target_vocab_size"]
    ):
        raise TranslateError(
            f"{where}.share_embeddings' is true, but the vocabulary sizes differ "
            f"({config['source_vocab_size']} and {config['target_vocab_size']})"
        )


def check_model_archive(path: str) -> None:
    """Checks a ``model.keras`` archive field by field before Keras deserializes anything.

    Another project's model is refused by its class; every field of the
    Seq2Seq config must be known and follow the rules of its config key
    (:data:`_MODEL_FIELDS`), and no field may hold a serialized object where a
    plain value belongs, so what Keras builds is only ever this project's model.

    Args:
        path: The ``.keras`` file.

    Raises:
        TranslateError: Naming the file, the field and what was expected.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.namelist()
            config = json.loads(archive.read("config.json"))
    except KeyError:
        raise TranslateError(
            f"{path}: not a Keras model file (no config.json in the archive)"
        ) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise TranslateError(f"{path}: damaged Keras model file ({error})") from None
    config = config if isinstance(config, dict) else {}
    if config.get("registered_name") != "translate>Seq2Seq":
        kind = config.get("registered_name") or config.get("class_name") or "unknown"
        raise TranslateError(
            f"{path}: holds a Keras model of class {shorten(kind)}, not this project's Seq2Seq "
            "(use a run directory written by 'translate train')"
        )
    extra = sorted(set(members) - _ARCHIVE_MEMBERS)
    if extra:
        raise TranslateError(f"{path}: unexpected file {shorten(extra[0])!r} in the archive")
    for name, value in config.items():
        where = f"{path}: config.json field '{shorten(name)}'"
        if name in _ARCHIVE_FIELDS:
            if value != _ARCHIVE_FIELDS[name]:
                raise TranslateError(f"{where} is {shown(value)}; expected {_ARCHIVE_FIELDS[name]}")
        elif name == "config":
            _check_model_fields(path, value)
        elif name == "build_config":
            if not isinstance(value, dict) or not set(value) <= set(_BUILD_FIELDS):
                raise TranslateError(f"{where} must be an object of {', '.join(_BUILD_FIELDS)}")
            if not _plain_data(value):
                raise TranslateError(f"{where} holds a serialized object; expected shapes")
        elif name == "compile_config":
            pass  # Models load uncompiled: Keras drops this field unread.
        else:
            raise TranslateError(
                f"{where} is unknown; valid fields: config, {', '.join(_ARCHIVE_FIELDS)}"
            )
    if "config" not in config:
        raise TranslateError(f"{path}: config.json lacks the field 'config'")


# The fields of a ``metrics.jsonl`` record (:meth:`TrainingMonitor._record
# <translate.training.callbacks.TrainingMonitor._record>`); only ``epoch`` is required.
_METRICS_FIELDS = {
    "epoch": int,
    "step": int,
    "loss": float,
    "dev_bleu": float,
    "dev_chrf": float,
    "best_bleu": float,
    "learning_rate": float,
    "elapsed_seconds": float,
    "sentences_per_batch": float,
}


def check_metrics_record(record: Any, where: str) -> None:
    """Checks one ``metrics.jsonl`` record field by field: known fields, plain numbers.

    Counts are integers (``epoch`` at least 1, ``step`` at least 0); the other
    fields are numbers (an integer is taken for a float; a loss may be NaN).

    Args:
        record: The parsed JSON line.
        where: The file and line, named first in a message.

    Raises:
        TranslateError: Naming ``where``, the field and what was expected.
    """
    if not isinstance(record, dict):
        raise TranslateError(
            f"{where}: expected an epoch record (a JSON object), got {shown(record)}"
        )
    for name, value in record.items():
        kind = _METRICS_FIELDS.get(name)
        if kind is None:
            valid = ", ".join(_METRICS_FIELDS)
            raise TranslateError(f"{where}: unknown field '{shorten(name)}'; valid fields: {valid}")
        kinds = (int,) if kind is int else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            got = "a serialized object" if isinstance(value, dict) else shown(value)
            raise TranslateError(f"{where}: field '{name}' must be {kind.__name__}, got {got}")
        least = 1 if name == "epoch" else 0
        if kind is int and value < least:
            raise TranslateError(f"{where}: field '{name}' is {value}; it must be >= {least}")
    if "epoch" not in record:
        raise TranslateError(f"{where}: the record lacks the field 'epoch'")


def weight_names(model: keras.Model) -> list[str]:
    """Weight paths without the model's own name (which Keras numbers per process)."""
    return [variable.path.split("/", 1)[-1] for variable in model.weights]


# The run directory ------------------------------------------------------------------------


class RunDir:
    """The files of one run directory, and the only code that writes them.

    Args:
        path: The folder (it need not exist yet).
    """

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        self.config_file = os.path.join(self.path, CONFIG_FILE)
        self.tokenizer_dir = os.path.join(self.path, TOKENIZER_DIR)
        self.tokenizer_origin_file = os.path.join(self.path, TOKENIZER_ORIGIN_FILE)
        self.model_file = os.path.join(self.path, MODEL_FILE)
        self.metrics_file = os.path.join(self.path, METRICS_FILE)
        self.logs_dir = os.path.join(self.path, LOGS_DIR)
        self.lock_file = os.path.join(self.path, LOCK_FILE)
        self.checkpoint_dir = os.path.join(self.path, CHECKPOINT_DIR)
        self.weights_file = os.path.join(self.checkpoint_dir, WEIGHTS_FILE)
        self.state_file = os.path.join(self.checkpoint_dir, STATE_FILE)

    def snapshot_file(self, epoch: int) -> str:
        """The file holding the model weights after ``epoch`` (1-based)."""
        return os.path.join(self.checkpoint_dir, f"epoch-{epoch:03d}.npz")

    def snapshots(self) -> list[tuple[int, str]]:
        """``(epoch, path)`` of every weight snapshot, oldest first."""
        if not os.path.isdir(self.checkpoint_dir):
            return []
        names = os.listdir(self.checkpoint_dir)
        matches = [(SNAPSHOT_PATTERN.match(name), name) for name in names]
        return sorted(
            (int(m.group(1)), os.path.join(self.checkpoint_dir, name)) for m, name in matches if m
        )

    # Checks ---------------------------------------------------------------------------

    def check_trained(self) -> None:
        """Raises a clear :class:`TranslateError` unless the folder holds a trained model."""
        if not os.path.isdir(self.path):
            raise TranslateError(f"model directory not found: {self.path}")
        if os.path.exists(os.path.join(self.path, "saved_model.pb")) or any(
            os.path.exists(os.path.join(self.path, name, "saved_model.pb"))
            for name in os.listdir(self.path)
            if name.isdigit()
        ):
            raise TranslateError(
                f"{self.path} is a SavedModel export, not a run directory: load it with "
                "tf.saved_model.load (after 'import tensorflow_text') or TensorFlow Serving"
            )
        needed = (CONFIG_FILE, TOKENIZER_DIR, MODEL_FILE)
        missing = [name for name in needed if not os.path.exists(os.path.join(self.path, name))]
        if missing:
            hint = " (training has not finished an epoch yet?)" if missing == [MODEL_FILE] else ""
            raise TranslateError(
                f"{self.path} is not a trained model directory: missing {', '.join(missing)}{hint}"
            )

    def check_writable(self, needed_bytes: int) -> None:
        """Creates the folder and checks it takes a file and has ``needed_bytes`` free.

        Raises:
            TranslateError: If it is a file, cannot be written or lacks space.
        """
        if os.path.exists(self.path) and not os.path.isdir(self.path):
            raise TranslateError(f"run directory {self.path} is a file, not a folder")
        try:
            os.makedirs(self.path, exist_ok=True)
            probe = os.path.join(self.path, ".write-test")
            with open(probe, "w") as handle:
                handle.write("ok")
            os.remove(probe)
        except OSError as error:
            raise TranslateError(
                f"run directory {self.path} is not writable: {error.strerror}"
            ) from None
        free = shutil.disk_usage(self.path).free
        if free < needed_bytes:
            raise TranslateError(
                f"not enough free disk space in {self.path}: {free / 1e6:.0f} MB free, "
                f"training needs about {needed_bytes / 1e6:.0f} MB for checkpoints"
            )

    def check_same_config(self, config: Config) -> None:
        """Refuses to resume a run with a different model, data or training config.

        Raises:
            TranslateError: Listing the differing keys with old and new values.
        """
        if not os.path.exists(self.config_file):
            return
        saved = config_to_dict(self.load_config())
        wanted = config_to_dict(config)
        differences = [
            f"{section}.{key}: {saved[section][key]!r} -> {wanted[section][key]!r}"
            for section in ("data", "model", "training")
            for key in wanted[section]
            if saved[section][key] != wanted[section][key] and key not in RESUMABLE_CHANGES
        ]
        if differences:
            raise TranslateError(
                f"{self.path} holds a run with another config ({'; '.join(differences)}); "
                "use a new --run-dir, or delete the old one"
            )

    def lock(self) -> contextlib.AbstractContextManager[None]:
        """The folder's training lock (``train.lock``), for a ``with`` block.

        Raises:
            TranslateError: On entering, if another live process trains into this folder.
        """
        return exclusive_lock(
            self.lock_file,
            busy=f"{self.path} is being trained by another process (pid {{pid}}); wait for "
            "it to end or stop it, or train into another --run-dir",
        )

    # Config -------------------------------------------------------------------------------

    def load_config(self) -> Config:
        """The run's saved config; keys that earlier versions wrote and this one dropped are
        ignored, so old runs still load."""
        return load_config(self.config_file, saved=True)

    # Tokenizer ----------------------------------------------------------------------------

    def load_tokenizer(self) -> SubwordTokenizer:
        """The run's tokenizer, after checking ``tokenizer_origin.json`` if the run has one.

        Raises:
            TranslateError: If a tokenizer file or a record beside it is damaged
                (:meth:`check_tokenizer_origin`, ``SubwordTokenizer.load``).
        """
        # Deferred with copy_tokenizer's import, for the same reason.
        from translate.data.tokenizer import SubwordTokenizer

        self.check_tokenizer_origin()
        return SubwordTokenizer.load(self.tokenizer_dir)

    def check_tokenizer_origin(self) -> None:
        """Checks ``tokenizer_origin.json`` field by field, and the files against its SHA-256s.

        The record (written by :meth:`copy_tokenizer` and :meth:`save_given_tokenizer`)
        holds ``copied_from`` (a folder, or the file each model came from) and
        ``sha256`` (each model file's digest). A run without one passes.

        Raises:
            TranslateError: Naming the file and the field, or the model file whose
                content is not the one recorded (changed or truncated since).
        """
        from translate.data.tokenizer import MODEL_FILES

        path = self.tokenizer_origin_file
        if not os.path.exists(path):
            return
        try:
            with open(path, "rb") as handle:
                record = json.loads(handle.read())
        except OSError as error:
            raise TranslateError(f"cannot read {path}: {error.strerror}") from None
        except ValueError as error:
            raise TranslateError(f"{path}: damaged record ({error})") from None
        names = MODEL_FILES
        if not isinstance(record, dict):
            raise TranslateError(f"{path}: expected a JSON object, got {shown(record)}")
        unknown = sorted(set(record) - {"copied_from", "sha256"})
        if unknown:
            raise TranslateError(
                f"{path}: unknown field '{shorten(unknown[0])}'; valid fields: copied_from, sha256"
            )
        for field in ("copied_from", "sha256"):
            if field not in record:
                raise TranslateError(f"{path}: the record lacks the field '{field}'")
        copied = record["copied_from"]
        if not isinstance(copied, str) and not (
            isinstance(copied, dict)
            and set(copied) <= set(names)
            and all(isinstance(v, str) for v in copied.values())
        ):
            raise TranslateError(
                f"{path}: field 'copied_from' must be a folder, or the file each of "
                f"{', '.join(names)} came from; got {shown(copied)}"
            )
        digests = record["sha256"]
        if not isinstance(digests, dict) or not digests:
            raise TranslateError(f"{path}: field 'sha256' must be an object of model file digests")
        for name, digest in digests.items():
            where = f"{path}: field 'sha256.{shorten(name)}'"
            if name not in names:
                raise TranslateError(f"{where} is no tokenizer file; allowed: {', '.join(names)}")
            if not (isinstance(digest, str) and re.fullmatch(r"[0-9a-f]{64}", digest)):
                raise TranslateError(f"{where} must be a SHA-256 in hex, got {shown(digest)}")
            model = os.path.join(self.tokenizer_dir, name)
            try:
                with open(model, "rb") as handle:
                    actual = hashlib.sha256(handle.read()).hexdigest()
            except OSError as error:
                raise TranslateError(
                    f"cannot read tokenizer file {model}: {error.strerror}"
                ) from None
            if actual != digest:
                raise TranslateError(
                    f"{model}: its content is not the one {TOKENIZER_ORIGIN_FILE} records "
                    "(changed or truncated since it was copied)"
                )

    # Writes -------------------------------------------------------------------------------

    def save_config(self, config: Config) -> None:
        """Writes the resolved config as ``config.yaml``."""
        save_config(config, self.config_file)

    def save_tokenizer(self, tokenizer: SubwordTokenizer) -> None:
        """Writes the tokenizer folder whole (never half written)."""
        atomic_write(self.tokenizer_dir, tokenizer.save)

    def copy_tokenizer(
        self, source: str | os.PathLike, key: str = "data.tokenizer_dir"
    ) -> SubwordTokenizer:
        """Copies another run's tokenizer folder into this one unchanged (``data.tokenizer_dir``).

        ``source`` may name the ``tokenizer`` folder or the run directory holding
        it. The model files are checked (they must load) and copied unchanged,
        and ``tokenizer_origin.json`` records the folder they came from with the
        SHA-256 of each file.

        Args:
            source: The folder to copy from.
            key: The config key that named it, for the messages.

        Returns:
            The copied tokenizer.

        Raises:
            TranslateError: If the folder is missing, holds no tokenizer, or a
                model file is missing or damaged; the message names the key and the path.
        """
        # Deferred: the tokenizer module loads TensorFlow and tensorflow_text, which the
        # run directory's other readers (the command line's checks, averaging) do not need.
        from translate.data.tokenizer import SubwordTokenizer, tokenizer_files

        folder = os.path.abspath(os.fspath(source))
        key = f"{key}={os.fspath(source)!r}"
        if not os.path.exists(folder):
            raise TranslateError(f"{key}: folder {folder} does not exist")
        if not os.path.isdir(folder):
            raise TranslateError(f"{key}: {folder} is a file, not a tokenizer folder")
        inner = os.path.join(folder, TOKENIZER_DIR)
        if not tokenizer_files(folder) and os.path.isdir(inner):
            folder = inner  # A run directory was named: use its tokenizer folder.
        try:
            tokenizer = SubwordTokenizer.load(folder)
        except TranslateError as error:
            raise TranslateError(f"{key}: {error}") from None
        names = tokenizer_files(folder)

        def copy(temporary: str) -> None:
            os.makedirs(temporary)
            for name in names:
                shutil.copyfile(os.path.join(folder, name), os.path.join(temporary, name))

        atomic_write(self.tokenizer_dir, copy)
        digests = {}
        for name in names:
            with open(os.path.join(self.tokenizer_dir, name), "rb") as handle:
                digests[name] = hashlib.sha256(handle.read()).hexdigest()
        record = {"copied_from": folder, "sha256": digests}
        write_text(self.tokenizer_origin_file, json.dumps(record, indent=2) + "\n")
        print(f"tokenizer: copied {', '.join(names)} from {folder}", flush=True)
        return tokenizer

    def save_given_tokenizer(
        self, tokenizer: SubwordTokenizer, files: dict[str, str | os.PathLike]
    ) -> None:
        """Saves a tokenizer made of the user's own SentencePiece model files.

        The models are written unchanged into ``tokenizer/`` (so the run stays
        self-contained), and ``tokenizer_origin.json`` records the file each
        came from with its SHA-256.

        Args:
            tokenizer: The tokenizer built from those files.
            files: The file each model came from, by role: ``{"joint": path}``
                or ``{"source": path, "target": path}``.
        """
        # Deferred with copy_tokenizer's import, for the same reason.
        from translate.data.tokenizer import tokenizer_files

        self.save_tokenizer(tokenizer)
        names = tokenizer_files(self.tokenizer_dir)
        digests = {}
        for name in names:
            with open(os.path.join(self.tokenizer_dir, name), "rb") as handle:
                digests[name] = hashlib.sha256(handle.read()).hexdigest()
        sources = dict(zip(names, (os.path.abspath(os.fspath(path)) for path in files.values())))
        record = {"copied_from": sources, "sha256": digests}
        write_text(self.tokenizer_origin_file, json.dumps(record, indent=2) + "\n")
        listed = ", ".join(f"{name} from {path}" for name, path in sources.items())
        print(f"tokenizer: copied {listed}", flush=True)

    def record_tokenizer_data(self, built_from: dict) -> None:
        """Records in the tokenizer folder the training data this run's tokenizer belongs to.

        Args:
            built_from: The corpus fingerprint that a resumed run must find again.
        """
        # Deferred with copy_tokenizer's import, for the same reason.
        from translate.data.tokenizer import BUILT_FROM_FILE

        write_text(os.path.join(self.tokenizer_dir, BUILT_FROM_FILE), json.dumps(built_from))

    def save_model(self, model: keras.Model) -> None:
        """Writes ``model.keras``."""
        atomic_write(self.model_file, model.save)

    def copy_from(
        self, other: RunDir, names: tuple[str, ...] = (CONFIG_FILE, TOKENIZER_DIR)
    ) -> None:
        """Copies files or folders of another run directory into this one."""
        for name in names:
            source = os.path.join(other.path, name)
            copy = shutil.copytree if os.path.isdir(source) else shutil.copyfile
            atomic_write(
                os.path.join(self.path, name),
                lambda temporary, copy=copy, source=source: copy(source, temporary),
            )

    def append_metrics(self, record: dict) -> None:
        """Appends one epoch's record to ``metrics.jsonl`` (a torn last line is dropped on
        resume, by :meth:`trim_metrics`)."""
        try:
            with open(self.metrics_file, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(record) + "\n")
        except OSError as error:
            raise TranslateError(f"cannot write {self.metrics_file}: {error.strerror}") from None

    def trim_metrics(self, epoch: int) -> None:
        """Drops metrics records of epochs after ``epoch`` (to be trained again) and torn lines."""
        lines, records = self._read_metrics()
        kept = [line for line, record in records if record["epoch"] <= epoch]
        if kept != lines:
            write_text(self.metrics_file, "".join(line + "\n" for line in kept))

    def save_snapshot(self, model: keras.Model, epoch: int, keep: int) -> None:
        """Writes the model's weights after ``epoch`` and deletes all but the newest ``keep``.

        Snapshots of later epochs (left by a run that was interrupted and
        trained those epochs again) are deleted. ``keep <= 0`` writes nothing.
        """
        if keep <= 0:
            return
        arrays = dict(zip(weight_names(model), (np.asarray(v) for v in model.weights)))
        atomic_write(self.snapshot_file(epoch), lambda temporary: np.savez(temporary, **arrays))
        for later_epoch, later in self.snapshots():
            if later_epoch > epoch:
                os.remove(later)
        for _, stale in self.snapshots()[:-keep]:
            os.remove(stale)

    def save_checkpoint(self, model: keras.Model, state: TrainingState) -> None:
        """Writes weights with optimizer state and the training state in one atomic rename.

        The state goes into the weights file (attribute ``training_state``)
        before it is renamed into place, then into ``state.json`` as a copy.

        Raises:
            TranslateError: If the files cannot be written; the previous checkpoint is kept.
        """
        payload = dataclasses.asdict(state)

        def write(temporary: str) -> None:
            model.save_weights(temporary)
            with h5py.File(temporary, "a") as handle:
                handle.attrs[STATE_ATTR] = json.dumps(payload)

        atomic_write(self.weights_file, write, keeps="checkpoint")
        write_text(self.state_file, json.dumps(payload, indent=2), keeps="checkpoint")

    # Reads --------------------------------------------------------------------------------

    def metrics(self) -> list[dict]:
        """The epoch records of ``metrics.jsonl``, oldest first (``[]`` before the first).

        A last line torn by a kill while it was appended is skipped.

        Raises:
            TranslateError: If another line is not an epoch record
                (:func:`check_metrics_record`), naming the file, the line and the field.
        """
        return [record for _, record in self._read_metrics()[1]]

    def _read_metrics(self) -> tuple[list[str], list[tuple[str, dict]]]:
        """All non-empty lines of ``metrics.jsonl``, and ``(line, record)`` of its epoch records."""
        if not os.path.exists(self.metrics_file):
            return [], []
        try:
            with open(self.metrics_file, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().split("\n")
        except OSError as error:
            raise TranslateError(f"cannot read {self.metrics_file}: {error.strerror}") from None
        numbered = [(number, line) for number, line in enumerate(lines, 1) if line.strip()]
        records = []
        for number, line in numbered:
            where = f"{self.metrics_file}, line {number}"
            try:
                record = json.loads(line)
            except ValueError as error:
                if number == len(lines):  # The last line, torn by a kill while it was appended.
                    continue
                raise TranslateError(f"{where}: not a JSON record ({error})") from None
            check_metrics_record(record, where)
            records.append((line, record))
        return [line for _, line in numbered], records

    def read_state(self) -> TrainingState | None:
        """The state of the last checkpoint, or None before the first one.

        The state inside the weights file wins over ``state.json``: after a kill
        between the two writes it is the one that belongs to the weights.

        Raises:
            TranslateError: If a saved state is damaged.
        """
        state = None
        if os.path.exists(self.state_file):
            try:
                with open(self.state_file, "rb") as handle:
                    text = handle.read()
            except OSError as error:
                raise TranslateError(f"cannot read {self.state_file}: {error.strerror}") from None
            state = TrainingState.from_json(text, self.state_file)
        embedded = self._embedded_state()
        if embedded is not None and (state is None or embedded.epoch != state.epoch):
            log.warning(
                "%s is behind the checkpoint weights; resuming after epoch %d",
                self.state_file,
                embedded.epoch,
            )
            return embedded
        return state

    def _embedded_state(self) -> TrainingState | None:
        """The state saved inside the weights file, if it is readable."""
        try:
            with h5py.File(self.weights_file, "r") as handle:
                text = handle.attrs.get(STATE_ATTR)
        except OSError:  # Missing or damaged: loading the weights will report it.
            return None
        if text is not None and not isinstance(text, (str, bytes)):  # h5py reads arrays too
            raise TranslateError(
                f"{self.weights_file}: damaged training state (attribute {STATE_ATTR!r} holds "
                f"a {type(text).__name__}, expected JSON text); delete the folder "
                f"{self.checkpoint_dir} to start training over"
            )
        return None if text is None else TrainingState.from_json(text, self.weights_file)

    def load_checkpoint(self, model: keras.Model) -> None:
        """Loads the checkpoint's weights and optimizer state into a built, compiled model.

        Raises:
            TranslateError: If the weights file is missing or damaged.
        """
        try:
            model.load_weights(self.weights_file)
        except Exception as error:  # h5py and Keras raise several kinds on a damaged file.
            message = f"{self.weights_file}: cannot load the checkpoint ({error})"
            raise TranslateError(message) from None


def check_run_dir(path: str | os.PathLike) -> RunDir:
    """The run directory at ``path`` after :meth:`RunDir.check_trained`."""
    run = RunDir(path)
    run.check_trained()
    return run
