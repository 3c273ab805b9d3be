"""A damaged run directory is one clear error naming the file at fault.

Truncated, empty or corrupted ``model.keras`` files, a model holding a Lambda
layer (refused by safe mode, never run), a damaged tokenizer or config, a
damaged ``state.json`` and truncated checkpoint weights.

Every case goes through ``bad_input`` or ``survives`` of ``helpers.py``, which
record it; with env ``ROBUSTNESS_CASES=FILE`` the record is written there at the
end of the session (``benchmarks/robustness_report.py`` counts it).
"""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
from unittest import mock

import pytest
from helpers import (
    bad_input,
    copy_run,
)

from translate.config.schema import load_config


def _load_translator(run_dir):
    from translate.inference.translator import Translator

    return Translator.load(run_dir)


def test_truncated_and_corrupted_model_files(tiny_run, tmp_path):
    run_dir = copy_run(tiny_run, tmp_path)
    model = os.path.join(run_dir, "model.keras")
    original = open(model, "rb").read()
    with open(model, "wb") as handle:
        handle.write(original[: len(original) // 2])
    with bad_input("artifact", "truncated model.keras", model):
        _load_translator(run_dir)
    with open(model, "wb") as handle:
        handle.write(b"")
    with bad_input("artifact", "empty model.keras", model):
        _load_translator(run_dir)
    # Damage the weights inside an otherwise intact archive.
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    weights = next(name for name in members if name.endswith(".h5"))
    members[weights] = members[weights][:2048] + os.urandom(len(members[weights]) - 2048)
    with zipfile.ZipFile(model, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with bad_input("artifact", "model.keras with damaged weights", model):
        _load_translator(run_dir)
    with zipfile.ZipFile(model, "w") as archive:
        archive.writestr("config.json", "{not json")
    with bad_input("artifact", "model.keras with damaged config", model):
        _load_translator(run_dir)
    os.remove(model)
    with bad_input("artifact", "model.keras missing", "missing model.keras"):
        _load_translator(run_dir)


def test_model_loading_is_safe_mode(tiny_run, tmp_path):
    import keras

    from translate.inference import translator as translator_module

    run_dir = copy_run(tiny_run, tmp_path)
    model = os.path.join(run_dir, "model.keras")
    calls = []
    real = keras.models.load_model

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    with mock.patch.object(keras.models, "load_model", spy):
        translator_module.load_model(model)
    assert calls and all(call.get("safe_mode") is True for call in calls)

    # A model with a Lambda layer (arbitrary Python bytecode) is refused, never run.
    marker = tmp_path / "lambda-ran"
    lambda_model = keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Lambda(lambda x, path=str(marker): (open(path, "w").close(), x)[1]),
        ]
    )
    os.remove(model)
    lambda_model.save(model)
    marker.unlink(missing_ok=True)  # building the model above ran the lambda once
    with bad_input("artifact", "model.keras holding a Lambda layer", model):
        _load_translator(run_dir)
    with pytest.raises(ValueError, match="(?i)lambda|safe_mode"):
        keras.models.load_model(model, safe_mode=True)  # what the check stands in front of
    assert not marker.exists()


def test_damaged_tokenizer_and_config_in_run_dir(tiny_run, tmp_path):
    run_dir = copy_run(tiny_run, tmp_path)
    tokenizer = os.path.join(run_dir, "tokenizer", "joint.model")
    with open(tokenizer, "wb") as handle:
        handle.write(b"\x00garbage" * 10)
    with bad_input("artifact", "damaged tokenizer model", tokenizer, "not a SentencePiece model"):
        _load_translator(run_dir)
    os.remove(tokenizer)
    with open(os.path.join(run_dir, "tokenizer", "source.model"), "wb") as handle:
        handle.write(
            open(os.path.join(tiny_run["run_dir"], "tokenizer", "joint.model"), "rb").read()
        )
    with bad_input("artifact", "source tokenizer without target", "target.model"):
        _load_translator(run_dir)
    config = os.path.join(run_dir, "config.yaml")
    with open(config, "w", encoding="utf-8") as handle:
        handle.write("model:\n  units: [\n")
    with bad_input("artifact", "damaged config.yaml", config, "not valid YAML"):
        _load_translator(run_dir)
    with bad_input("artifact", "run dir missing", "model directory not found"):
        _load_translator(os.path.join(tmp_path, "nowhere"))


STATE_DAMAGE = [
    ("not JSON", b'{"epoch": 3,', ["damaged training state"]),
    ("empty", b"", ["damaged training state"]),
    ("a list", b"[1, 2]", ["expected a JSON object"]),
    ("unknown field", b'{"epoch": 1, "colour": "red"}', ["unknown field 'colour'"]),
    ("wrong type", b'{"epoch": "three"}', ["field 'epoch' is 'three'"]),
    ("bool for int", b'{"step": true}', ["field 'step' is True"]),
    ("not UTF-8", b'{"stop_reason": "\xff"}', ["damaged training state"]),
]


@pytest.mark.parametrize("name,content,expected", STATE_DAMAGE, ids=[c[0] for c in STATE_DAMAGE])
def test_damaged_state_json_is_a_clear_error(tiny_run, tmp_path, name, content, expected):
    from translate.training.train import train

    run_dir = copy_run(tiny_run, tmp_path)
    state = os.path.join(run_dir, "checkpoint", "state.json")
    with open(state, "wb") as handle:
        handle.write(content)
    with bad_input("artifact", f"state.json {name}", state, *expected):
        train(load_config(os.path.join(run_dir, "config.yaml")), run_dir)


@pytest.mark.slow
def test_damaged_checkpoint_weights_are_a_clear_error(tiny_run, tmp_path):
    from translate.training.train import train

    run_dir = copy_run(tiny_run, tmp_path)
    weights = os.path.join(run_dir, "checkpoint", "last.weights.h5")
    with open(weights, "r+b") as handle:
        handle.truncate(os.path.getsize(weights) // 3)
    # A raised step limit: the finished run resumes, from the damaged checkpoint.
    config = load_config(os.path.join(run_dir, "config.yaml"), ["training.max_steps=6"])
    with (
        bad_input(
            "artifact", "truncated checkpoint weights", weights, "cannot load the checkpoint"
        ),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        train(config, run_dir)
