"""Tests of ``translate export``: a SavedModel that runs without this package.

The run directory is the untrained one of ``conftest.py`` (``random_run``:
a random-weight model). Its exports must translate exactly like
:meth:`Translator.translate`, greedy and beam: checked in this process by
default, and (slow) in a subprocess that imports only ``tensorflow`` and
``tensorflow_text`` (``translate`` imports are blocked).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import tensorflow as tf
from helpers import BLANKS, SENTENCES
from without_package import WITHOUT_THIS_PACKAGE

from translate import TranslateError
from translate.cli import commands as cli
from translate.inference.export import (
    export,
    load_export,
    next_version,
    resolve_export,
    version_dirs,
)
from translate.runs.rundir import check_run_dir

# Each test trains or exports a run of its own: tens of seconds in all.
pytestmark = pytest.mark.slow

BEAM = {"beam_size": 3, "n_best": 2, "length_penalty": 0.6}

# Translates with the exports using tensorflow and tensorflow_text only; run
# in this process, or after WITHOUT_THIS_PACKAGE in a subprocess, where
# importing this package fails, so no custom object of it can be needed.
_REPORT = textwrap.dedent(
    """
    import json, sys

    import tensorflow as tf
    import tensorflow_text  # noqa: F401


    def strings(tensor):
        return [[t.decode("utf-8") for t in row] for row in tensor.numpy()]


    def report_on(base, sentences):
        report = {}
        for version in ("1", "2"):
            loaded = tf.saved_model.load(f"{base}/{version}")
            fn = loaded.signatures["serving_default"]
            out = fn(text=tf.constant(sentences, tf.string))
            empty = fn(text=tf.constant([], tf.string))
            report[version] = {
                "inputs": sorted(fn.structured_input_signature[1]),
                "outputs": sorted(fn.structured_outputs),
                "translations": strings(out["translations"]),
                "scores": out["scores"].numpy().tolist(),
                "dtypes": [out["translations"].dtype.name, out["scores"].dtype.name],
                "empty_shape": empty["translations"].shape.as_list(),
                "direct": strings(loaded.serve(tf.constant(sentences[:2]))["translations"]),
                "config_asset": tf.io.gfile.exists(loaded.files["config.yaml"].asset_path.numpy()),
            }
        report["modules"] = sorted(m for m in sys.modules if m.split(".")[0] == "translate")
        return report
    """
)
_SUBPROCESS = (
    WITHOUT_THIS_PACKAGE
    + _REPORT
    + 'print("REPORT" + json.dumps(report_on(sys.argv[1], json.loads(sys.argv[2]))))\n'
)


@pytest.fixture(scope="session")
def export_dir(random_run, tmp_path_factory) -> str:
    """Version 1: greedy, via the Python API; version 2: beam, via the command line."""
    base = str(tmp_path_factory.mktemp("exports") / "translator")
    assert export(random_run, base, beam_size=1) == os.path.join(base, "1")
    status = cli.main(
        [
            "export",
            "--model",
            random_run,
            "--out",
            base,
            "--beam-size",
            str(BEAM["beam_size"]),
            "--n-best",
            str(BEAM["n_best"]),
            "--length-penalty",
            str(BEAM["length_penalty"]),
        ]
    )
    assert status == 0
    return base


@pytest.fixture(scope="session")
def reference(random_translator):
    """What the Translator gives for the settings of export versions 1 and 2."""
    return {
        "1": random_translator.translate(SENTENCES, beam_size=1),
        "2": random_translator.translate(SENTENCES, **BEAM),
    }


@pytest.fixture(scope="session")
def in_process_report(export_dir) -> dict:
    namespace: dict = {}
    exec(_REPORT, namespace)  # the code the subprocess runs, here
    return namespace["report_on"](export_dir, SENTENCES)


@pytest.fixture(scope="session")
def subprocess_report(export_dir) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    process = subprocess.run(
        [sys.executable, "-c", _SUBPROCESS, export_dir, json.dumps(SENTENCES)],
        capture_output=True,
        text=True,
        env=env,
        cwd=os.path.dirname(export_dir),
        timeout=300,
    )
    assert process.returncode == 0, process.stderr[-3000:]
    line = next(x for x in process.stdout.splitlines() if x.startswith("REPORT"))
    return json.loads(line[len("REPORT") :])


# Where the exports are loaded: here by default; in a fresh process without this package (slow).
REPORTS = [
    pytest.param("in_process_report", id="in-process"),
    pytest.param("subprocess_report", id="subprocess", marks=pytest.mark.slow),
]


# --------------------------------------------------------------------------- the export


def test_version_layout(export_dir):
    assert version_dirs(export_dir) == [1, 2]
    assert next_version(export_dir) == 3
    assert sorted(os.listdir(export_dir)) == ["1", "2"]  # no staging folder left behind
    for version in ("1", "2"):
        folder = os.path.join(export_dir, version)
        assert os.path.isfile(os.path.join(folder, "saved_model.pb"))
        assert os.path.isdir(os.path.join(folder, "variables"))
        assets = sorted(os.listdir(os.path.join(folder, "assets")))
        assert assets == ["README.md", "config.yaml", "export.json", "joint.model"]
    with open(os.path.join(export_dir, "2", "assets", "export.json"), encoding="utf-8") as handle:
        metadata = json.load(handle)
    assert metadata["version"] == 2
    assert metadata["search"]["beam_size"] == 3 and metadata["search"]["n_best"] == 2
    assert metadata["config"]["model"]["encoder_units"] == 16
    assert resolve_export(export_dir) == os.path.join(export_dir, "2")
    assert resolve_export(os.path.join(export_dir, "1")) == os.path.join(export_dir, "1")


def test_export_refuses_an_existing_version(random_run, export_dir):
    with pytest.raises(TranslateError, match="already exists"):
        export(random_run, export_dir, version=1)


# --------------------------------------------------------------------------- not a model


def test_not_a_run_directory(tmp_path, export_dir):
    with pytest.raises(TranslateError, match="model directory not found"):
        check_run_dir(tmp_path / "nowhere")
    with pytest.raises(TranslateError, match="missing config.yaml, tokenizer, model.keras"):
        check_run_dir(tmp_path)
    for path in (export_dir, os.path.join(export_dir, "1")):
        with pytest.raises(TranslateError, match="is a SavedModel export, not a run directory"):
            check_run_dir(path)


def test_not_an_export(tmp_path, random_run):
    with pytest.raises(TranslateError, match="export directory not found"):
        resolve_export(tmp_path / "nowhere")
    with pytest.raises(TranslateError, match="is a run directory, not an export"):
        resolve_export(random_run)
    with pytest.raises(TranslateError, match="not a SavedModel export"):
        resolve_export(tmp_path)
    (tmp_path / "3").mkdir()
    with pytest.raises(TranslateError, match="no saved_model.pb"):
        resolve_export(tmp_path)


def test_someone_elses_saved_model(tmp_path):
    module = tf.Module()
    module.f = tf.function(
        lambda x: {"y": x + 1}, input_signature=[tf.TensorSpec([None], tf.float32)]
    )
    tf.saved_model.save(module, str(tmp_path / "1"), signatures=module.f.get_concrete_function())
    with pytest.raises(TranslateError, match="not a translation export"):
        load_export(tmp_path)
    (tmp_path / "2").mkdir()
    (tmp_path / "2" / "saved_model.pb").write_bytes(b"garbage")
    with pytest.raises(TranslateError, match="cannot load the SavedModel"):
        load_export(tmp_path)


def test_load_export_in_process(export_dir):
    signature = load_export(os.path.join(export_dir, "1"))  # greedy: the faster to load
    out = signature(text=tf.constant(["Ein Mann fährt Fahrrad.", " "]))
    assert out["translations"].shape == (2, 1)
    assert out["translations"].numpy()[1].tolist() == [b""]


def test_cli_errors_are_one_line(tmp_path, export_dir, capsys):
    assert cli.main(["export", "--model", str(tmp_path / "nowhere"), "--out", str(tmp_path)]) == 2
    assert cli.main(["translate", "--model", export_dir, "Hallo"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert errors[-2].startswith("error: model directory not found")
    assert errors[-1].startswith(f"error: {export_dir} is a SavedModel export")


# --------------------------------------------------------------------------- loaded exports


@pytest.mark.slow
def test_export_loads_with_only_tensorflow_and_tensorflow_text(subprocess_report):
    assert subprocess_report["modules"] == []


@pytest.mark.parametrize("where", REPORTS)
def test_export_signature(request, where):
    for version in ("1", "2"):
        report = request.getfixturevalue(where)[version]
        assert report["inputs"] == ["text"]
        assert report["outputs"] == ["scores", "translations"]
        assert report["dtypes"] == ["string", "float32"]
        assert report["config_asset"]


@pytest.mark.parametrize("where", REPORTS)
@pytest.mark.parametrize("version,n_best", [("1", 1), ("2", 2)], ids=["greedy", "beam"])
def test_export_translates_like_the_translator(request, where, reference, version, n_best):
    report = request.getfixturevalue(where)[version]
    expected = reference[version]
    assert len(report["translations"]) == len(SENTENCES)
    for sentence, got, scores, want in zip(
        SENTENCES, report["translations"], report["scores"], expected
    ):
        assert len(got) == n_best
        assert got == want.hypotheses, sentence
        np.testing.assert_allclose(scores, want.scores, rtol=1e-4, atol=1e-4)
    assert report["direct"] == report["translations"][:2]
    # The random model translates most sentences into something (the comparison is not vacuous).
    assert sum(bool(row[0]) for row in report["translations"]) > len(SENTENCES) // 2


@pytest.mark.parametrize("where", REPORTS)
def test_blank_inputs_give_empty_translations(request, where):
    for version in ("1", "2"):
        report = request.getfixturevalue(where)[version]
        for sentence, row, scores in zip(SENTENCES, report["translations"], report["scores"]):
            if sentence in BLANKS:
                assert set(row) == {""} and set(scores) == {0.0}
        assert report["empty_shape"] == [0, 1 if version == "1" else 2]
