"""Tests of mixed precision: the settings, ``auto``, and each policy on a tiny model.

Every policy runs on a CPU (bfloat16 and float16 emulated where the hardware
lacks them), so each is checked here against float32 with the same weights on
the same batch, and with the loop kernels against the plain loop.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf
from helpers import batch, make_model, run_files

from translate import TranslateError
from translate.cli import commands as cli
from translate.config.schema import DecodingConfig, load_config, replace_decoding
from translate.inference.export import METADATA_FILE, load_export
from translate.inference.translator import Translator
from translate.model import PlainLoop
from translate.runs.rundir import RunDir
from translate.training import losses, precision
from translate.training.speed import LoopKernelsLoop
from translate.training.train import compile_model, train

# Gradient tolerance against float32 (relative L2 error over all weights), per policy.
GRADIENT_TOLERANCE = {"float32": 1e-6, "mixed_bfloat16": 2e-2, "mixed_float16": 5e-3}
# Loop kernels against the plain loop under the same policy: the same products in
# another order, so a few roundings of the compute dtype apart.
LOOP_TOLERANCE = {"float32": 1e-5, "mixed_bfloat16": 2e-2, "mixed_float16": 2e-3}
# Two models between them use every path: input feeding (the loop over Decoder.step)
# and without (the fast path); Bahdanau and Luong; one and two layers; tied outputs.
MODELS = [
    dict(attention="bahdanau", layers=1, tie=False, feeding=True),
    dict(attention="luong", layers=2, tie=True, feeding=False),
]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """Each test has its own measurement cache and a fresh ``auto`` and warning."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(precision, "_warned_float16", False)
    precision._auto.cache_clear()
    yield
    precision._auto.cache_clear()


# Settings -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["training.precision", "decoding.precision"])
def test_an_unknown_precision_is_refused_naming_the_valid_ones(key):
    with pytest.raises(TranslateError) as info:
        load_config(None, [f"{key}=half"])
    message = str(info.value)
    assert key in message and "'half'" in message
    assert "auto, float32, mixed_bfloat16, mixed_float16" in message
    with pytest.raises(TranslateError, match="decoding.precision.*allowed: auto, float32"):
        replace_decoding(DecodingConfig(), precision="fp8")
    with pytest.raises(TranslateError, match=f"{key}.*allowed: auto, float32"):
        precision.resolve("bf16", key)


def test_the_settings_default_to_float32_and_take_every_policy():
    config = load_config(None)
    assert (config.training.precision, config.decoding.precision) == ("float32", "float32")
    for setting in precision.SETTINGS:
        overrides = [f"training.precision={setting}", f"decoding.precision={setting}"]
        config = load_config(None, overrides)
        assert config.training.precision == config.decoding.precision == setting


# auto ---------------------------------------------------------------------------------


def _no_gpu(monkeypatch):
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [])


def _fake_matmul(monkeypatch, float32_seconds, bfloat16_seconds):
    calls = []

    def matmul_seconds(shape, dtypes=(tf.float32, tf.bfloat16), rounds=5, min_seconds=0.05):
        calls.append(shape)
        return {tf.float32: float32_seconds, tf.bfloat16: bfloat16_seconds}

    monkeypatch.setattr(precision, "matmul_seconds", matmul_seconds)
    return calls


@pytest.mark.parametrize(
    "bfloat16_seconds, policy, ratio",
    [(1.25, "float32", "0.80x"), (0.8, "float32", "1.25x"), (0.5, "mixed_bfloat16", "2.00x")],
)
def test_auto_picks_bfloat16_on_a_cpu_only_where_its_matmul_is_clearly_faster(
    monkeypatch, bfloat16_seconds, policy, ratio
):
    _no_gpu(monkeypatch)
    calls = _fake_matmul(monkeypatch, 1.0, bfloat16_seconds)
    choice = precision.resolve("auto")
    assert choice.policy == policy
    assert choice.describe().startswith(f"precision: {policy} (bfloat16 matmul {ratio} float32")
    assert precision.cpu_model() in choice.reason
    assert calls == [precision.PROBE_SHAPE]


def test_auto_measures_once_per_machine_and_reads_the_cache_after(monkeypatch):
    _no_gpu(monkeypatch)
    calls = _fake_matmul(monkeypatch, 1.0, 0.5)
    assert precision.bfloat16_speedup() == 2.0
    with open(precision.cache_path(), encoding="utf-8") as handle:
        cached = json.load(handle)
    key = f"{precision.cpu_model()} | tensorflow {tf.__version__}"
    assert cached[key]["ratio"] == 2.0 and cached[key]["shape"] == list(precision.PROBE_SHAPE)
    cached[key]["ratio"] = 0.7  # what another process measured: read, not measured again
    with open(precision.cache_path(), "w", encoding="utf-8") as handle:
        json.dump(cached, handle)
    assert precision.resolve("auto").policy == "float32"
    assert len(calls) == 1


