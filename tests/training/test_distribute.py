"""Tests of ``training.distribution``: mirrored replicas, two workers, ``translate train``.

TensorFlow fixes its devices and its collective ops at the first operation of
a process, so every test here that trains runs TensorFlow in fresh
subprocesses (with timeouts, marked ``slow``), splitting the CPU into logical
devices through the environment variable ``TRANSLATE_LOGICAL_CPUS`` (see
:mod:`translate.training.distribute`).
"""

import json
import os
import socket
import subprocess
import sys
import textwrap

import pytest
import tensorflow as tf

from translate import TranslateError
from translate.config.schema import load_config
from translate.inference.translator import load_model
from translate.training import distribute

# Loss and weight tolerances of mirrored (2 replicas) against one device after the
# same steps: float32 rounding of the reordered sums stays well under them.
LOSS_TOLERANCE = 1e-4
WEIGHT_TOLERANCE = 1e-5
TIMEOUT = 240  # seconds per subprocess; the machine may be busy.

_DE = "eins zwei drei vier fünf sechs sieben acht neun zehn".split()
_EN = "one two three four five six seven eight nine ten".split()


def _env(**extra):
    env = dict(os.environ)
    env.pop("TF_CONFIG", None)
    env.pop(distribute.LOGICAL_CPUS_ENV, None)
    env.update(TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="-1", TRANSLATE_PROGRESS="0")
    env.update(extra)
    return env


def _run(args, env, timeout=TIMEOUT, cwd=None):
    """Runs a command; returns ``(returncode, stdout + stderr)``."""
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return result.returncode, result.stdout + result.stderr


