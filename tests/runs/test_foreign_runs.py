"""A run directory from someone else: every crafted file is one clear error, and no code runs.

Each case edits one file of a copy of the ``tiny_run`` fixture the way a hostile
or careless sender might: a field of the ``Seq2Seq`` config inside
``model.keras`` (wrong type, value out of range, an unknown field, a serialized
object pointing at ``os.system`` where a plain value belongs), the run's
``config.yaml``, the training state inside the checkpoint, an ``.npz``
snapshot holding a pickled object. Each must end with exit status 2 and one
``error:`` line naming the field, and the payload's marker file must not exist.
Truncated files then run through every command.

Every case goes through ``bad_input`` or ``survives`` of ``helpers.py``, which
record it (``ROBUSTNESS_CASES``, see ``tests/runs/test_damaged_runs.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import zipfile

import h5py
import numpy as np
import pytest
from helpers import bad_input, copy_run, one_error_line, run_cli, survives

from translate import TranslateError


def _marker_command(marker) -> dict:
    """A serialized Keras object that would create ``marker`` if it were ever built."""
    return {
        "module": "os",
        "class_name": "system",
        "config": {"command": f"touch {marker}"},
        "registered_name": "system",
    }


def _rewrite_model_config(model_file: str, edit) -> None:
    """Rewrites ``config.json`` inside a ``.keras`` archive with ``edit(config)`` applied."""
    with zipfile.ZipFile(model_file) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(model_file, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _set(path: tuple, value):
    """An edit setting ``config[path[0]][path[1]]...`` to ``value``."""

    def edit(config):
        for key in path[:-1]:
            config = config[key]
        config[path[-1]] = value

    return edit


def _drop(path: tuple):
    def edit(config):
        for key in path[:-1]:
            config = config[key]
        del config[path[-1]]

    return edit


def _share_across(marker):
    def edit(config):
        config["config"]["share_embeddings"] = True
        config["config"]["target_vocab_size"] = config["config"]["source_vocab_size"] + 1

    return edit


# (case, edit of config.json given the marker path, what the error must name)
MODEL_CONFIG_CASES = [
    (
        "object for an int",
        lambda m: _set(("config", "embedding_dim"), _marker_command(m)),
        ["'config.embedding_dim'", "serialized object", "int"],
    ),
    (
        "object for a float",
        lambda m: _set(("config", "dropout"), _marker_command(m)),
        ["'config.dropout'", "serialized object", "float"],
    ),
    (
        "object for a string",
        lambda m: _set(("config", "attention"), _marker_command(m)),
        ["'config.attention'", "serialized object", "str"],
    ),
    (
        "object for a bool",
        lambda m: _set(("config", "tie_embeddings"), _marker_command(m)),
        ["'config.tie_embeddings'", "serialized object", "bool"],
    ),
    (
        "dtype policy as an object",
        lambda m: _set(("config", "dtype"), _marker_command(m)),
        ["'config.dtype'", "serialized object", "allowed: float32"],
    ),
    (
        "dtype policy serialized",
        lambda m: _set(
            ("config", "dtype"),
            {
                "module": "keras",
                "class_name": "DTypePolicy",
                "config": {"name": "float32"},
                "registered_name": None,
            },
        ),
        ["'config.dtype'", "serialized object", "allowed: float32"],
    ),
    (
        "dtype policy unknown",
        lambda m: _set(("config", "dtype"), "float8"),
        ["'config.dtype'", "'float8'", "allowed: float32"],
    ),
    (
        "string for an int",
        lambda m: _set(("config", "encoder_units"), "16"),
        ["'config.encoder_units'", "must be int", "'16'"],
    ),
    (
        "bool for an int",
        lambda m: _set(("config", "decoder_layers"), True),
        ["'config.decoder_layers'", "must be int"],
    ),
    (
        "float for an int",
        lambda m: _set(("config", "decoder_units"), 16.5),
        ["'config.decoder_units'", "must be int"],
    ),
    (
        "string for a float",
        lambda m: _set(("config", "embedding_dropout"), "0.1"),
        ["'config.embedding_dropout'", "must be float"],
    ),
    (
        "int for a bool",
        lambda m: _set(("config", "input_feeding"), 1),
        ["'config.input_feeding'", "must be bool"],
    ),
    (
        "null for an int",
        lambda m: _set(("config", "encoder_layers"), None),
        ["'config.encoder_layers'", "got null"],
    ),
    (
        "list for an int",
        lambda m: _set(("config", "embedding_dim"), [16]),
        ["'config.embedding_dim'", "must be int"],
    ),
    (
        "zero units",
        lambda m: _set(("config", "encoder_units"), 0),
        ["'config.encoder_units'", "must be > 0"],
    ),
    (
        "negative vocabulary",
        lambda m: _set(("config", "source_vocab_size"), -3),
        ["'config.source_vocab_size'", "must be > 0"],
    ),
    (
        "huge int",
        lambda m: _set(("config", "embedding_dim"), 2**40),
        ["'config.embedding_dim'", "at most"],
    ),
    (
        "dropout out of range",
        lambda m: _set(("config", "dropout"), 1.5),
        ["'config.dropout'", "[0, 1)"],
    ),
    (
        "NaN dropout",
        lambda m: _set(("config", "dropout"), float("nan")),
        ["'config.dropout'", "finite number"],
    ),
    (
        "attention not allowed",
        lambda m: _set(("config", "attention"), "dot"),
        ["'config.attention'", "allowed: bahdanau, luong"],
    ),
    ("empty name", lambda m: _set(("config", "name"), ""), ["'config.name'", "non-empty"]),
    (
        "name as an object",
        lambda m: _set(("config", "name"), _marker_command(m)),
        ["'config.name'"],
    ),
    (
        "trainable as a string",
        lambda m: _set(("config", "trainable"), "yes"),
        ["'config.trainable'", "bool"],
    ),
    (
        "unknown model field",
        lambda m: _set(("config", "activity_regularizer"), _marker_command(m)),
        ["'config.activity_regularizer'", "unknown"],
    ),
    (
        "missing model field",
        lambda m: _drop(("config", "target_vocab_size")),
        ["'config'", "'target_vocab_size'"],
    ),
    (
        "model config not an object",
        lambda m: _set(("config",), [1, 2]),
        ["'config'", "object of model settings"],
    ),
    (
        "shared embeddings across vocabularies",
        _share_across,
        ["'config.share_embeddings'", "vocabulary sizes differ"],
    ),
    ("module pointing at os", lambda m: _set(("module",), "os"), ["'module'", "'os'"]),
    (
        "class_name pointing at system",
        lambda m: _set(("class_name",), "system"),
        ["'class_name'", "'system'"],
    ),
    (
        "registered name of another class",
        lambda m: _set(("registered_name",), "os>system"),
        ["class os>system,", "Seq2Seq"],
    ),
    (
        "unknown top-level field",
        lambda m: _set(("shared_object_id",), 1),
        ["'shared_object_id'", "unknown"],
    ),
    (
        "build_config holding an object",
        lambda m: _set(("build_config",), {"shapes_dict": {"x": _marker_command(m)}}),
        ["'build_config'", "serialized object"],
    ),
    (
        "build_config with another field",
        lambda m: _set(("build_config",), {"layer": 1}),
        ["'build_config'"],
    ),
]


@pytest.mark.parametrize(
    "name,make_edit,expected", MODEL_CONFIG_CASES, ids=[c[0] for c in MODEL_CONFIG_CASES]
)
def test_crafted_model_config_is_refused_before_keras(
    tiny_run, tmp_path, capsys, name, make_edit, expected
):
    from translate.inference.translator import Translator

    run_dir = copy_run(tiny_run, tmp_path)
    model_file = os.path.join(run_dir, "model.keras")
    marker = tmp_path / "payload-ran"
    _rewrite_model_config(model_file, make_edit(marker))
    with bad_input("artifact", f"model.keras config: {name}", model_file, *expected):
        Translator.load(run_dir)
    status, out, err = run_cli(["translate", "--model", run_dir, "Ein Hund."], capsys)
    line = one_error_line(status, err)
    assert model_file in line and all(part in line for part in expected), line
    assert out == ""
    assert not marker.exists()


def test_extra_archive_member_is_refused(tiny_run, tmp_path, capsys):
    run_dir = copy_run(tiny_run, tmp_path)
    model_file = os.path.join(run_dir, "model.keras")
    with zipfile.ZipFile(model_file, "a") as archive:
        archive.writestr("assets/payload.py", "import os")
    with bad_input("artifact", "model.keras with an extra member", "assets/payload.py"):
        status, _, err = run_cli(["translate", "--model", run_dir, "Ein Hund."], capsys)
        raise TranslateError(one_error_line(status, err))


@pytest.mark.slow
def test_plain_dtype_policy_and_trainable_still_load(tiny_run, tmp_path, tiny_translator):
    """Keras' own layer fields as plain values, and a field left at its default, are accepted."""
    from translate.inference.translator import Translator

    run_dir = copy_run(tiny_run, tmp_path)
    model_file = os.path.join(run_dir, "model.keras")

    def edit(config):
        config["config"].update(dtype="float32", trainable=True)
        del config["config"]["share_embeddings"]  # as saved before the field existed

    _rewrite_model_config(model_file, edit)
    with survives("artifact", "model.keras config with plain dtype and trainable"):
        translation = Translator.load(run_dir).translate("Ein Hund.")
    assert translation.text == tiny_translator.translate("Ein Hund.").text


