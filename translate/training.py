"""Training with ``model.fit``: checkpoints, resume, dev BLEU, early stopping.

``train(config, run_dir)`` is idempotent: run it again after an interruption
(Ctrl-C, SIGTERM, SIGKILL, a crash) and it resumes from the last completed
epoch with the optimizer state, learning-rate state and best dev BLEU it had.
Every file is written to a temporary name and renamed into place, so a kill
during a save leaves the previous file intact. The training state is stored
inside the checkpoint's weights file too, so weights and state are committed
by one rename; ``checkpoint/state.json`` is a readable copy written after it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
import shutil
import time
import zlib

import h5py
import keras
import sentencepiece as spm
import tensorflow as tf

from translate import averaging, distribute, metrics
from translate.config import Config, config_to_dict, load_config, save_config
from translate.data import sources
from translate.data.pipeline import training_batches
from translate.errors import TranslateError
from translate.model import Seq2Seq
from translate.optimizers import FusedAdam, FusedAdamW
from translate.tokenizer import PAD_ID, SubwordTokenizer
from translate.translator import CONFIG_FILE, MODEL_FILE, TOKENIZER_DIR, Translator

log = logging.getLogger(__name__)

CHECKPOINT_DIR = "checkpoint"
WEIGHTS_FILE = "last.weights.h5"
STATE_FILE = "state.json"
STATE_ATTR = "training_state"  # HDF5 attribute of the weights file holding the state as JSON.
METRICS_FILE = "metrics.jsonl"


def smoothed_token_cross_entropy(
    target_out: tf.Tensor, logits: tf.Tensor, label_smoothing: float = 0.0
) -> tf.Tensor:
    """Per-token cross-entropy against the label-smoothed target, with a fused gradient.

    With ``z`` a token's logits over ``V`` types, ``y`` its label and ``e`` the
    smoothing, the loss is ``(1 - e) * -log p_y + e * mean_k(-log p_k)``, which
    equals ``logsumexp(z) - (1 - e) * z_y - e * mean(z)``. Its gradient,
    ``softmax(z) - (1 - e) * onehot(y) - e / V``, is written out here, in two
    passes over the ``(batch, tgt_len, V)`` logits and one write per token for
    the one-hot term: the automatic gradient of ``log_softmax`` followed by a
    gather takes longer on a CPU, because it scatters into a dense tensor of
    that size and broadcasts the mean's gradient separately, and so does
    multiplying by a one-hot tensor.

    Args:
        target_out: ``(batch, tgt_len)`` int32 labels.
        logits: ``(batch, tgt_len, vocab)`` float32.
        label_smoothing: Probability mass spread uniformly over the vocabulary.

    Returns:
        ``(batch, tgt_len)`` losses, padding included (the caller masks them).
    """

    @tf.custom_gradient
    def token_loss(z):
        vocab = tf.shape(z)[-1]
        peak = tf.stop_gradient(tf.reduce_max(z, axis=-1, keepdims=True))  # (batch, tgt_len, 1)
        exp = tf.exp(z - peak)  # (batch, tgt_len, vocab)
        total = tf.reduce_sum(exp, axis=-1, keepdims=True)  # (batch, tgt_len, 1)
        log_normalizer = tf.squeeze(peak + tf.math.log(total), -1)  # (batch, tgt_len)
        target_logit = tf.gather(z, target_out, batch_dims=2)  # (batch, tgt_len)
        loss = log_normalizer - (1.0 - label_smoothing) * target_logit
        if label_smoothing > 0:
            loss -= label_smoothing * tf.reduce_mean(z, axis=-1)

        def gradient(upstream):  # upstream: (batch, tgt_len)
            scale = upstream[..., None]  # (batch, tgt_len, 1)
            uniform = label_smoothing / tf.cast(vocab, z.dtype)
            dense = exp * (scale / total) - scale * uniform  # (batch, tgt_len, vocab)
            # The one-hot term touches one entry per token: subtracted in place.
            rows, positions = tf.meshgrid(
                tf.range(tf.shape(z)[0]), tf.range(tf.shape(z)[1]), indexing="ij"
            )  # (batch, tgt_len) each
            labels = tf.stack([rows, positions, target_out], axis=-1)  # (batch, tgt_len, 3)
            return tf.tensor_scatter_nd_sub(dense, labels, (1.0 - label_smoothing) * upstream)

        return loss, gradient

    return token_loss(logits)


def masked_cross_entropy(label_smoothing: float = 0.0):
    """Token-level cross-entropy that ignores padding, with optional label smoothing.

    Args:
        label_smoothing: Probability mass spread uniformly over the vocabulary.

    Returns:
        ``loss(target_out (batch, tgt_len), logits (batch, tgt_len, vocab)) -> scalar``,
        the mean over real (non-pad) target tokens of
        :func:`smoothed_token_cross_entropy`. Under a ``tf.distribute``
        strategy with several replicas each replica divides its token sum by
        the token count of the whole global batch; Keras sums the replicas'
        gradients (and does not rescale a scalar loss), so the step equals the
        one-device step on the whole batch.
    """

    def loss(target_out, logits):
        target_out = tf.cast(target_out, tf.int32)
        logits = tf.cast(logits, tf.float32)
        nll = smoothed_token_cross_entropy(target_out, logits, label_smoothing)  # (batch, tgt_len)
        mask = tf.cast(tf.not_equal(target_out, PAD_ID), tf.float32)
        tokens = distribute.token_normalizer(tf.reduce_sum(mask))
        return tf.reduce_sum(nll * mask) / tf.maximum(tokens, 1.0)

    return loss


@dataclasses.dataclass
class TrainingState:
    """What a resumed run needs beyond the weights. Saved as ``checkpoint/state.json``."""

    epoch: int = 0
    step: int = 0
    best_bleu: float = -1.0
    best_epoch: int = 0
    epochs_without_improvement: int = 0
    epochs_since_lr_decay: int = 0
    lr_scale: float = 1.0
    elapsed_seconds: float = 0.0
    finished: bool = False
    stop_reason: str = ""


def _write_json_atomic(path: str, payload: dict) -> None:
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2)
    os.replace(path + ".tmp", path)


def _state_from_json(text: str | bytes, origin: str) -> TrainingState:
    """Parses and checks a saved :class:`TrainingState`.

    Raises:
        TranslateError: If it is not JSON, not an object, or has unknown or mistyped fields.
    """
    kinds = {"int": (int,), "float": (int, float), "bool": (bool,), "str": (str,)}
    try:
        payload = json.loads(text)
        if not isinstance(payload, dict):
            raise ValueError(f"expected a JSON object, got {type(payload).__name__}")
        fields = {field.name: kinds[str(field.type)] for field in dataclasses.fields(TrainingState)}
        for key, value in payload.items():
            if key not in fields:
                raise ValueError(f"unknown field {key!r}")
            if not isinstance(value, fields[key]) or (isinstance(value, bool) and bool not in fields[key]):
                raise ValueError(f"field {key!r} is {value!r}")
        return TrainingState(**payload)
    except ValueError as error:  # Also json.JSONDecodeError and UnicodeDecodeError.
        raise TranslateError(
            f"{origin}: damaged training state ({error}); delete the folder "
            f"{os.path.dirname(origin)} to start training over"
        ) from None


def _embedded_state(weights: str) -> TrainingState | None:
    """The state saved inside a weights file by :func:`save_checkpoint`, if readable."""
    try:
        with h5py.File(weights, "r") as handle:
            text = handle.attrs.get(STATE_ATTR)
    except OSError:  # Missing or damaged: loading the weights will report it.
        return None
    return None if text is None else _state_from_json(text, weights)


def _read_state(run_dir: str) -> TrainingState | None:
    """The state of the last checkpoint, or None before the first one.

    The state inside the weights file wins over ``state.json``: after a kill
    between the two writes it is the one that belongs to the weights.
    """
    directory = os.path.join(run_dir, CHECKPOINT_DIR)
    path = os.path.join(directory, STATE_FILE)
    state = None
    if os.path.exists(path):
        try:
            with open(path, "rb") as handle:
                text = handle.read()
        except OSError as error:
            raise TranslateError(f"cannot read {path}: {error.strerror}") from None
        state = _state_from_json(text, path)
    embedded = _embedded_state(os.path.join(directory, WEIGHTS_FILE))
    if embedded is not None and (state is None or embedded.epoch != state.epoch):
        log.warning("%s is behind the checkpoint weights; resuming after epoch %d", path, embedded.epoch)
        return embedded
    return state


def _trim_metrics(run_dir: str, epoch: int) -> None:
    """Drops metrics records of epochs after the checkpoint (trained again) and torn lines."""
    path = os.path.join(run_dir, METRICS_FILE)
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8", errors="replace") as handle:
        lines = [line for line in handle.read().split("\n") if line]
    kept = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:  # Torn by a kill while it was appended.
            continue
        if isinstance(record, dict) and isinstance(record.get("epoch"), int) and record["epoch"] <= epoch:
            kept.append(line)
    if kept != lines:
        with open(path + ".tmp", "w", encoding="utf-8") as handle:
            handle.writelines(line + "\n" for line in kept)
        os.replace(path + ".tmp", path)


class LearningRateController(keras.callbacks.Callback):
    """Linear warm-up to the peak rate, times a scale that halves on dev plateaus.

    Args:
        peak: Peak learning rate.
        warmup_steps: Steps of linear warm-up.
        state: The shared :class:`TrainingState` (its ``lr_scale`` and ``step``).
    """

    def __init__(self, peak: float, warmup_steps: int, state: TrainingState):
        super().__init__()
        self.peak = peak
        self.warmup_steps = warmup_steps
        self.state = state

    def current(self) -> float:
        warmup = min(1.0, (self.state.step + 1) / self.warmup_steps) if self.warmup_steps else 1.0
        return self.peak * self.state.lr_scale * warmup

    def on_train_batch_begin(self, batch, logs=None):
        if self.state.step <= self.warmup_steps or batch == 0:
            self.model.optimizer.learning_rate.assign(self.current())

    def on_train_batch_end(self, batch, logs=None):
        self.state.step += 1


class TrainingMonitor(keras.callbacks.Callback):
    """End-of-epoch work: dev BLEU, best model, plateau decay, early stop, checkpoint.

    Also stops on a NaN loss (keeping the last good checkpoint) and at the
    step or wall-time limits of the config.
    """

    def __init__(self, config: Config, run_dir: str, state: TrainingState,
                 translator: Translator, dev_sources: list[str], dev_references: list[str]):
        super().__init__()
        self.config = config
        self.run_dir = run_dir
        self.state = state
        self.translator = translator
        self.dev_sources = dev_sources
        self.dev_references = dev_references
        self.started = time.monotonic()
        self.elapsed_before = state.elapsed_seconds

    def elapsed(self) -> float:
        return self.elapsed_before + time.monotonic() - self.started

    def strategy(self) -> tf.distribute.Strategy:
        return getattr(self.model, "distribute_strategy", None) or tf.distribute.get_strategy()

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            raise TranslateError(
                f"training loss became {loss} at step {self.state.step}; stopped. The last good "
                f"checkpoint (epoch {self.state.epoch}) is kept in "
                f"{os.path.join(self.run_dir, CHECKPOINT_DIR)}; lower training.learning_rate "
                "or training.clip_norm and run again to resume from it"
            )
        training = self.config.training
        if training.max_steps and self.state.step >= training.max_steps:
            self.state.stop_reason = f"reached training.max_steps={training.max_steps}"
            self.model.stop_training = True
        if training.max_minutes and distribute.any_worker(
            self.strategy(), self.elapsed() >= 60 * training.max_minutes
        ):  # Agreed by all workers of a multi-worker run, whose clocks differ.
            self.state.stop_reason = f"reached training.max_minutes={training.max_minutes}"
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        training = self.config.training
        strategy = self.strategy()
        dev = {"bleu": 0.0, "chrf": 0.0}
        if distribute.is_chief(strategy):  # Other workers of a multi-worker run get its scores.
            greedy = self.translator.translate(self.dev_sources, beam_size=1, n_best=1)
            hypotheses = [t.text for t in greedy]
            dev = metrics.score(hypotheses, self.dev_references)
        dev["bleu"], dev["chrf"] = distribute.chief_values(strategy, [dev["bleu"], dev["chrf"]])
        improved = dev["bleu"] > self.state.best_bleu
        if improved:
            self.state.best_bleu, self.state.best_epoch = dev["bleu"], epoch + 1
            self.state.epochs_without_improvement = 0
            self.state.epochs_since_lr_decay = 0
            _save_model_atomic(self.model, os.path.join(self.run_dir, MODEL_FILE))
        else:
            self.state.epochs_without_improvement += 1
            self.state.epochs_since_lr_decay += 1
            if self.state.epochs_since_lr_decay >= training.lr_patience:
                self.state.lr_scale = max(
                    self.state.lr_scale * training.lr_decay_factor,
                    training.min_learning_rate / training.learning_rate,
                )
                self.state.epochs_since_lr_decay = 0
                self.model.optimizer.learning_rate.assign(training.learning_rate * self.state.lr_scale)
        if self.state.epochs_without_improvement >= training.early_stopping_patience:
            self.state.stop_reason = (
                f"no dev BLEU gain for {training.early_stopping_patience} epochs (early stopping)"
            )
            self.model.stop_training = True
        self.state.epoch = epoch + 1
        self.state.elapsed_seconds = self.elapsed()
        if self.model.stop_training or self.state.epoch >= training.epochs:
            self.state.finished = True
            self.state.stop_reason = self.state.stop_reason or f"completed {training.epochs} epochs"
        record = {
            "epoch": self.state.epoch,
            "step": self.state.step,
            "loss": float((logs or {}).get("loss", float("nan"))),
            "dev_bleu": dev["bleu"],
            "dev_chrf": dev["chrf"],
            "best_bleu": self.state.best_bleu,
            "learning_rate": float(self.model.optimizer.learning_rate.numpy()),
            "elapsed_seconds": round(self.state.elapsed_seconds, 1),
        }
        with open(os.path.join(self.run_dir, METRICS_FILE), "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
        print(
            f"epoch {record['epoch']}: loss {record['loss']:.3f}, dev BLEU {dev['bleu']:.2f}"
            f"{' (best)' if improved else ''}, chrF {dev['chrf']:.2f}, "
            f"lr {record['learning_rate']:.2e}, {record['elapsed_seconds']:.0f} s",
            flush=True,
        )
        averaging.save_snapshot(
            self.model, os.path.join(self.run_dir, CHECKPOINT_DIR), self.state.epoch,
            training.keep_checkpoints,
        )
        save_checkpoint(self.model, self.run_dir, self.state)


def _save_model_atomic(model: keras.Model, path: str) -> None:
    temporary = path[: -len(".keras")] + ".tmp.keras"
    try:
        model.save(temporary)
        os.replace(temporary, path)
    except OSError as error:  # E.g. no space left on the device.
        raise TranslateError(
            f"cannot write {path}: {error.strerror or error}; the previous file is kept"
        ) from None


def save_checkpoint(model: keras.Model, run_dir: str, state: TrainingState) -> None:
    """Writes weights with optimizer state and the training state in one atomic rename.

    The state goes into the weights file (attribute ``training_state``) before
    it is renamed into place, then into ``state.json`` as a readable copy.

    Raises:
        TranslateError: If the files cannot be written; the previous checkpoint is kept.
    """
    directory = os.path.join(run_dir, CHECKPOINT_DIR)
    weights = os.path.join(directory, WEIGHTS_FILE)
    temporary = os.path.join(directory, "last.tmp.weights.h5")
    payload = dataclasses.asdict(state)
    try:
        os.makedirs(directory, exist_ok=True)
        model.save_weights(temporary)
        with h5py.File(temporary, "a") as handle:
            handle.attrs[STATE_ATTR] = json.dumps(payload)
        os.replace(temporary, weights)
        _write_json_atomic(os.path.join(directory, STATE_FILE), payload)
    except OSError as error:  # E.g. no space left on the device.
        raise TranslateError(
            f"cannot write the checkpoint in {directory}: {error.strerror or error}; "
            "the previous checkpoint is kept"
        ) from None


def _check_run_dir_writable(run_dir: str, needed_bytes: int) -> None:
    if os.path.exists(run_dir) and not os.path.isdir(run_dir):
        raise TranslateError(f"run directory {run_dir} is a file, not a folder")
    try:
        os.makedirs(run_dir, exist_ok=True)
        probe = os.path.join(run_dir, ".write-test")
        with open(probe, "w") as handle:
            handle.write("ok")
        os.remove(probe)
    except OSError as error:
        raise TranslateError(f"run directory {run_dir} is not writable: {error.strerror}") from None
    free = shutil.disk_usage(run_dir).free
    if free < needed_bytes:
        raise TranslateError(
            f"not enough free disk space in {run_dir}: {free / 1e6:.0f} MB free, "
            f"training needs about {needed_bytes / 1e6:.0f} MB for checkpoints"
        )


def _check_same_config(run_dir: str, config: Config) -> None:
    """Refuses to resume a run with a different model, data or training config."""
    path = os.path.join(run_dir, CONFIG_FILE)
    if not os.path.exists(path):
        return
    saved = config_to_dict(load_config(path))
    wanted = config_to_dict(config)
    differences = [
        f"{section}.{key}: {saved[section][key]!r} -> {wanted[section][key]!r}"
        for section in ("data", "model", "training")
        for key in wanted[section]
        if saved[section][key] != wanted[section][key]
        and key not in ("epochs", "max_minutes", "max_steps", "distribution", "cache", "keep_checkpoints")
    ]
    if differences:
        raise TranslateError(
            f"{run_dir} holds a run with another config ({'; '.join(differences)}); "
            "use a new --run-dir, or delete the old one"
        )


def _train_tokenizer(config: Config) -> SubwordTokenizer:
    data = config.data
    pairs = sources.load_parallel(data.source, data.src_lang, data.tgt_lang, data.train_split, data.dir)
    if data.train_limit:
        pairs = pairs.take(data.train_limit)
    source_lines, target_lines = [], []
    for source, target in pairs.take(data.tokenizer_sample).as_numpy_iterator():
        source_lines.append(source.decode("utf-8"))
        target_lines.append(target.decode("utf-8"))
    return SubwordTokenizer.train(
        source_lines, target_lines, data.vocab_size, data.tokenizer_type, data.joint_vocab
    )


def _vocabulary_fingerprint(tokenizer: SubwordTokenizer) -> int:
    """A 26-bit checksum of the subword pieces and scores (the model files also
    record the temporary paths they were trained from, which differ per process)."""
    digest = 0
    for blob in (tokenizer.source_model, tokenizer.target_model):
        processor = spm.SentencePieceProcessor()
        processor.LoadFromSerializedProto(blob)
        pieces = [
            (processor.id_to_piece(i), processor.get_score(i))
            for i in range(processor.get_piece_size())
        ]
        digest = zlib.crc32(json.dumps(pieces).encode("utf-8"), digest)
    return digest % (1 << 26)


def build_model(config: Config, tokenizer: SubwordTokenizer) -> Seq2Seq:
    """The model of the config's ``model`` section, with all weights created."""
    model = Seq2Seq.from_config_section(
        config.model, tokenizer.source_vocab_size, tokenizer.target_vocab_size
    )
    model.build()
    return model