def _corpus(folder):
    """A tiny German-English corpus of number words: 64 training and 8 dev pairs."""
    folder.mkdir()
    pairs = [(i, n) for n in range(1, 6) for i in range(0, 10 - n + 1)]
    train = [pairs[k % len(pairs)] for k in range(64)]
    for split, chosen in (("train", train), ("val", pairs[::5][:8])):
        for lang, words in (("de", _DE), ("en", _EN)):
            lines = [" ".join(words[i : i + n]) for i, n in chosen]
            (folder / f"{split}.{lang}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(folder)


def _config_file(tmp_path, corpus):
    path = tmp_path / "tiny.yaml"
    path.write_text(
        textwrap.dedent(f"""\
        data:
          source: {corpus}
          src_lang: de
          tgt_lang: en
          vocab_size: 300
          max_length: 16
          tokenizer_sample: 1000
        model:
          embedding_dim: 8
          encoder_units: 8
          decoder_units: 8
          attention: luong
          input_feeding: false
          dropout: 0.0
          embedding_dropout: 0.0
        training:
          epochs: 1
          batch_size: 16
          warmup_steps: 0
          shuffle_buffer: 64
          jit_compile: false
          dev_sentences: 8
        decoding:
          beam_size: 1
          max_length_offset: 2
        """),
        encoding="utf-8",
    )
    return str(path)


def _free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


# Strategy creation without TensorFlow devices ------------------------------------------


def test_config_accepts_the_three_distributions_only():
    for kind in ("default", "mirrored", "multi_worker"):
        assert load_config(None, [f"training.distribution={kind}"]).training.distribution == kind
    with pytest.raises(TranslateError, match="allowed: default, mirrored, multi_worker"):
        load_config(None, ["training.distribution=tpu"])


def test_multi_worker_without_tf_config_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    with pytest.raises(TranslateError, match="needs the environment variable TF_CONFIG"):
        distribute.make_strategy("multi_worker")
    monkeypatch.setenv("TF_CONFIG", "{not json")
    with pytest.raises(TranslateError, match="TF_CONFIG is not valid JSON"):
        distribute.make_strategy("multi_worker")


def test_bad_logical_cpu_count_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(distribute.LOGICAL_CPUS_ENV, "two")
    with pytest.raises(TranslateError, match="expected a positive integer"):
        distribute.configure_logical_cpus()


def test_one_device_keeps_xla_and_the_plain_optimizer():

    assert distribute.xla_supported(tf.distribute.get_strategy())
    assert distribute.chief_values(tf.distribute.get_strategy(), [1.5, 2.0]) == [1.5, 2.0]
    assert distribute.any_worker(tf.distribute.get_strategy(), True)


# Mirrored on two logical CPUs == one device -----------------------------------------------

_EQUIVALENCE = r"""
import json, sys
from translate.training import distribute
import tensorflow as tf
distribute.configure_logical_cpus()           # TRANSLATE_LOGICAL_CPUS=2, before any op
import keras, numpy as np
from translate.config.schema import load_config
from translate.model import Seq2Seq
from translate.training.train import compile_model

VOCAB, STEPS, BATCH, WIDTH = 24, 5, 8, 8
rng = np.random.default_rng(0)
batches = []
for _ in range(STEPS):  # Reversal task; rows of different lengths, so replicas differ in tokens.
    src, tin, tout = (np.zeros((BATCH, WIDTH), np.int32) for _ in range(3))
    for row, n in enumerate(rng.integers(1, WIDTH - 1, BATCH)):
        s = rng.integers(4, VOCAB, n)
        src[row, :n], src[row, n] = s, 3
        tin[row, 0], tin[row, 1 : n + 1] = 2, s[::-1]
        tout[row, :n], tout[row, n] = s[::-1], 3
    batches.append((src, tin, tout))
stacked = [np.stack(part) for part in zip(*batches)]
config = load_config(None, [
    "model.embedding_dim=16", "model.encoder_units=16", "model.decoder_units=16",
    "model.dropout=0", "model.embedding_dropout=0", "training.jit_compile=false",
    "training.learning_rate=0.01", "training.clip_norm=0.05", "training.label_smoothing=0.1",
])

class Losses(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.means = []
    def on_train_batch_end(self, batch, logs=None):
        self.means.append(float(logs["loss"]))  # running mean over the epoch

def train(strategy):
    keras.utils.set_random_seed(config.training.seed)
    with strategy.scope():
        model = Seq2Seq.from_config_section(config.model, VOCAB, VOCAB)
        model.build()
        compile_model(model, config)
    data = tf.data.Dataset.from_tensor_slices(tuple(stacked)).map(
        lambda s, i, o: ({"source": s, "target_in": i}, o))
    losses = Losses()
    model.fit(data, epochs=1, callbacks=[losses], verbose=0, shuffle=False)
    means = np.array(losses.means)
    steps = np.arange(1, len(means) + 1)
    per_step = steps * means - np.concatenate([[0.0], steps[:-1] * means[:-1]])
    return per_step, model.get_weights(), type(model.optimizer).__name__

one, weights_one, optimizer_one = train(tf.distribute.get_strategy())
strategy = distribute.make_strategy("mirrored")
two, weights_two, optimizer_two = train(strategy)
print("RESULT " + json.dumps({
    "replicas": strategy.num_replicas_in_sync,
    "optimizers": [optimizer_one, optimizer_two],
    "one_device": one.tolist(), "mirrored": two.tolist(),
    "max_weight_difference": max(
        float(np.abs(a - b).max()) for a, b in zip(weights_one, weights_two)),
}))
"""


@pytest.mark.slow
def test_mirrored_on_two_logical_cpus_matches_one_device():
    code, output = _run([sys.executable, "-c", _EQUIVALENCE], _env(TRANSLATE_LOGICAL_CPUS="2"))
    assert code == 0, output[-3000:]
    result = json.loads(output.split("RESULT ", 1)[1].splitlines()[0])
    assert result["replicas"] == 2
    assert result["optimizers"] == ["Adam", "ReplicatedAdam"]
    assert len(result["mirrored"]) == 5
    differences = [abs(a - b) for a, b in zip(result["one_device"], result["mirrored"])]
    assert max(differences) < LOSS_TOLERANCE, result
    assert result["max_weight_difference"] < WEIGHT_TOLERANCE, result
    assert result["mirrored"][-1] < result["mirrored"][0]  # it learns
    print(
        f"\nmirrored (2 logical CPUs) vs one device, {len(differences)} steps: "
        f"max |loss difference| {max(differences):.1e}, "
        f"max |weight difference| {result['max_weight_difference']:.1e}; "
        f"losses {[round(x, 5) for x in result['mirrored']]}"
    )


# Two workers on loopback ----------------------------------------------------------------


@pytest.mark.slow
def test_two_workers_train_together_and_only_the_chief_writes(tmp_path):
    config = _config_file(tmp_path, _corpus(tmp_path / "corpus"))
    run_dir = tmp_path / "run"
    cluster = {"worker": [f"localhost:{port}" for port in _free_ports(2)]}
    workers = []
    for index in range(2):
        task = {"type": "worker", "index": index}
        env = _env(TF_CONFIG=json.dumps({"cluster": cluster, "task": task}))
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "translate",
                    "train",
                    "--config",
                    config,
                    "--run-dir",
                    str(run_dir),
                    "--set",
                    "training.distribution=multi_worker",
                ],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    outputs = []
    try:
        for worker in workers:
            outputs.append(worker.communicate(timeout=TIMEOUT)[0])
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    for worker, output in zip(workers, outputs):
        assert worker.returncode == 0, output[-3000:]
        assert "MultiWorkerMirroredStrategy, 2 replicas" in output
        assert "epoch 1: loss" in output
    assert "(chief)" in outputs[0] and "(chief)" not in outputs[1]
    state = json.loads((run_dir / "checkpoint" / "state.json").read_text())
    assert state["epoch"] == 1 and state["finished"]
    assert state["step"] >= 4  # 64 pairs in global batches of up to 16 (length buckets)
    assert (run_dir / "model.keras").exists()
    assert len((run_dir / "metrics.jsonl").read_text().splitlines()) == 1
    # Both workers agree on the dev scores the chief computed.
    epoch_lines = [
        next(line for line in out.splitlines() if line.startswith("epoch 1:")) for out in outputs
    ]
    assert len({line.split("dev BLEU ")[1].split()[0] for line in epoch_lines}) == 1


