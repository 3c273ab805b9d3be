"""Mixed precision, switched by ``training.precision`` and ``decoding.precision``.

A setting is ``auto`` or one of Keras' dtype policies: ``float32``,
``mixed_bfloat16`` or ``mixed_float16``. Under a mixed policy the layers
compute in the low-precision dtype while every weight stays a float32
variable (Keras casts it on read); the model keeps float32 where lower
precision would hurt (the LSTM cell state, the attention softmax, the logits,
hence log-softmax, the loss and the beam scores: see ``docs/precision.md``).
The model meets a policy through one hook,
:meth:`translate.model.seq2seq.Seq2Seq.set_precision`; this module turns a
setting into a policy (:func:`resolve`), once per process.

``auto`` decides by measurement. On a GPU it takes ``mixed_bfloat16`` from
compute capability 8.0 (bfloat16 tensor cores), ``mixed_float16`` from 7.0,
else ``float32`` (this rule has never run on a GPU). On a CPU it times one
bfloat16 matrix product the size of a decoder step, ``(64, 1024) @ (1024,
2048)``, against float32, once per machine (the ratio is cached under
``$XDG_CACHE_HOME/lstm-translate/``, keyed by CPU model and TensorFlow
version), and takes ``mixed_bfloat16`` only when it is at least
:data:`AUTO_MARGIN` times as fast.

Every policy runs on a CPU: bfloat16 without AVX512_BF16 or AMX, and float16
always, are emulated and slow there; ``mixed_float16`` without a GPU warns
once that it is meant for GPUs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Iterator

import tensorflow as tf

from translate import TranslateError
from translate.config import allowed, check_key
from translate.runs.fileio import write_text

#: The values of ``training.precision`` and ``decoding.precision``, as the schema allows them.
SETTINGS = allowed("training.precision")
#: The Keras dtype policies a setting may name: every setting but ``auto``.
POLICIES = tuple(setting for setting in SETTINGS if setting != "auto")
#: ``auto`` takes bfloat16 on a CPU only when its matrix product is this many times as fast.
AUTO_MARGIN = 1.3
#: The product ``auto`` times: ``(rows, inner) @ (inner, cols)``, about one decoder step.
PROBE_SHAPE = (64, 1024, 2048)
_CACHE_FILE = "precision.json"


@dataclasses.dataclass(frozen=True)
class Choice:
    """A resolved precision setting.

    Attributes:
        policy: The Keras dtype policy: one of :data:`POLICIES`.
        reason: Why, e.g. ``"bfloat16 matmul 0.8x float32 on AMD EPYC 9R14"``.
    """

    policy: str
    reason: str

    def describe(self) -> str:
        """One log line: ``precision: float32 (bfloat16 matmul 0.8x float32 on ...)``."""
        return f"precision: {self.policy} ({self.reason})"


def resolve(setting: str, key: str = "training.precision") -> Choice:
    """The policy of a precision setting, and why.

    Args:
        setting: ``auto`` or one of :data:`POLICIES`.
        key: The config key it came from, for messages.

    Returns:
        The :class:`Choice`. ``mixed_float16`` without a GPU warns once on stderr.

    Raises:
        TranslateError: For a setting the schema does not allow (settings built
            by hand, not read by :func:`~translate.config.load_config`).
    """
    check_key(key, setting)
    if setting == "auto":
        choice = _auto()
    else:
        choice = Choice(setting, f"set by {key}")
    if choice.policy == "mixed_float16" and not _gpus():
        _warn_float16_on_cpu()
    return choice


@functools.cache
def _auto() -> Choice:
    """``auto``'s choice for this process (measured or read from the cache once)."""
    gpus = _gpus()
    if gpus:
        return _gpu_choice(gpus[0])
    with tf.init_scope():  # Measured eagerly even when first asked inside a traced function.
        ratio = bfloat16_speedup()
    where = f"on {cpu_model()}"
    if ratio >= AUTO_MARGIN:
        return Choice("mixed_bfloat16", f"bfloat16 matmul {ratio:.2f}x float32 {where}")
    return Choice("float32", f"bfloat16 matmul {ratio:.2f}x float32 {where}, under {AUTO_MARGIN}x")


def _gpus() -> list:
    return tf.config.list_physical_devices("GPU")


def _gpu_choice(gpu) -> Choice:
    """``auto`` on a GPU, by compute capability (never run on a GPU: see docs/precision.md)."""
    details = tf.config.experimental.get_device_details(gpu)
    capability = details.get("compute_capability") or (0, 0)
    name = details.get("device_name", gpu.name)
    if capability >= (8, 0):
        return Choice("mixed_bfloat16", f"GPU {name}, compute capability {capability}: bfloat16")
    if capability >= (7, 0):
        return Choice("mixed_float16", f"GPU {name}, compute capability {capability}: float16")
    return Choice("float32", f"GPU {name}, compute capability {capability}: no fast half type")


_warned_float16 = False


