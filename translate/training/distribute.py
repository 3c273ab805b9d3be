"""Training on several devices or machines with ``tf.distribute`` (``training.distribution``).

========================  ==============================================================
``training.distribution``  strategy
========================  ==============================================================
``default``               TensorFlow's default strategy: one device, no replication.
``mirrored``              ``tf.distribute.MirroredStrategy`` over all GPUs of this host
                          (over all logical CPU devices when the host has no GPU).
``multi_worker``          ``tf.distribute.MultiWorkerMirroredStrategy``: synchronous
                          data parallelism over the machines listed in ``TF_CONFIG``.
========================  ==============================================================

``training.batch_size`` is the *global* batch: each step, every replica gets
``batch_size / replicas`` pairs (``batch_size // replicas`` or one more, as
``tf.distribute`` splits a batch; a short last batch of a length bucket can
leave a replica an empty share). Gradients are summed over replicas, and
:func:`translate.training.losses.masked_cross_entropy` divides each replica's summed
token loss by the token count of the *whole* global batch (:func:`sum_over_replicas`),
and :func:`translate.training.optimizers.make_optimizer` picks an Adam that clips the
summed gradient, so a step computes the same loss and gradient as one device
running the whole batch.

Two environment variables:

* ``TF_CONFIG`` (``multi_worker`` only): the cluster and this process's place
  in it, e.g. ``{"cluster": {"worker": ["host1:12345", "host2:12345"]},
  "task": {"type": "worker", "index": 0}}``. Task 0 (or the ``chief`` task, if
  the cluster has one) is the chief: it alone writes the run directory.
* ``TRANSLATE_LOGICAL_CPUS=N``: split the CPU into N logical devices, so
  ``mirrored`` runs N replicas on a machine without GPUs (for tests and demos;
  it gives no speed-up). It is applied by :func:`make_strategy`, which must
  therefore run before TensorFlow initializes its devices (before the first
  TensorFlow op of the process), as :func:`translate.training.train.train` does.

Multi-worker runs keep every worker in lock step: collective ops hang if one
worker stops early, so anything that decides whether to go on (dev BLEU, the
wall-time limit) is agreed over all workers with :func:`chief_values` and
:func:`any_worker`.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile

import numpy as np
import tensorflow as tf

from translate import TranslateError

LOGICAL_CPUS_ENV = "TRANSLATE_LOGICAL_CPUS"
KINDS = ("default", "mirrored", "multi_worker")


def configure_logical_cpus(count: int | None = None) -> int | None:
    """Splits the first CPU into ``count`` logical devices (default env ``TRANSLATE_LOGICAL_CPUS``).

    Returns:
        The number of logical CPU devices, or None when nothing was asked (then
        TensorFlow's devices are left untouched and uninitialized).

    Raises:
        TranslateError: If the value is not a positive integer, or TensorFlow
            already initialized its devices with another split.
    """
    if count is None:
        text = os.environ.get(LOGICAL_CPUS_ENV, "").strip()
        if not text:
            return None
        try:
            count = int(text)
        except ValueError:
            count = 0
        if count < 1:
            raise TranslateError(f"{LOGICAL_CPUS_ENV}={text!r}: expected a positive integer")
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(count)]
        )
    except RuntimeError:  # Devices are initialized: fine if they are already split so.
        have = len(tf.config.list_logical_devices("CPU"))
        if have != count:
            raise TranslateError(
                f"{LOGICAL_CPUS_ENV}={count}: TensorFlow already initialized {have} CPU "
                "device(s) in this process; set it before the first TensorFlow operation"
            ) from None
    return count


def _tf_config() -> dict:
    text = os.environ.get("TF_CONFIG", "").strip()
    if not text:
        raise TranslateError(
            "training.distribution=multi_worker needs the environment variable TF_CONFIG, e.g. "
            '{"cluster": {"worker": ["host1:12345", "host2:12345"]}, '
            '"task": {"type": "worker", "index": 0}} (see docs/distributed.md)'
        )
    try:
        config = json.loads(text)
    except ValueError as error:
        raise TranslateError(f"TF_CONFIG is not valid JSON: {error}") from None
    if not (
        isinstance(config, dict)
        and isinstance(config.get("cluster"), dict)
        and isinstance(config.get("task"), dict)
    ):
        raise TranslateError("TF_CONFIG must be a JSON object with 'cluster' and 'task' objects")
    return config


def make_strategy(kind: str) -> tf.distribute.Strategy:
    """The ``tf.distribute`` strategy for ``training.distribution``.

    Call it before any other TensorFlow work of the process: logical CPU
    devices and ``MultiWorkerMirroredStrategy`` can only be set up then.

    Args:
        kind: ``default``, ``mirrored`` or ``multi_worker``.

    Raises:
        TranslateError: For an unknown kind, a missing or malformed ``TF_CONFIG``,
            or a bad ``TRANSLATE_LOGICAL_CPUS``.
    """
    if kind not in KINDS:
        raise TranslateError(f"training.distribution is {kind!r}; allowed: {', '.join(KINDS)}")
    if kind == "multi_worker":
        _tf_config()  # Clear error before TensorFlow's own.
    configure_logical_cpus()  # Only sets a device option: TensorFlow stays uninitialized.
    if kind == "multi_worker":  # Configures collective ops, which must precede any device use.
        return tf.distribute.MultiWorkerMirroredStrategy()
    if kind == "default":
        return tf.distribute.get_strategy()
    if kind == "mirrored":
        if tf.config.list_physical_devices("GPU"):
            return tf.distribute.MirroredStrategy()
        cpus = [device.name for device in tf.config.list_logical_devices("CPU")]
        # Plain reductions: NCCL is for GPUs only.
        return tf.distribute.MirroredStrategy(
            devices=cpus, cross_device_ops=tf.distribute.ReductionToOneDevice()
        )


def replicas(strategy: tf.distribute.Strategy) -> int:
    """Replicas that train together (over all workers)."""
    return strategy.num_replicas_in_sync


def xla_supported(strategy: tf.distribute.Strategy) -> bool:
    """False when several replicas run on CPU devices, where ``jit_compile`` fails.

    XLA compiles a replica's step for one device, and with logical CPU devices
    (or CPU workers) TensorFlow 2.21 rejects it: "Trying to access resource
    .../replica_1 located in device CPU:1 from device CPU:0" (XLA known issue
    "tf.Variable on a different device"). GPU replicas are left to XLA.
    """
    if strategy.num_replicas_in_sync == 1:
        return True
    return not all("CPU" in device.upper() for device in strategy.extended.worker_devices)


def is_multi_worker(strategy: tf.distribute.Strategy) -> bool:
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)


def is_chief(strategy: tf.distribute.Strategy) -> bool:
    """True for the one process that writes the run directory (always, without workers)."""
    return bool(strategy.extended.should_checkpoint)


def describe(strategy: tf.distribute.Strategy, batch_size: int, batch_tokens: int = 0) -> str:
    """One line: strategy, replicas and the per-replica share of the global batch
    (of ``batch_size`` pairs, or of up to ``batch_tokens`` subwords when that is set)."""
    count = replicas(strategy)
    if count == 1 and not is_multi_worker(strategy):
        if batch_tokens:
            return f"distribution: one device, batches of up to {batch_tokens:,} subwords"
        return f"distribution: one device, batch {batch_size}"
    name = "MultiWorkerMirroredStrategy" if is_multi_worker(strategy) else type(strategy).__name__
    where = ""
    if is_multi_worker(strategy):
        resolver = strategy.cluster_resolver
        chief = " (chief)" if is_chief(strategy) else ""
        where = f", task {resolver.task_type}:{resolver.task_id}{chief}"
    if batch_tokens:
        return (
            f"distribution: {name}, {count} replicas{where}; global batches of up to "
            f"{batch_tokens:,} subwords = about {batch_tokens / count:,.0f} per replica"
        )
    return (
        f"distribution: {name}, {count} replicas{where}; global batch {batch_size} "
        f"= {batch_size / count:g} pairs per replica"
    )


def write_dir(run_dir: str, strategy: tf.distribute.Strategy) -> str:
    """Where this process writes: ``run_dir`` for the chief, a new temporary folder for others.

    Non-chief workers of a multi-worker run go through the same saving code as
    the chief (Keras's multi-worker convention) into a throw-away folder;
    :func:`cleanup_write_dir` deletes it.
    """
    if is_chief(strategy):
        return run_dir
    resolver = strategy.cluster_resolver
    path = tempfile.mkdtemp(prefix=f"translate-{resolver.task_type}{resolver.task_id}-")
    atexit.register(shutil.rmtree, path, True)  # Also when training stops with an error.
    return path


def cleanup_write_dir(path: str, run_dir: str) -> None:
    if os.path.abspath(path) != os.path.abspath(run_dir):
        shutil.rmtree(path, ignore_errors=True)


def worker_cache(cache: str, strategy: tf.distribute.Strategy) -> str:
    """``data.cache`` for this process: a file cache prefix gets ``.worker-N`` appended
    on multi-worker runs, so workers sharing a filesystem never fill the same files."""
    if cache in ("memory", "none") or not is_multi_worker(strategy):
        return cache
    resolver = strategy.cluster_resolver
    return f"{cache}.{resolver.task_type}-{resolver.task_id}"


def dataset_options() -> tf.data.Options:
    """Options for the training dataset: shard multi-worker input by elements.

    Every worker runs the same deterministic pipeline (same seed) and keeps its
    share of each global batch. File sharding (TensorFlow's first choice) would
    not fit: a corpus is one or two files, and the batches are length buckets.
    """
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return options


_SUM_FUNCTIONS: dict[int, tf.types.experimental.PolymorphicFunction] = {}


def _sum_over_workers(strategy: tf.distribute.Strategy, values: np.ndarray) -> np.ndarray:
    """Each worker's ``values`` summed over all workers (a collective: all workers must call it)."""
    key = id(strategy)
    if key not in _SUM_FUNCTIONS:
        local = len(strategy.extended.worker_devices)

        def replica_sum(value):
            context = tf.distribute.get_replica_context()
            return context.all_reduce(tf.distribute.ReduceOp.SUM, value / local)

        _SUM_FUNCTIONS[key] = tf.function(lambda value: strategy.run(replica_sum, args=(value,)))
    result = _SUM_FUNCTIONS[key](tf.constant(values, tf.float64))
    return strategy.experimental_local_results(result)[0].numpy()


def chief_values(strategy: tf.distribute.Strategy, values: list[float]) -> list[float]:
    """The chief's ``values`` on every worker (identity without workers).

    Non-chief workers pass anything (e.g. zeros); only the chief's count.
    """
    if not is_multi_worker(strategy):
        return list(values)
    mine = np.asarray(values, np.float64) if is_chief(strategy) else np.zeros(len(values))
    return [float(v) for v in _sum_over_workers(strategy, mine)]


def any_worker(strategy: tf.distribute.Strategy, flag: bool) -> bool:
    """True on every worker if ``flag`` is true on any (identity without workers)."""
    if not is_multi_worker(strategy):
        return flag
    return bool(_sum_over_workers(strategy, np.array([float(flag)]))[0] > 0)


def same_on_all_workers(strategy: tf.distribute.Strategy, value: float) -> bool:
    """True on every worker if all workers passed the same ``value`` (an integer below 2**26)."""
    if not is_multi_worker(strategy):
        return True
    value = float(value)
    count, total, squares = _sum_over_workers(strategy, np.array([1.0, value, value * value]))
    return bool(total == count * value and squares == count * value * value)


def sum_over_replicas(value: tf.Tensor) -> tf.Tensor:
    """``value`` summed over the replicas, without a gradient through the sum.

    The loss denominator (the token count of the whole global batch) and the
    logged loss and pair counts of a step. In a replica context of several
    replicas it all-reduces ``value``; elsewhere (one device, or Keras building
    its metrics) it returns it.
    """
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return value
    return context.all_reduce(tf.distribute.ReduceOp.SUM, tf.stop_gradient(value))