def test_python_object_in_run_config_is_refused(tiny_run, tmp_path, capsys):
    run_dir = copy_run(tiny_run, tmp_path)
    config = os.path.join(run_dir, "config.yaml")
    marker = tmp_path / "yaml-ran"
    with open(config, "a", encoding="utf-8") as handle:
        handle.write(f"payload: !!python/object/apply:os.system ['touch {marker}']\n")
    with bad_input("artifact", "config.yaml with a python tag", config):
        status, _, err = run_cli(["translate", "--model", run_dir, "Ein Hund."], capsys)
        raise TranslateError(one_error_line(status, err))
    assert not marker.exists()
    with open(config, "w", encoding="utf-8") as handle:
        handle.write("model:\n  dropout: {module: os, class_name: system}\n")
    with bad_input("artifact", "config.yaml with an object for a value", "model.dropout"):
        status, _, err = run_cli(["evaluate", "--model", run_dir, "--limit", "2"], capsys)
        raise TranslateError(one_error_line(status, err))


STATE_ATTRS = [
    ("an integer array", np.array([1, 2, 3]), ["training_state", "ndarray"]),
    ("an unknown field", json.dumps({"epoch": 1, "module": "os"}), ["unknown field 'module'"]),
    ("an object for a field", json.dumps({"epoch": {"class_name": "system"}}), ["'epoch'"]),
    ("not JSON", "{epoch", ["damaged training state"]),
]