def test_an_unwritable_cache_only_means_measuring_again(monkeypatch, tmp_path):
    _no_gpu(monkeypatch)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    calls = _fake_matmul(monkeypatch, 1.0, 0.5)
    assert precision.bfloat16_speedup() == 2.0 and precision.bfloat16_speedup() == 2.0
    assert len(calls) == 2


@pytest.mark.parametrize(
    "capability, policy",
    [((8, 6), "mixed_bfloat16"), ((7, 5), "mixed_float16"), ((6, 1), "float32")],
)
def test_auto_on_a_gpu_goes_by_compute_capability(monkeypatch, capability, policy):
    """Only the rule: no GPU has run any policy of this project."""
    gpu = tf.config.PhysicalDevice("/physical_device:GPU:0", "GPU")
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [gpu])
    details = {"compute_capability": capability, "device_name": "Test GPU"}
    monkeypatch.setattr(tf.config.experimental, "get_device_details", lambda device: details)
    _fake_matmul(monkeypatch, 1.0, 0.1)  # a CPU measurement must not decide
    choice = precision.resolve("auto")
    assert choice.policy == policy and "Test GPU" in choice.reason


def test_mixed_float16_without_a_gpu_warns_once(monkeypatch, capsys):
    _no_gpu(monkeypatch)
    assert precision.resolve("mixed_float16").policy == "mixed_float16"
    precision.resolve("mixed_float16", "decoding.precision")
    warnings = [line for line in capsys.readouterr().err.splitlines() if "meant for GPUs" in line]
    assert len(warnings) == 1
    precision.resolve("mixed_bfloat16")
    assert "meant for GPUs" not in capsys.readouterr().err


# Each policy on a tiny model -----------------------------------------------------------


def _loss_and_gradients(model, loop):
    """The training loss of the test batch and its gradients (model.trainable_weights order)."""
    inputs, _, _ = batch()
    target_out = tf.concat([inputs["target_in"][:, 1:], tf.constant([[3], [0]])], axis=1)
    model.set_loop(loop)
    try:
        with tf.GradientTape() as tape:
            logits = model(inputs)
            loss = losses.masked_cross_entropy(0.1)(target_out, logits)
        gradients = tape.gradient(loss, model.trainable_weights)
    finally:
        model.set_loop(PlainLoop())
    return loss, logits, [tf.convert_to_tensor(g).numpy().astype(np.float64) for g in gradients]


def _relative_l2(gradients, reference):
    error = sum(np.sum((g - r) ** 2) for g, r in zip(gradients, reference))
    return float(np.sqrt(error / sum(np.sum(r**2) for r in reference)))


@pytest.fixture(scope="module", params=range(len(MODELS)), ids=["feeding", "no-feeding"])
def float32_reference(request):
    """A tiny model and its float32 loss, logits and gradients on the test batch."""
    model = make_model(**MODELS[request.param])
    return model, _loss_and_gradients(model, PlainLoop())


@pytest.mark.slow
@pytest.mark.parametrize("policy", precision.POLICIES)
def test_each_policy_trains_like_float32_and_loop_kernels_like_the_plain_loop(
    float32_reference, policy
):
    model, (reference_loss, reference_logits, reference_gradients) = float32_reference
    model.set_precision(policy)
    try:
        loss, logits, gradients = _loss_and_gradients(model, PlainLoop())
        kernel_loss, kernel_logits, kernel_gradients = _loss_and_gradients(model, LoopKernelsLoop())
    finally:
        model.set_precision("float32")
    assert np.isfinite(loss.numpy()) and loss.dtype == tf.float32 and logits.dtype == tf.float32
    assert abs(float(loss) - float(reference_loss)) <= GRADIENT_TOLERANCE[policy] * float(loss)
    assert _relative_l2(gradients, reference_gradients) <= GRADIENT_TOLERANCE[policy]
    assert _relative_l2(kernel_gradients, gradients) <= LOOP_TOLERANCE[policy]
    scale = np.abs(logits.numpy()).max()
    np.testing.assert_allclose(
        kernel_logits.numpy(), logits.numpy(), atol=LOOP_TOLERANCE[policy] * scale
    )
    if policy != "float32":  # The half type is really in use: the results are not float32's.
        assert not np.array_equal(logits.numpy(), reference_logits.numpy())