def compile_model(model: keras.Model, config: Config) -> None:
    """Compiles with Adam(W), gradient clipping and the masked, smoothed loss."""
    training = config.training
    decoupled = training.weight_decay > 0
    if tf.distribute.get_strategy().num_replicas_in_sync > 1:  # Clip after the all-reduce.
        optimizer_class = distribute.ReplicatedAdamW if decoupled else distribute.ReplicatedAdam
    elif training.fused_optimizer:
        optimizer_class = FusedAdamW if decoupled else FusedAdam
    else:
        optimizer_class = keras.optimizers.AdamW if decoupled else keras.optimizers.Adam
    options = {"weight_decay": training.weight_decay} if decoupled else {}
    optimizer = optimizer_class(
        learning_rate=training.learning_rate, global_clipnorm=training.clip_norm, **options
    )
    jit_compile = training.jit_compile
    if jit_compile and not distribute.xla_supported(tf.distribute.get_strategy()):
        print("training.jit_compile ignored: XLA cannot compile a step of several CPU replicas")
        jit_compile = False
    model.compile(
        optimizer=optimizer,
        loss=masked_cross_entropy(training.label_smoothing),
        jit_compile=jit_compile,
    )


def _limit_raised(state: TrainingState, training: TrainingConfig) -> bool:
    """Whether a finished run may go on because the limit that ended it was raised.

    A run stopped by ``training.epochs``, ``max_steps`` or ``max_minutes``
    continues when run again with a larger value of that setting (0 lifts a
    step or time limit); early stopping and any other stop stay final.

    Args:
        state: The saved training state of the finished run.
        training: The training section of the config of this invocation.

    Returns:
        True when training should continue from the checkpoint.
    """
    if state.epoch >= training.epochs:
        return False
    reason = state.stop_reason
    if reason.startswith("completed"):
        return True
    if reason.startswith("reached training.max_steps"):
        return not training.max_steps or state.step < training.max_steps
    if reason.startswith("reached training.max_minutes"):
        return not training.max_minutes or state.elapsed_seconds < 60 * training.max_minutes
    return False