# `translate train` end to end on two logical CPUs ------------------------------------------


@pytest.mark.slow
def test_translate_train_mirrored_end_to_end(tmp_path):
    config = _config_file(tmp_path, _corpus(tmp_path / "corpus"))
    run_dir = tmp_path / "run"
    code, output = _run(
        [
            sys.executable,
            "-m",
            "translate",
            "train",
            "--config",
            config,
            "--run-dir",
            str(run_dir),
            "--set",
            "training.distribution=mirrored",
        ],
        _env(TRANSLATE_LOGICAL_CPUS="2"),
    )
    assert code == 0, output[-3000:]
    assert "MirroredStrategy, 2 replicas; global batch 16 = 8 pairs per replica" in output
    assert "epoch 1: loss" in output
    state = json.loads((run_dir / "checkpoint" / "state.json").read_text())
    assert state["epoch"] == 1 and state["finished"]
    # The best model, saved from mirrored variables, loads in a process without a strategy.

    model = load_model(run_dir / "model.keras")
    assert (model.encoder_units, model.attention, model.input_feeding) == (8, "luong", False)


@pytest.mark.slow
def test_translate_train_mirrored_resumes_a_run(tmp_path):
    config = _config_file(tmp_path, _corpus(tmp_path / "corpus"))
    command = [
        sys.executable,
        "-m",
        "translate",
        "train",
        "--config",
        config,
        "--run-dir",
        str(tmp_path / "run"),
        "--set",
        "training.distribution=mirrored",
    ]
    env = _env(TRANSLATE_LOGICAL_CPUS="2")
    code, output = _run(command, env)
    assert code == 0, output[-3000:]
    state_file = tmp_path / "run" / "checkpoint" / "state.json"
    steps = json.loads(state_file.read_text())["step"]

    code, output = _run(command + ["--set", "training.epochs=2"], env)
    assert code == 0, output[-3000:]
    assert f"resuming after epoch 1 (step {steps}," in output
    assert "epoch 2: loss" in output
    state = json.loads(state_file.read_text())
    assert (state["epoch"], state["step"], state["finished"]) == (2, 2 * steps, True)
    metrics = (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in metrics]
    assert [record["epoch"] for record in records] == [1, 2]