@pytest.mark.parametrize("name,value,expected", STATE_ATTRS, ids=[c[0] for c in STATE_ATTRS])
def test_crafted_checkpoint_state_is_refused(tiny_run, tmp_path, capsys, name, value, expected):
    run_dir = copy_run(tiny_run, tmp_path)
    weights = os.path.join(run_dir, "checkpoint", "last.weights.h5")
    with h5py.File(weights, "a") as handle:
        handle.attrs["training_state"] = value
    argv = ["train", "--config", os.path.join(run_dir, "config.yaml"), "--run-dir", run_dir]
    with bad_input("artifact", f"checkpoint training_state: {name}", weights, *expected):
        with contextlib.redirect_stdout(io.StringIO()):
            status, _, err = run_cli([*argv, "--set", "training.max_steps=6"], capsys)
        raise TranslateError(one_error_line(status, err))


class _Payload:
    """Pickles to a call of ``os.system``: what a hostile ``.npz`` would hold."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_snapshot_holding_an_object_is_refused(tiny_run, tmp_path, capsys):
    run_dir = copy_run(tiny_run, tmp_path)
    snapshot = os.path.join(run_dir, "checkpoint", "epoch-001.npz")
    marker = tmp_path / "pickle-ran"
    with np.load(snapshot) as arrays:
        content = dict(arrays)
    first = next(iter(content))
    content[first] = np.array([_Payload(marker)], dtype=object)
    assert pickle.dumps(content[first][0])  # the payload is a real pickle
    np.savez(snapshot, **content)
    with bad_input("artifact", "snapshot holding a pickled object", snapshot):
        status, _, err = run_cli(["average", "--model", run_dir, "--last", "1"], capsys)
        raise TranslateError(one_error_line(status, err))
    assert not marker.exists()
    assert not os.path.exists(os.path.join(run_dir, "averaged-last-1"))


METRICS_RECORDS = [
    (
        "object for a rate",
        lambda m: json.dumps({"epoch": 1, "learning_rate": _marker_command(m)}),
        ["field 'learning_rate'", "must be float", "serialized object"],
    ),
    ("string for the epoch", lambda m: json.dumps({"epoch": "2"}), ["field 'epoch'", "int"]),
    ("bool for a float", lambda m: json.dumps({"epoch": 2, "loss": True}), ["field 'loss'"]),
    ("epoch zero", lambda m: json.dumps({"epoch": 0}), ["field 'epoch'", ">= 1"]),
    ("negative step", lambda m: json.dumps({"epoch": 2, "step": -1}), ["field 'step'", ">= 0"]),
    (
        "unknown field",
        lambda m: json.dumps({"epoch": 2, "module": "os"}),
        ["unknown field 'module'", "valid fields: epoch"],
    ),
    ("no epoch", lambda m: json.dumps({"loss": 1.0}), ["lacks the field 'epoch'"]),
    ("a list", lambda m: "[1, 2]", ["expected an epoch record"]),
    ("not JSON before the end", lambda m: '{"epoch": 2, "lo\n{"epoch": 3}', ["not a JSON record"]),
]


@pytest.mark.parametrize(
    "name,make_line,expected", METRICS_RECORDS, ids=[c[0] for c in METRICS_RECORDS]
)
def test_crafted_metrics_record_is_refused(tiny_run, tmp_path, capsys, name, make_line, expected):
    """Each line of ``metrics.jsonl`` is checked field by field where it is read: averaging
    (the peak-rate note) reads it before writing anything, and a resumed run trims it."""
    from translate.runs.rundir import RunDir

    run_dir = copy_run(tiny_run, tmp_path)
    metrics = os.path.join(run_dir, "metrics.jsonl")
    marker = tmp_path / "payload-ran"
    with open(metrics, encoding="utf-8") as handle:
        line = len(handle.read().splitlines()) + 1
    with open(metrics, "a", encoding="utf-8") as handle:
        handle.write(make_line(marker) + "\n")
    where = f"{metrics}, line {line}"
    with bad_input("artifact", f"metrics.jsonl: {name}", where, *expected):
        RunDir(run_dir).metrics()
    out_dir = os.path.join(tmp_path, "averaged")
    status, _, err = run_cli(
        ["average", "--model", run_dir, "--last", "1", "--out", out_dir], capsys
    )
    text = one_error_line(status, err)
    assert where in text and all(part in text for part in expected), text
    assert not os.path.exists(out_dir) and not marker.exists()


def test_crafted_metrics_record_stops_a_resumed_run(tiny_run, tmp_path, capsys):
    run_dir = copy_run(tiny_run, tmp_path)
    metrics = os.path.join(run_dir, "metrics.jsonl")
    with open(metrics, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"epoch": 1, "loss": "low"}) + "\n")
    argv = ["train", "--config", os.path.join(run_dir, "config.yaml"), "--run-dir", run_dir]
    with bad_input("artifact", "metrics.jsonl through train", metrics, "field 'loss'"):
        with contextlib.redirect_stdout(io.StringIO()):
            status, _, err = run_cli([*argv, "--set", "training.max_steps=6"], capsys)
        raise TranslateError(one_error_line(status, err))


def test_a_torn_last_metrics_line_is_skipped(tiny_run, tmp_path, capsys):
    """A kill while a record was appended leaves a torn last line: averaging goes on."""
    run_dir = copy_run(tiny_run, tmp_path)
    with open(os.path.join(run_dir, "metrics.jsonl"), "a", encoding="utf-8") as handle:
        handle.write('{"epoch": 2, "lo')
    out_dir = os.path.join(tmp_path, "averaged")
    with survives("artifact", "metrics.jsonl with a torn last line"):
        status, _, err = run_cli(
            ["average", "--model", run_dir, "--last", "1", "--out", out_dir], capsys
        )
    assert status == 0, err
    assert os.path.exists(os.path.join(out_dir, "model.keras"))


# Truncated files through every command ------------------------------------------------------


def _truncate(path: str, keep: float = 0.5) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(int(os.path.getsize(path) * keep))


def _reverse_run(tiny_run, tmp_path) -> str:
    """An intact copy of the tiny run that says it translates en-de: the reverse for rerank."""
    folder = os.path.join(tmp_path, "reverse")
    shutil.copytree(tiny_run["run_dir"], folder)
    config = os.path.join(folder, "config.yaml")
    with open(config, encoding="utf-8") as handle:
        text = handle.read()
    text = re.sub(r"(src_lang|tgt_lang): (\w+)", lambda m: f"{m[1]}: @{m[2]}", text)
    text = text.replace("src_lang: @de", "src_lang: en").replace("tgt_lang: @en", "tgt_lang: de")
    with open(config, "w", encoding="utf-8") as handle:
        handle.write(text)
    return folder


def _commands(run_dir: str, tiny_run, tmp_path) -> dict[str, list[str]]:
    source = tmp_path / "source.txt"
    source.write_text("Ein Hund.\n", encoding="utf-8")
    reference = tmp_path / "reference.txt"
    reference.write_text("A dog.\n", encoding="utf-8")
    config = os.path.join(run_dir, "config.yaml")
    return {
        "translate": ["translate", "--model", run_dir, "Ein Hund."],
        "evaluate": ["evaluate", "--model", run_dir, "--limit", "2"],
        "score": ["score", "--model", run_dir, "-i", str(source), "-r", str(reference)],
        "export": ["export", "--model", run_dir, "--out", str(tmp_path / "export")],
        "average": ["average", "--model", run_dir, "--last", "1", "--out", str(tmp_path / "avg")],
        "rerank": [
            *("rerank", "--model", run_dir, "-i", str(source)),
            *("--reverse", _reverse_run(tiny_run, tmp_path)),
        ],
        "serve": ["serve", "--model", run_dir, "--port", "0"],  # loads before it listens
        "train": [
            *("train", "--config", config, "--run-dir", run_dir),
            *("--set", "training.max_steps=6"),  # a raised limit: the finished run resumes
        ],
    }


# What reads each file: every command that loads it (training reads neither model.keras
# nor the snapshots, only the checkpoint's weights and the tokenizer).
INFERENCE = ["translate", "evaluate", "score", "export", "rerank", "serve"]
TRUNCATED = {
    "model.keras": ("model.keras", [*INFERENCE, "average"]),
    "tokenizer": ("tokenizer/joint.model", [*INFERENCE, "average", "train"]),
    "tokenizer record": ("tokenizer/built_from.json", [*INFERENCE, "average", "train"]),
    "checkpoint weights": ("checkpoint/last.weights.h5", ["train"]),
    "checkpoint state": ("checkpoint/state.json", ["train"]),
    "snapshot": ("checkpoint/epoch-001.npz", ["average"]),
    "metrics.jsonl in the middle": ("metrics.jsonl", ["average", "train"]),
}


@pytest.mark.parametrize("what", list(TRUNCATED))
def test_truncated_files_through_every_command(tiny_run, tmp_path, capsys, what):
    run_dir = copy_run(tiny_run, tmp_path)
    relative, commands = TRUNCATED[what]
    path = os.path.join(run_dir, relative)
    _truncate(path)
    if relative == "metrics.jsonl":  # a torn last line is expected; a torn line before, not
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("\n" + json.dumps({"epoch": 1}) + "\n")
    argv = _commands(run_dir, tiny_run, tmp_path)
    for command in commands:
        with bad_input("artifact", f"truncated {what} through {command}", path):
            with contextlib.redirect_stdout(io.StringIO()):  # what training prints first
                status, out, err = run_cli(argv[command], capsys)
            line = one_error_line(status, err)
            raise TranslateError(line)
    assert not os.path.exists(tmp_path / "export") or not os.listdir(tmp_path / "export")
    assert not os.path.exists(tmp_path / "avg")


def _python_tag_in_config(run_dir: str) -> None:
    with open(os.path.join(run_dir, "config.yaml"), "a", encoding="utf-8") as handle:
        handle.write("payload: !!python/object/apply:os.getpid []\n")


API_DAMAGE = {
    "crafted model field": lambda run_dir: _rewrite_model_config(
        os.path.join(run_dir, "model.keras"), _set(("config", "dropout"), "high")
    ),
    "truncated model.keras": lambda run_dir: _truncate(os.path.join(run_dir, "model.keras")),
    "python tag in config.yaml": _python_tag_in_config,
}


@pytest.mark.parametrize("damage", list(API_DAMAGE))
def test_python_api_raises_the_message_the_cli_prints(tiny_run, tmp_path, capsys, damage):
    from translate.inference.evaluation import evaluate
    from translate.inference.export import export
    from translate.inference.translator import Translator
    from translate.runs.averaging import average_run

    run_dir = copy_run(tiny_run, tmp_path)
    API_DAMAGE[damage](run_dir)
    status, _, err = run_cli(["translate", "--model", run_dir, "Ein Hund."], capsys)
    printed = one_error_line(status, err).removeprefix("error: ")
    calls = {
        "Translator.load": lambda: Translator.load(run_dir),
        "evaluate": lambda: evaluate(run_dir, limit=2),
        "export": lambda: export(run_dir, str(tmp_path / "export")),
        "average": lambda: average_run(run_dir, 1, str(tmp_path / "avg")),
    }
    for name, call in calls.items():
        with bad_input("artifact", f"{damage} through the API's {name}", printed):
            try:
                call()
            except TranslateError as error:
                assert str(error) == printed, name  # the very line the command line prints
                raise


@pytest.mark.slow
def test_crafted_model_in_a_real_process(tiny_run, tmp_path):
    run_dir = copy_run(tiny_run, tmp_path)
    model_file = os.path.join(run_dir, "model.keras")
    marker = tmp_path / "payload-ran"
    _rewrite_model_config(model_file, _set(("config", "dtype"), _marker_command(marker)))
    result = subprocess.run(
        [sys.executable, "-m", "translate", "translate", "--model", run_dir, "Ein Hund."],
        capture_output=True,
        text=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    with bad_input("artifact", "model.keras config through a real process", "'config.dtype'"):
        assert result.returncode == 2 and len(lines) == 1, result.stderr
        assert "Traceback" not in result.stderr
        raise TranslateError(lines[0])
    assert not marker.exists()


BUILT_FROM = [
    ("a list", b"[1, 2]", ["expected a JSON object"]),
    ("not JSON", b'{"files": [', ["damaged record of the training data"]),
    ("not UTF-8", b'{"source": "\xff"}', ["damaged record of the training data"]),
    ("files not records", b'{"files": [1, "train.de"]}', ["'files[0]'", "must be an object"]),
    (
        "an object for a file",
        b'{"files": [{"file": {"class_name": "system"}, "size": 1}]}',
        ["'files[0].file'", "serialized object"],
    ),
    ("a string size", b'{"files": [{"file": "train.de", "size": "big"}]}', ["'files[0].size'"]),
    ("a negative size", b'{"files": [{"size": -1}]}', ["'files[0].size'", ">= 0"]),
    ("unknown field", b'{"source": "x", "module": "os"}', ["unknown field 'module'"]),
    ("unknown file field", b'{"files": [{"command": "ls"}]}', ["'files[0].command'", "unknown"]),
    ("a number for the source", b'{"source": 3}', ["field 'source'", "must be str"]),
]


@pytest.mark.parametrize("name,content,expected", BUILT_FROM, ids=[c[0] for c in BUILT_FROM])
def test_crafted_tokenizer_record(tiny_run, tmp_path, capsys, name, content, expected):
    """A crafted ``tokenizer/built_from.json`` is one error wherever the tokenizer is loaded."""
    run_dir = copy_run(tiny_run, tmp_path)
    record = os.path.join(run_dir, "tokenizer", "built_from.json")
    with open(record, "wb") as handle:
        handle.write(content)
    with bad_input("artifact", f"built_from.json: {name}", record, *expected):
        status, _, err = run_cli(["translate", "--model", run_dir, "Ein Hund."], capsys)
        raise TranslateError(one_error_line(status, err))
    argv = ["train", "--config", os.path.join(run_dir, "config.yaml"), "--run-dir", run_dir]
    with contextlib.redirect_stdout(io.StringIO()):
        status, _, err = run_cli([*argv, "--set", "training.max_steps=6"], capsys)
    assert record in one_error_line(status, err)


def _origin_record(run_dir: str) -> dict:
    """A valid ``tokenizer_origin.json`` for the run's tokenizer, as a copied one has."""
    name = "joint.model"
    with open(os.path.join(run_dir, "tokenizer", name), "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    return {"copied_from": "/elsewhere/tokenizer", "sha256": {name: digest}}


def _edit_origin(**fields):
    def edit(record):
        record.update(fields)
        return record

    return edit


def _without(field):
    def edit(record):
        del record[field]
        return record

    return edit


ORIGIN_RECORDS = [
    ("a list", lambda r: [r], ["expected a JSON object"]),
    ("unknown field", _edit_origin(command="ls"), ["unknown field 'command'"]),
    ("no digests", _without("sha256"), ["lacks the field 'sha256'"]),
    ("an object for the source", _edit_origin(copied_from={"x": 1}), ["'copied_from'"]),
    ("digests not an object", _edit_origin(sha256=["00"]), ["'sha256'"]),
    (
        "a digest of another file",
        _edit_origin(sha256={"../../config.yaml": "0" * 64}),
        ["'sha256.../../config.yaml'", "no tokenizer file"],
    ),
    ("a digest not hex", _edit_origin(sha256={"joint.model": "xyz"}), ["SHA-256 in hex"]),
    (
        "a file changed since",
        _edit_origin(sha256={"joint.model": "0" * 64}),
        ["joint.model", "not the one tokenizer_origin.json records"],
    ),
]


@pytest.mark.parametrize("name,edit,expected", ORIGIN_RECORDS, ids=[c[0] for c in ORIGIN_RECORDS])
def test_crafted_tokenizer_origin(tiny_run, tmp_path, capsys, name, edit, expected):
    """``tokenizer_origin.json`` is checked field by field, and the files against its digests."""
    run_dir = copy_run(tiny_run, tmp_path)
    origin = os.path.join(run_dir, "tokenizer_origin.json")
    with open(origin, "w", encoding="utf-8") as handle:
        json.dump(edit(_origin_record(run_dir)), handle)
    with bad_input("artifact", f"tokenizer_origin.json: {name}", *expected):
        status, _, err = run_cli(["translate", "--model", run_dir, "Ein Hund."], capsys)
        raise TranslateError(one_error_line(status, err))


@pytest.mark.slow
def test_a_true_tokenizer_origin_loads(tiny_run, tmp_path, capsys):
    run_dir = copy_run(tiny_run, tmp_path)
    with open(os.path.join(run_dir, "tokenizer_origin.json"), "w", encoding="utf-8") as handle:
        json.dump(_origin_record(run_dir), handle)
    with survives("artifact", "tokenizer_origin.json as copy_tokenizer writes it"):
        status, out, err = run_cli(["translate", "--model", run_dir, "Ein Hund."], capsys)
    assert status == 0 and out.count("\n") == 1, err  # one line, one translation