def _warn_float16_on_cpu() -> None:
    global _warned_float16
    if not _warned_float16:
        _warned_float16 = True
        print(
            "warning: mixed_float16 is meant for GPUs; without one, float16 is emulated "
            "on this CPU and slow",
            file=sys.stderr,
        )


@functools.cache
def cpu_model() -> str:
    """The CPU: its model name, family and model, and its bfloat16 instructions.

    E.g. ``AMD EPYC (family 25 model 17; avx512_bf16, no amx)`` from
    ``/proc/cpuinfo``; else ``platform.processor()``.
    """
    fields: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                key, _, value = line.partition(":")
                if not line.strip():
                    break  # the first processor is enough
                fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    name = fields.get("model name") or platform.processor() or platform.machine() or "unknown"
    if "flags" not in fields:
        return name
    flags = set(fields["flags"].split())
    bf16 = "avx512_bf16" if "avx512_bf16" in flags else "no avx512_bf16"
    amx = "amx" if "amx_bf16" in flags else "no amx"
    family = f"family {fields.get('cpu family', '?')} model {fields.get('model', '?')}"
    return f"{name} ({family}; {bf16}, {amx})"


def cache_path() -> str:
    """``$XDG_CACHE_HOME/lstm-translate/precision.json`` (``~/.cache`` without the variable)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "lstm-translate", _CACHE_FILE)


def _cache_key() -> str:
    return f"{cpu_model()} | tensorflow {tf.__version__}"


def bfloat16_speedup(use_cache: bool = True) -> float:
    """How many times as fast a bfloat16 :data:`PROBE_SHAPE` product is as float32 here.

    Read from :func:`cache_path` when this CPU and TensorFlow version were
    measured before, else measured (about a second) and written there; a
    cache that cannot be read or written is ignored.

    Args:
        use_cache: False measures again and does not write the cache.

    Returns:
        float32 CPU time over bfloat16 CPU time (above 1: bfloat16 is faster).
    """
    path, key = cache_path(), _cache_key()
    cached = _read_cache(path) if use_cache else {}
    if isinstance(cached.get(key), dict) and isinstance(cached[key].get("ratio"), (int, float)):
        return float(cached[key]["ratio"])
    times = {
        dtype.name: seconds for dtype, seconds in matmul_seconds(PROBE_SHAPE, rounds=5).items()
    }
    ratio = times["float32"] / times["bfloat16"]
    if use_cache:
        cached[key] = {
            "ratio": round(ratio, 3),
            "shape": list(PROBE_SHAPE),
            "seconds": {name: round(seconds, 6) for name, seconds in times.items()},
            "measured": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        _write_cache(path, cached)
    return ratio


def matmul_seconds(
    shape: tuple[int, int, int],
    dtypes: tuple[tf.DType, ...] = (tf.float32, tf.bfloat16),
    rounds: int = 5,
    min_seconds: float = 0.05,
) -> dict[tf.DType, float]:
    """CPU seconds of one ``(m, k) @ (k, n)`` product per dtype, in alternating rounds.

    Args:
        shape: ``(m, k, n)``.
        dtypes: The dtypes compared.
        rounds: Rounds; each times every dtype once, in turn.
        min_seconds: Each timing repeats the product for at least this much CPU time.

    Returns:
        The median over rounds of the CPU time (``time.process_time``) per product.
    """
    m, k, n = shape
    a = tf.random.stateless_normal((m, k), seed=(1, 2))
    b = tf.random.stateless_normal((k, n), seed=(3, 4))
    operands = {dtype: (tf.cast(a, dtype), tf.cast(b, dtype)) for dtype in dtypes}
    product = tf.function(tf.matmul, autograph=False)
    repeats = {}
    for dtype, (x, y) in operands.items():  # Warm up and size the repeats.
        product(x, y).numpy()
        started = time.process_time()
        product(x, y).numpy()
        repeats[dtype] = max(1, int(min_seconds / max(time.process_time() - started, 1e-6)))
    samples: dict[tf.DType, list[float]] = {dtype: [] for dtype in dtypes}
    for _ in range(rounds):
        for dtype, (x, y) in operands.items():
            started = time.process_time()
            for _ in range(repeats[dtype]):
                out = product(x, y)
            out.numpy()
            samples[dtype].append((time.process_time() - started) / repeats[dtype])
    return {dtype: statistics.median(values) for dtype, values in samples.items()}


def _read_cache(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(path: str, data: dict) -> None:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_text(path, json.dumps(data, indent=2, sort_keys=True))
    except (OSError, TranslateError):
        pass  # A cache is a convenience: measure again next time.


@contextlib.contextmanager
def using(model, policy: str) -> Iterator[None]:
    """Runs the body with ``model`` under ``policy``, then restores its policy.

    For tracing a graph (a translation) in another precision than the model
    trains in: the traced graph keeps the policy it was traced under.

    Args:
        model: A :class:`~translate.model.Seq2Seq`.
        policy: One of :data:`POLICIES`.
    """
    previous = model.precision
    model.set_precision(policy)
    try:
        yield
    finally:
        model.set_precision(previous)