def test_the_gradient_check_sees_a_wrong_gradient(float32_reference):
    _, (_, _, reference) = float32_reference
    perturbed = [g * 1.03 for g in reference]
    assert _relative_l2(perturbed, reference) > GRADIENT_TOLERANCE["mixed_bfloat16"]


def test_weights_stay_float32_and_float32_is_kept_where_it_matters():
    model = make_model(**MODELS[0])
    model.set_precision("mixed_bfloat16")
    try:
        assert model.precision == "mixed_bfloat16"
        assert model.decoder.attention.compute_dtype == "bfloat16"
        assert {w.dtype for w in model.weights} == {"float32"}
        inputs, _, _ = batch()
        state = model.encode(inputs["source"])
        assert state["h_0"].dtype == tf.bfloat16 and state["memory"].dtype == tf.bfloat16
        assert state["c_0"].dtype == tf.float32  # the cell state
        logits, new_state, weights = model.decode_step(tf.constant([2, 2]), state)
        assert logits.dtype == tf.float32  # log-softmax and beam scores in float32
        assert new_state["c_0"].dtype == tf.float32 and new_state["h_0"].dtype == tf.bfloat16
        np.testing.assert_allclose(tf.reduce_sum(tf.cast(weights, tf.float32), -1), 1, atol=1e-2)
    finally:
        model.set_precision("float32")
    assert model.decoder.attention.compute_dtype == "float32"


@pytest.mark.slow
def test_a_translator_traces_in_its_precision_and_leaves_the_models_alone(random_run):

    translator = Translator.load(random_run)
    sentences = ["Ein Mann fährt Fahrrad.", "Zwei Hunde spielen im Schnee."]
    plain = translator.translate(sentences, beam_size=2)
    half = translator.translate(sentences, beam_size=2, precision="mixed_bfloat16")
    assert translator.model.precision == "float32"
    assert len(half) == 2 and all(t.text for t in half)
    assert all(np.isfinite(t.scores).all() for t in half)
    assert [t.scores for t in half] != [t.scores for t in plain]  # really another graph
    np.testing.assert_allclose(
        [t.scores[0] for t in half], [t.scores[0] for t in plain], rtol=0.1, atol=0.1
    )


def test_compile_model_scales_the_loss_under_float16_only(capsys):

    model = make_model(**MODELS[0])
    for policy, scaled in [("mixed_float16", True), ("mixed_bfloat16", False)]:
        config = load_config(None, [f"training.precision={policy}"])
        compile_model(model, config)
        assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer) == scaled
        assert model.precision == policy
        assert f"precision: {policy} (set by training.precision)" in capsys.readouterr().out


# Training and export end to end (slow) -------------------------------------------------


