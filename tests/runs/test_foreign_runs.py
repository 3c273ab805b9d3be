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
import io
import json
import os
import pickle
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
    status, _, err = run_cli(["translate", "--model", run_dir, "Ein Hund."], capsys)
    assert "assets/payload.py" in one_error_line(status, err)


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
    status, _, err = run_cli(["translate", "--model", run_dir, "Ein Hund."], capsys)
    assert config in one_error_line(status, err)
    assert not marker.exists()
    with open(config, "w", encoding="utf-8") as handle:
        handle.write("model:\n  dropout: {module: os, class_name: system}\n")
    status, _, err = run_cli(["evaluate", "--model", run_dir, "--limit", "2"], capsys)
    assert "model.dropout" in one_error_line(status, err)


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
    with contextlib.redirect_stdout(io.StringIO()):
        status, _, err = run_cli([*argv, "--set", "training.max_steps=6"], capsys)
    line = one_error_line(status, err)
    assert weights in line and all(part in line for part in expected), line


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
    status, _, err = run_cli(["average", "--model", run_dir, "--last", "1"], capsys)
    assert snapshot in one_error_line(status, err)
    assert not marker.exists()
    assert not os.path.exists(os.path.join(run_dir, "averaged-last-1"))


def test_crafted_metrics_records_are_skipped(tiny_run, tmp_path, capsys):
    """metrics.jsonl records of the wrong shape are skipped like torn lines: a clean result."""
    run_dir = copy_run(tiny_run, tmp_path)
    with open(os.path.join(run_dir, "metrics.jsonl"), "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"epoch": 1, "learning_rate": {"class_name": "system"}}) + "\n")
        handle.write(json.dumps({"epoch": "2", "learning_rate": 1.0}) + "\n")
        handle.write("[1, 2]\n")
    out_dir = os.path.join(tmp_path, "averaged")
    with survives("artifact", "metrics.jsonl with crafted records"):
        status, _, err = run_cli(
            ["average", "--model", run_dir, "--last", "1", "--out", out_dir], capsys
        )
    assert status == 0, err
    assert os.path.exists(os.path.join(out_dir, "model.keras"))


# Truncated files through every command ------------------------------------------------------


def _truncate(path: str, keep: float = 0.5) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(int(os.path.getsize(path) * keep))


def _commands(run_dir: str, tmp_path) -> dict[str, list[str]]:
    source = tmp_path / "source.txt"
    source.write_text("Ein Hund.\n", encoding="utf-8")
    reference = tmp_path / "reference.txt"
    reference.write_text("A dog.\n", encoding="utf-8")
    return {
        "translate": ["translate", "--model", run_dir, "Ein Hund."],
        "evaluate": ["evaluate", "--model", run_dir, "--limit", "2"],
        "score": ["score", "--model", run_dir, "-i", str(source), "-r", str(reference)],
        "export": ["export", "--model", run_dir, "--out", str(tmp_path / "export")],
        "average": ["average", "--model", run_dir, "--last", "1", "--out", str(tmp_path / "avg")],
    }


TRUNCATED = {
    "model.keras": ("model.keras", ["translate", "evaluate", "score", "export", "average"]),
    "tokenizer": ("tokenizer/joint.model", ["translate", "evaluate", "score", "export"]),
    "snapshot": ("checkpoint/epoch-001.npz", ["average"]),
}


@pytest.mark.parametrize("what", list(TRUNCATED))
def test_truncated_files_through_every_command(tiny_run, tmp_path, capsys, what):
    run_dir = copy_run(tiny_run, tmp_path)
    relative, commands = TRUNCATED[what]
    path = os.path.join(run_dir, relative)
    _truncate(path)
    argv = _commands(run_dir, tmp_path)
    for command in commands:
        with bad_input("artifact", f"truncated {what} through {command}", path):
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
        with pytest.raises(TranslateError) as raised:
            call()
        assert str(raised.value) == printed, name


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
    assert result.returncode == 2 and len(lines) == 1 and "'config.dtype'" in lines[0]
    assert "Traceback" not in result.stderr
    assert not marker.exists()


BUILT_FROM = [
    ("a list", [1, 2]),
    ("files not records", {"files": [1, "train.de"]}),
    ("an object for a file", {"files": [{"file": {"class_name": "system"}, "size": "big"}]}),
]


@pytest.mark.parametrize("name,record", BUILT_FROM, ids=[c[0] for c in BUILT_FROM])
def test_crafted_tokenizer_record(tiny_run, tmp_path, capsys, name, record):
    """A crafted ``tokenizer/built_from.json`` reads as a changed record: resuming refuses."""
    run_dir = copy_run(tiny_run, tmp_path)
    with open(os.path.join(run_dir, "tokenizer", "built_from.json"), "w") as handle:
        json.dump(record, handle)
    status, _, err = run_cli(["translate", "--model", run_dir, "Ein Hund."], capsys)
    assert status == 0, err
    argv = ["train", "--config", os.path.join(run_dir, "config.yaml"), "--run-dir", run_dir]
    with contextlib.redirect_stdout(io.StringIO()):
        status, _, err = run_cli([*argv, "--set", "training.max_steps=6"], capsys)
    assert "training data changed" in one_error_line(status, err)
