"""Training with ``model.fit``: data, tokenizer, model, optimizer and callbacks put together.

``train(config, run_dir)`` is idempotent: run it again after an interruption
(Ctrl-C, SIGTERM, SIGKILL, a crash) and it resumes from the last completed
epoch with the optimizer state, learning-rate state and best dev BLEU it had.
One process at a time trains into a run directory (it holds the folder's lock).
A new run may start from another run's best model (``training.init_from``) and
may tokenize with SentencePiece models of the user's (``data.sentencepiece_model``).
The parts: :mod:`translate.training.losses`, :mod:`translate.training.optimizers`,
:mod:`translate.training.callbacks` (learning rate, dev BLEU, checkpoints),
:mod:`translate.runs.rundir` (the files) and :mod:`translate.training.distribute`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import zlib

import keras
import sentencepiece as spm
import tensorflow as tf

from translate import TranslateError
from translate.config.schema import Config
from translate.data import cache, sources
from translate.data.pipeline import FilterCounts, describe_batches, training_batches
from translate.data.tokenizer import SubwordTokenizer, read_sentencepiece_model
from translate.inference.translator import Translator, load_model
from translate.model import Seq2Seq
from translate.runs.rundir import RunDir
from translate.training import distribute, keras_internals, losses, precision, speed
from translate.training.callbacks import training_callbacks
from translate.training.optimizers import make_optimizer, with_loss_scaling
from translate.training.state import TrainingState
from translate.training.step import SentencesPerBatch

# Model keys that a run started from another (training.init_from) may set differently:
# they leave the shape of every weight alone. Every other model key must match.
SHAPE_NEUTRAL_KEYS = ("dropout", "embedding_dropout", "output_bias_init")


def train_tokenizer(config: Config) -> SubwordTokenizer:
    """A subword tokenizer trained on the first ``data.tokenizer_sample`` training pairs."""
    data = config.data
    pairs = sources.load_parallel(
        data.source, data.src_lang, data.tgt_lang, data.train_split, data.dir
    )
    if data.train_limit:
        pairs = pairs.take(data.train_limit)
    sample = list(pairs.take(data.tokenizer_sample).as_numpy_iterator())
    source_lines = [source.decode("utf-8") for source, _ in sample]
    target_lines = [target.decode("utf-8") for _, target in sample]
    tokenizer = SubwordTokenizer.train(
        source_lines, target_lines, data.vocab_size, data.tokenizer_type, data.joint_vocab
    )
    tokenizer.built_from = _train_fingerprint(config)
    return tokenizer


def _train_fingerprint(config: Config) -> dict:
    """What the training split is read from (names, sizes, samples of its files)."""
    data = config.data
    return sources.corpus_fingerprint(
        data.source, data.src_lang, data.tgt_lang, data.train_split, data.dir
    )


def _check_tokenizer_data(config: Config, tokenizer: SubwordTokenizer, folder: str) -> None:
    """Refuses to go on training a run whose training files changed since its tokenizer
    was trained (its model learned the old data's subwords and sentences)."""
    change = cache.difference(tokenizer.built_from, _train_fingerprint(config), content_only=True)
    if tokenizer.built_from is not None and change:
        raise TranslateError(
            f"the training data changed since {folder} was trained on it ({change}); "
            "put the data back, or train into a new --run-dir"
        )


def given_model_files(config: Config) -> dict[str, str]:
    """The user's own SentencePiece model files, by role, after checking the keys around them.

    Args:
        config: The experiment (``data.sentencepiece_model`` or its
            ``source_``/``target_`` variants).

    Returns:
        ``{"joint": path}``, ``{"source": path, "target": path}``, or ``{}``
        when the config names none (then a tokenizer is trained or copied).

    Raises:
        TranslateError: If the keys contradict each other, ``data.joint_vocab``,
            ``data.tokenizer_dir`` or ``training.init_from``.
    """
    data = config.data
    source, target = data.source_sentencepiece_model, data.target_sentencepiece_model
    if data.sentencepiece_model:
        key = "data.sentencepiece_model"
        if source or target:
            raise TranslateError(
                "data.sentencepiece_model (one model for both languages) and "
                "data.source_sentencepiece_model/data.target_sentencepiece_model (one model "
                "each) exclude each other: set one or the other"
            )
        if not data.joint_vocab:
            raise TranslateError(
                "data.sentencepiece_model is one model for both languages, but "
                "data.joint_vocab is false: set data.joint_vocab: true, or give "
                "data.source_sentencepiece_model and data.target_sentencepiece_model"
            )
        files = {"joint": data.sentencepiece_model}
    elif source or target:
        key = "data.source_sentencepiece_model"
        if not (source and target):
            given, missing = (
                ("data.source_sentencepiece_model", "data.target_sentencepiece_model")
                if source
                else ("data.target_sentencepiece_model", "data.source_sentencepiece_model")
            )
            raise TranslateError(
                f"{given} needs {missing} too (one model per language), or use "
                "data.sentencepiece_model for one model of both"
            )
        if data.joint_vocab:
            raise TranslateError(
                "data.source_sentencepiece_model and data.target_sentencepiece_model are one "
                "model per language, but data.joint_vocab is true (the default): set "
                "data.joint_vocab: false, or give one data.sentencepiece_model"
            )
        files = {"source": source, "target": target}
    else:
        return {}
    if data.tokenizer_dir:
        raise TranslateError(f"data.tokenizer_dir and {key} both give the tokenizer: keep one")
    if config.training.init_from:
        raise TranslateError(
            f"training.init_from trains with the tokenizer of the run it starts from: "
            f"leave {key} out"
        )
    return files


def _given_tokenizer(files: dict[str, str]) -> SubwordTokenizer:
    """The tokenizer of the user's SentencePiece model files (:func:`given_model_files`)."""
    keys = {
        "joint": "data.sentencepiece_model",
        "source": "data.source_sentencepiece_model",
        "target": "data.target_sentencepiece_model",
    }
    models = [read_sentencepiece_model(path, keys[role]) for role, path in files.items()]
    return SubwordTokenizer(*models)


def _same_path(first: str | None, second: str | None) -> bool:
    """Whether two optional paths name the same folder (None only equals None)."""
    if first is None or second is None:
        return first == second
    return os.path.abspath(first) == os.path.abspath(second)


def _init_source(config: Config, run: RunDir) -> Seq2Seq | None:
    """The model a new run starts from (``training.init_from``), after checking that run.

    Args:
        config: The experiment.
        run: The run directory to train into.

    Returns:
        The source run's best model; None without the key, or when ``run``
        resumes from its own checkpoint (it never goes back to the source).

    Raises:
        TranslateError: If ``run`` was started another way, or the source is not a
            trained run, its model does not load, or a model key that shapes a
            weight differs from the source's (all such keys in one message).
    """
    origin = config.training.init_from
    if os.path.exists(run.config_file):
        started = run.load_config().training.init_from
        if not _same_path(started, origin):
            before = f"from {started}" if started else "without training.init_from"
            now = f"training.init_from={origin!r}" if origin else "no training.init_from"
            raise TranslateError(
                f"{run.path} holds a run started {before}; it cannot go on with {now}: "
                "use a new --run-dir, or the run's own setting"
            )
    if not origin:
        return None
    key = f"training.init_from={origin!r}"
    if config.data.tokenizer_dir:
        raise TranslateError(
            f"{key} trains with the tokenizer of the run it starts from: "
            "leave data.tokenizer_dir out"
        )
    state = run.read_state()
    if state is not None and state.epoch > 0:
        return None
    source = RunDir(origin)
    if os.path.abspath(source.path) == os.path.abspath(run.path):
        raise TranslateError(f"{key}: a run cannot start from its own run directory")
    try:
        source.check_trained()
        source_model = source.load_config().model
    except TranslateError as error:
        raise TranslateError(f"{key}: {error}") from None
    differences = [
        f"model.{field.name}: {getattr(source_model, field.name)!r} in {origin}, "
        f"{getattr(config.model, field.name)!r} here"
        for field in dataclasses.fields(source_model)
        if field.name not in SHAPE_NEUTRAL_KEYS
        and getattr(source_model, field.name) != getattr(config.model, field.name)
    ]
    if differences:
        raise TranslateError(
            f"{key}: these model keys change the shape of weights and must be as in the "
            f"run it starts from ({'; '.join(differences)})"
        )
    try:
        return load_model(source.model_file)
    except TranslateError as error:
        raise TranslateError(f"{key}: {error}") from None


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
    if config.model.share_embeddings and not tokenizer.joint:
        origin = config.data.tokenizer_dir or "the run's tokenizer folder"
        raise TranslateError(
            f"model.share_embeddings=true needs one joint vocabulary, but {origin} "
            "has one model per language"
        )
    model = Seq2Seq.from_config_section(
        config.model, tokenizer.source_vocab_size, tokenizer.target_vocab_size
    )
    model.build()
    return model


def compile_model(model: keras.Model, config: Config) -> None:
    """Compiles with Adam(W), gradient clipping and the masked, smoothed loss.

    Also sets the loop the model's recurrent layers train in: with the CPU
    speed devices or plain (``training.cpu_kernels``, :mod:`translate.training.speed`),
    and the precision they compute in (``training.precision``,
    :mod:`translate.training.precision`; the choice is printed), and logs the
    sentences per batch. The step itself, with ``training.accumulate_steps``
    batches per update, is :func:`translate.training.step.train_step`. Call it
    in the scope of the strategy the model is trained under.
    """
    training = config.training
    model.set_loop(speed.make_loop(training.cpu_kernels))
    choice = precision.resolve(training.precision, "training.precision")
    model.set_precision(choice.policy)
    print(choice.describe(), flush=True)
    strategy = tf.distribute.get_strategy()
    jit_compile = training.jit_compile
    if jit_compile and not distribute.xla_supported(strategy):
        print("training.jit_compile ignored: XLA cannot compile a step of several CPU replicas")
        jit_compile = False
    accumulate = training.accumulate_steps > 1
    if jit_compile and accumulate:
        print("training.jit_compile ignored: the batches of an accumulation differ in shape")
        jit_compile = False
    model.compile(
        optimizer=with_loss_scaling(make_optimizer(training, strategy), choice.policy),
        loss=losses.masked_cross_entropy(training.label_smoothing),
        metrics=[SentencesPerBatch()],
        jit_compile=jit_compile,
    )
    # Batches whose replica shares differ in shape, groups of batches, and multi-worker
    # dict inputs break fit's own build: build from the model's input spec instead.
    if accumulate or training.batch_tokens or distribute.is_multi_worker(strategy):
        ids = tf.TensorSpec((None, None), tf.int32)  # (batch, len)
        keras_internals.build_before_fit(model, ({"source": ids, "target_in": ids}, ids))


def train(config: Config, run_dir: str | os.PathLike) -> TrainingState:
    """Trains (or resumes training) into ``run_dir``.

    Under ``training.distribution=multi_worker`` every worker runs this with the
    same ``run_dir``: all read it (resuming needs it on a shared filesystem),
    only the chief writes it; the others write to a temporary folder that is
    deleted at the end (see :mod:`translate.training.distribute`).

    Args:
        config: The experiment.
        run_dir: Where the config, tokenizer, checkpoints, best model and logs go.

    Returns:
        The final training state (epochs, steps, best dev BLEU, why it stopped).

    Raises:
        TranslateError: On bad data, an unwritable run directory, a run directory
            another process is training into, a NaN loss, an existing run
            with a different config, or a bad ``training.init_from`` or
            SentencePiece model file.
    """
    strategy = distribute.make_strategy(config.training.distribution)  # Before any other TF work.
    run = RunDir(run_dir)
    out = RunDir(distribute.write_dir(run.path, strategy))  # run, except on non-chief workers.
    given_model_files(config)  # Contradicting tokenizer keys fail before anything is written.
    out.check_writable(needed_bytes=50_000_000)
    with out.lock():
        initial = _init_source(config, run)
        state = _starting_state(config, run, out, strategy)
        if state.finished:
            print(
                f"{run.path}: training already finished ({state.stop_reason}); "
                f"best dev BLEU {state.best_bleu}"
            )
            return state
        tokenizer = _tokenizer(config, run, out, strategy)
        batches, counts, dev_sources, dev_references = _data(config, tokenizer, strategy)
        with strategy.scope():  # Variables (and the optimizer's) are mirrored over the replicas.
            model = _model(config, tokenizer, run, out, state, counts, initial)
        translator = Translator(model, tokenizer, config.decoding)
        callbacks = training_callbacks(config, out, state, translator, dev_sources, dev_references)
        model.fit(
            batches,
            epochs=config.training.epochs,
            initial_epoch=state.epoch,
            callbacks=callbacks,
            shuffle=False,  # the dataset shuffles itself
            verbose=1 if os.environ.get("TRANSLATE_PROGRESS", "1") == "1" else 2,
        )
        if not state.finished:  # fit ran no epoch: the checkpoint is already at training.epochs
            state.finished = True
            state.stop_reason = state.stop_reason or f"completed {state.epoch} epochs"
            out.save_checkpoint(model, state)
    distribute.cleanup_write_dir(out.path, run.path)
    print(
        f"training finished: {state.stop_reason}; "
        f"best dev BLEU {state.best_bleu} at epoch {state.best_epoch}"
    )
    return state


def _starting_state(
    config: Config, run: RunDir, out: RunDir, strategy: tf.distribute.Strategy
) -> TrainingState:
    """The state to start from: new, or the last checkpoint's (then checked against the config).

    A finished run comes back finished unless the limit that ended it was
    raised; otherwise the config is saved and the random seed set for the
    first epoch to train.
    """
    run.check_same_config(config)
    state = run.read_state() or TrainingState()
    if not distribute.same_on_all_workers(strategy, state.epoch):
        raise TranslateError(
            f"the workers found different checkpoints in {run.path}; a multi-worker run "
            "resumes only with the run directory on a filesystem all workers share"
        )
    out.trim_metrics(state.epoch)
    if state.finished and not state.limit_raised(config.training):
        return state
    state.finished, state.stop_reason = False, ""
    out.save_config(config)
    keras.utils.set_random_seed(config.training.seed + state.epoch)
    training = config.training
    print(distribute.describe(strategy, training.batch_size, training.batch_tokens), flush=True)
    return state


def _tokenizer(
    config: Config, run: RunDir, out: RunDir, strategy: tf.distribute.Strategy
) -> SubwordTokenizer:
    """The run's tokenizer: saved by the first run, which trained it, copied it
    (``data.tokenizer_dir``, ``training.init_from``) or took the user's models
    (``data.sentencepiece_model``)."""
    given = given_model_files(config)
    if os.path.isdir(run.tokenizer_dir):
        tokenizer, folder = run.load_tokenizer(), run.tokenizer_dir
        _check_tokenizer_data(config, tokenizer, folder)
    elif config.data.tokenizer_dir or config.training.init_from:
        if config.data.tokenizer_dir:
            tokenizer = out.copy_tokenizer(config.data.tokenizer_dir)
        else:
            origin = RunDir(config.training.init_from).tokenizer_dir
            tokenizer = out.copy_tokenizer(origin, key="training.init_from")
        folder = out.tokenizer_dir
        # Its record is this run's data (the one a resume must find again), not the source's.
        tokenizer.built_from = _train_fingerprint(config)
        out.record_tokenizer_data(tokenizer.built_from)
    elif given:
        tokenizer, folder = _given_tokenizer(given), out.tokenizer_dir
        out.save_given_tokenizer(tokenizer, given)
        tokenizer.built_from = _train_fingerprint(config)
        out.record_tokenizer_data(tokenizer.built_from)
        print(
            "vocabulary: the given SentencePiece model(s); data.vocab_size, "
            "data.tokenizer_type and data.tokenizer_sample do not apply",
            flush=True,
        )
    else:
        print("training the subword tokenizer ...", flush=True)
        tokenizer, folder = train_tokenizer(config), out.tokenizer_dir
        out.save_tokenizer(tokenizer)
    print(
        f"vocabulary: {tokenizer.source_vocab_size} source / "
        f"{tokenizer.target_vocab_size} target subwords"
    )
    if distribute.is_multi_worker(strategy) and not distribute.same_on_all_workers(
        strategy, _vocabulary_fingerprint(tokenizer)
    ):
        raise TranslateError(
            "the workers trained different tokenizers; train it once and "
            f"copy {folder} into the run directory of every worker"
        )
    return tokenizer


def config_batches(
    config: Config, tokenizer: SubwordTokenizer, strategy: tf.distribute.Strategy | None = None
) -> tuple[tf.data.Dataset, FilterCounts]:
    """The config's training batches and their filter counts (:func:`training_batches`).

    Args:
        config: The experiment (its ``data`` and ``training`` sections).
        tokenizer: Tokenizes the pairs.
        strategy: The strategy training runs under (its workers' caches); None
            for the current one.

    Returns:
        The batches (length buckets, shuffled, cached as ``data.cache`` says)
        and the counts of pairs kept and dropped.
    """
    data, training = config.data, config.training
    strategy = strategy or tf.distribute.get_strategy()
    pairs = sources.load_parallel(
        data.source, data.src_lang, data.tgt_lang, data.train_split, data.dir
    )
    return training_batches(
        pairs,
        tokenizer,
        batch_size=training.batch_size,
        max_length=data.max_length,
        bucket_width=training.bucket_width,
        shuffle_buffer=training.shuffle_buffer,
        seed=training.seed,
        limit=data.train_limit,
        cache=distribute.worker_cache(data.cache, strategy),
        corpus_fingerprint=_train_fingerprint(config),
        batch_tokens=training.batch_tokens,
        accumulate_steps=training.accumulate_steps,
        subword_sampling=data.subword_sampling,
    )


def _data(
    config: Config, tokenizer: SubwordTokenizer, strategy: tf.distribute.Strategy
) -> tuple[tf.data.Dataset, FilterCounts, list[str], list[str]]:
    """Training batches, their filter counts, and the dev sources and references."""
    data, training = config.data, config.training
    batches, counts = config_batches(config, tokenizer, strategy)
    print(counts.describe(), flush=True)
    if data.subword_sampling:  # The counts above are of the best segmentation.
        print(f"subword sampling: alpha {data.subword_sampling}, new draws each epoch", flush=True)
    shape = (training.batch_size, data.max_length, training.bucket_width)
    print(describe_batches(*shape, training.batch_tokens, training.accumulate_steps), flush=True)
    dev_sources, dev_references = sources.read_lines(
        data.source, data.src_lang, data.tgt_lang, data.dev_split, data.dir
    )
    dev = slice(training.dev_sentences or None)
    batches = batches.with_options(distribute.dataset_options())
    return batches, counts, dev_sources[dev], dev_references[dev]


def _model(
    config: Config,
    tokenizer: SubwordTokenizer,
    run: RunDir,
    out: RunDir,
    state: TrainingState,
    counts: FilterCounts,
    initial: Seq2Seq | None = None,
) -> Seq2Seq:
    """The compiled model: restored from the checkpoint, or new with the weights of
    ``initial`` (``training.init_from``) or else with the output prior set."""
    model = build_model(config, tokenizer)
    compile_model(model, config)
    parameters = model.count_params()
    out.check_writable(needed_bytes=parameters * 4 * 6 + 20_000_000)
    print(f"model: {parameters:,} parameters", flush=True)
    if state.epoch > 0:
        if not model.optimizer.built:  # compile_model builds it for token batches.
            model.optimizer.build(model.trainable_variables)
        run.load_checkpoint(model)
        print(
            f"resuming after epoch {state.epoch} "
            f"(step {state.step}, best dev BLEU {state.best_bleu})"
        )
    elif initial is not None:
        source = initial.get_weights()
        if [v.shape for v in source] != [tuple(v.shape) for v in model.get_weights()]:
            raise TranslateError(
                f"training.init_from={config.training.init_from!r}: its model's weights do "
                "not fit the model of this config"
            )
        model.set_weights(source)
        print(
            f"starting from the weights of {RunDir(config.training.init_from).model_file} "
            "(training.init_from) with a fresh optimizer, learning-rate schedule, step "
            "count, best dev BLEU and early stopping",
            flush=True,
        )
    elif config.model.output_bias_init == "unigram":
        model.set_output_prior(counts.target_log_frequencies())
    return model