def train(config: Config, run_dir: str) -> TrainingState:
    """Trains (or resumes training) into ``run_dir``.

    Under ``training.distribution=multi_worker`` every worker runs this with the
    same ``run_dir``: all read it (resuming needs it on a shared filesystem),
    only the chief writes it; the others write to a temporary folder that is
    deleted at the end (see :mod:`translate.distribute`).

    Args:
        config: The experiment.
        run_dir: Where the config, tokenizer, checkpoints, best model and logs go.

    Returns:
        The final training state (epochs, steps, best dev BLEU, why it stopped).

    Raises:
        TranslateError: On bad data, an unwritable run directory, a NaN loss, or
            an existing run with a different config.
    """
    run_dir = os.fspath(run_dir)
    strategy = distribute.make_strategy(config.training.distribution)  # Before any other TF work.
    out_dir = distribute.write_dir(run_dir, strategy)  # run_dir, except on non-chief workers.
    _check_run_dir_writable(out_dir, needed_bytes=50_000_000)
    _check_same_config(run_dir, config)
    state = _read_state(run_dir) or TrainingState()
    if not distribute.same_on_all_workers(strategy, state.epoch):
        raise TranslateError(
            f"the workers found different checkpoints in {run_dir}; a multi-worker run "
            "resumes only with the run directory on a filesystem all workers share"
        )
    _trim_metrics(out_dir, state.epoch)
    if state.finished and not _limit_raised(state, config.training):
        print(f"{run_dir}: training already finished ({state.stop_reason}); best dev BLEU {state.best_bleu}")
        return state
    state.finished, state.stop_reason = False, ""
    save_config(config, os.path.join(out_dir, CONFIG_FILE))
    keras.utils.set_random_seed(config.training.seed + state.epoch)
    print(distribute.describe(strategy, config.training.batch_size), flush=True)

    tokenizer_dir = os.path.join(run_dir, TOKENIZER_DIR)
    if os.path.isdir(tokenizer_dir):
        tokenizer = SubwordTokenizer.load(tokenizer_dir)
    else:
        print("training the subword tokenizer ...", flush=True)
        tokenizer = _train_tokenizer(config)
        tokenizer_dir = os.path.join(out_dir, TOKENIZER_DIR)
        temporary = tokenizer_dir + ".tmp"  # Renamed into place whole, so never half written.
        shutil.rmtree(temporary, ignore_errors=True)
        tokenizer.save(temporary)
        os.replace(temporary, tokenizer_dir)
    print(f"vocabulary: {tokenizer.source_vocab_size} source / {tokenizer.target_vocab_size} target subwords")
    if distribute.is_multi_worker(strategy) and not distribute.same_on_all_workers(
        strategy, _vocabulary_fingerprint(tokenizer)
    ):
        raise TranslateError("the workers trained different tokenizers; train it once and "
                             f"copy {tokenizer_dir} into the run directory of every worker")

    data, training = config.data, config.training
    pairs = sources.load_parallel(data.source, data.src_lang, data.tgt_lang, data.train_split, data.dir)
    batches, counts = training_batches(
        pairs, tokenizer,
        batch_size=training.batch_size, max_length=data.max_length,
        bucket_width=training.bucket_width, shuffle_buffer=training.shuffle_buffer,
        seed=training.seed, limit=data.train_limit,
        cache=distribute.worker_cache(data.cache, strategy),
    )
    batches = batches.with_options(distribute.dataset_options())
    print(counts.describe(), flush=True)
    dev_sources, dev_references = sources.read_lines(
        data.source, data.src_lang, data.tgt_lang, data.dev_split, data.dir
    )
    if training.dev_sentences:
        dev_sources = dev_sources[: training.dev_sentences]
        dev_references = dev_references[: training.dev_sentences]

    with strategy.scope():  # Variables (and the optimizer's) are mirrored over the replicas.
        model = build_model(config, tokenizer)
        compile_model(model, config)
        parameters = model.count_params()
        _check_run_dir_writable(out_dir, needed_bytes=parameters * 4 * 6 + 20_000_000)
        print(f"model: {parameters:,} parameters", flush=True)
        if state.epoch > 0:
            model.optimizer.build(model.trainable_variables)
            weights = os.path.join(run_dir, CHECKPOINT_DIR, WEIGHTS_FILE)
            try:
                model.load_weights(weights)
            except Exception as error:  # h5py and Keras raise several kinds on a damaged file.
                raise TranslateError(f"{weights}: cannot load the checkpoint ({error})") from None
            print(f"resuming after epoch {state.epoch} (step {state.step}, best dev BLEU {state.best_bleu})")
        elif config.model.output_bias_init == "unigram":
            model.set_output_prior(counts.target_log_frequencies())

    translator = Translator(model, tokenizer, config.decoding)
    lr = LearningRateController(training.learning_rate, training.warmup_steps, state)
    monitor = TrainingMonitor(config, out_dir, state, translator, dev_sources, dev_references)
    callbacks = [
        lr,
        monitor,
        keras.callbacks.TensorBoard(os.path.join(out_dir, "logs"), update_freq=100),
    ]
    distribute.prepare_fit(model, batches, strategy)
    model.fit(
        batches,
        epochs=training.epochs,
        initial_epoch=state.epoch,
        callbacks=callbacks,
        shuffle=False,  # the dataset shuffles itself
        verbose=1 if os.environ.get("TRANSLATE_PROGRESS", "1") == "1" else 2,
    )
    if not state.finished:  # fit returned without the monitor marking the end (e.g. empty epoch)
        state.finished = True
        state.stop_reason = state.stop_reason or "stopped"
        save_checkpoint(model, out_dir, state)
    distribute.cleanup_write_dir(out_dir, run_dir)
    print(f"training finished: {state.stop_reason}; best dev BLEU {state.best_bleu} at epoch {state.best_epoch}")
    return state