def _sha(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


@pytest.mark.slow
def test_a_nan_loss_under_mixed_precision_stops_and_keeps_the_last_good_checkpoint(
    tmp_path, monkeypatch
):

    files = run_files(tmp_path, "bf16", ["training.precision=mixed_bfloat16"])
    monkeypatch.setenv("TRANSLATE_PROGRESS", "0")
    config = load_config(files["config"])
    state = train(config, files["run_dir"])
    assert state.step == 3 and state.finished
    weights = os.path.join(RunDir(files["run_dir"]).checkpoint_dir, "last.weights.h5")
    before = _sha(weights)
    make_loss = losses.masked_cross_entropy

    def nan_loss(label_smoothing=0.0):
        loss = make_loss(label_smoothing)
        return lambda target_out, logits: loss(target_out, logits) * float("nan")

    monkeypatch.setattr(losses, "masked_cross_entropy", nan_loss)
    with pytest.raises(TranslateError, match="training loss became nan at step 4.*last good"):
        train(load_config(files["config"], ["training.max_steps=6"]), files["run_dir"])
    assert _sha(weights) == before


@pytest.mark.slow
def test_train_evaluate_and_export_under_mixed_precision_name_it(tmp_path, capsys, monkeypatch):

    files = run_files(tmp_path, "fp16", ["training.precision=mixed_float16"])
    monkeypatch.setenv("TRANSLATE_PROGRESS", "0")
    assert cli.main(["train", "--config", files["config"], "--run-dir", files["run_dir"]]) == 0
    printed = capsys.readouterr()
    assert "precision: mixed_float16 (set by training.precision)" in printed.out
    assert "meant for GPUs" in printed.err
    # The loss-scale optimizer's state resumes from the checkpoint like Adam's alone.
    more = ["--set", "training.max_steps=5"]
    assert (
        cli.main(["train", "--config", files["config"], "--run-dir", files["run_dir"], *more]) == 0
    )
    assert "resuming after epoch" in capsys.readouterr().out
    report = tmp_path / "report.json"
    argv = ["evaluate", "--model", files["run_dir"], "--limit", "8", "--json", str(report)]
    assert cli.main([*argv, "--precision", "mixed_bfloat16", "--beam-size", "2"]) == 0
    assert json.loads(report.read_text(encoding="utf-8"))["precision"] == "mixed_bfloat16"
    out = tmp_path / "export"
    argv = ["export", "--model", files["run_dir"], "--out", str(out), "--beam-size", "1"]
    assert cli.main([*argv, "--precision", "mixed_bfloat16"]) == 0
    metadata = json.loads((out / "1" / "assets" / METADATA_FILE).read_text(encoding="utf-8"))
    assert metadata["precision"] == "mixed_bfloat16"
    sentences = ["Ein Mann fährt Fahrrad.", "Zwei Hunde spielen im Schnee."]
    exported = load_export(str(out / "1"))(text=tf.constant(sentences))["translations"]
    translator = Translator.load(files["run_dir"])
    expected = translator.translate(sentences, beam_size=1, precision="mixed_bfloat16")
    assert [row[0].decode("utf-8") for row in exported.numpy()] == [t.text for t in expected]
    assert cli.main([*argv, "--precision", "half"]) == 2
    assert "decoding.precision" in capsys.readouterr().err


_MIRRORED = r"""
import json, sys
from translate.training import distribute
import tensorflow as tf
distribute.configure_logical_cpus()  # TRANSLATE_LOGICAL_CPUS=2, before any op
import keras, numpy as np
from translate.config.schema import load_config
from translate.model import Seq2Seq
from translate.training.train import compile_model

rng = np.random.default_rng(0)
source = rng.integers(4, 24, (4, 8, 6)).astype(np.int32)  # 4 steps of 8 pairs
target = rng.integers(4, 24, (4, 8, 5)).astype(np.int32)
config = load_config(None, [
    "model.embedding_dim=16", "model.encoder_units=16", "model.decoder_units=16",
    "model.dropout=0", "model.embedding_dropout=0", "training.learning_rate=0.01",
    "training.precision=" + sys.argv[1],
])

def train(strategy):
    keras.utils.set_random_seed(1)
    with strategy.scope():
        model = Seq2Seq.from_config_section(config.model, 24, 24)
        model.build()
        compile_model(model, config)
    data = tf.data.Dataset.from_tensor_slices((source, target)).map(
        lambda s, t: ({"source": s, "target_in": t}, t))
    history = model.fit(data, epochs=1, verbose=0, shuffle=False)
    inner = getattr(model.optimizer, "inner_optimizer", model.optimizer)
    names = [type(model.optimizer).__name__, type(inner).__name__]
    return history.history["loss"][-1], model.get_weights(), names

loss_one, weights_one, names_one = train(tf.distribute.get_strategy())
strategy = distribute.make_strategy("mirrored")
loss_two, weights_two, names_two = train(strategy)
print("RESULT " + json.dumps({
    "replicas": strategy.num_replicas_in_sync, "optimizers": [names_one, names_two],
    "losses": [loss_one, loss_two],
    "max_weight_difference": max(
        float(np.abs(a - b).max()) for a, b in zip(weights_one, weights_two)),
}))
"""


@pytest.mark.slow
def test_float16_loss_scaling_wraps_the_replicated_optimizer_under_mirrored_replicas():
    """Two logical CPUs, not GPUs: the wrapping and the all-reduce, not GPU behaviour."""

    env = dict(os.environ, TRANSLATE_LOGICAL_CPUS="2", CUDA_VISIBLE_DEVICES="-1")
    env.pop("TF_CONFIG", None)
    result = subprocess.run(
        [sys.executable, "-c", _MIRRORED, "mixed_float16"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    report = json.loads(result.stdout.split("RESULT ", 1)[1].splitlines()[0])
    assert report["replicas"] == 2
    assert report["optimizers"] == [
        ["LossScaleOptimizer", "Adam"],
        ["LossScaleOptimizer", "ReplicatedAdam"],
    ]
    one, two = report["losses"]
    assert np.isfinite(one) and abs(one - two) < 1e-3 * one
    assert report["max_weight_difference"] < 5e-3  # float16 sums in another order
