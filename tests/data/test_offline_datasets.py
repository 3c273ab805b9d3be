"""Offline: a TFDS dataset that is not prepared fails within seconds, not minutes.

The network probe answers at once for an unresolvable host; a missing dataset
or a hand-given file with the wrong checksum is one line saying how to provide
its files, also from ``translate train`` in a real process.

Every case goes through ``bad_input`` or ``survives`` of ``helpers.py``, which
record it; with env ``ROBUSTNESS_CASES=FILE`` the record is written there at the
end of the session (``benchmarks/robustness_report.py`` counts it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
from helpers import (
    bad_input,
)

from translate import TranslateError


def test_probe_of_an_unresolvable_host_answers_at_once():
    from translate.data import sources

    started = time.monotonic()
    reason = sources.unreachable(["https://files.example.invalid/corpus.tgz"], timeout=5)
    assert reason and "files.example.invalid:443" in reason
    assert time.monotonic() - started < 10


def test_probe_succeeds_when_one_host_answers():
    from translate.data import sources

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        urls = [f"http://127.0.0.1:{port}/a.tgz", "https://files.example.invalid/b.tgz"]
        assert sources.unreachable(urls, timeout=5) is None


OFFLINE = {"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
OFFLINE_PARTS = [
    "tfds:ted_hrlr_translate/pt_to_en",
    "download failed",
    "--data-dir",
    "manual_dir",
    "TFDS_DATA_DIR",
    "data_dir",
]


def test_tfds_dataset_not_prepared_fails_fast_offline(tmp_path, monkeypatch):
    """Port 9 of this machine refuses connections: as offline as it gets, on any network."""
    from translate.data import sources

    for name, value in OFFLINE.items():
        monkeypatch.setenv(name, value)
    started = time.monotonic()
    with bad_input("corpus", "TFDS dataset offline", *OFFLINE_PARTS):
        sources.load_parallel(
            "tfds:ted_hrlr_translate/pt_to_en", "pt", "en", "train", None, str(tmp_path)
        )
    assert time.monotonic() - started < 60


def test_tfds_file_given_by_hand_with_wrong_checksum(tmp_path, monkeypatch):
    from translate.data import sources

    for name, value in OFFLINE.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "manual").mkdir()
    (tmp_path / "manual" / "qi18naacl-dataset.tar.gz").write_bytes(b"not the archive\n")
    with bad_input(
        "corpus", "TFDS file by hand, wrong checksum", "qi18naacl-dataset.tar.gz", "checksum"
    ):
        sources.load_parallel(
            "tfds:ted_hrlr_translate/pt_to_en",
            "pt",
            "en",
            "train",
            str(tmp_path / "manual"),
            str(tmp_path / "tfds"),
        )


@pytest.mark.slow
def test_tfds_offline_train_command_exits_2_within_a_minute(tmp_path):
    config = tmp_path / "tfds.yaml"
    config.write_text(
        "data:\n  source: tfds:ted_hrlr_translate/pt_to_en\n  src_lang: pt\n  tgt_lang: en\n",
        encoding="utf-8",
    )
    env = {**os.environ, **OFFLINE, "TF_CPP_MIN_LOG_LEVEL": "3", "TFDS_DATA_DIR": str(tmp_path)}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "translate", "train", "--config", str(config)]
        + ["--run-dir", str(tmp_path / "run")],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    seconds = time.monotonic() - started
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    with bad_input("cli", "train on a TFDS dataset offline", *OFFLINE_PARTS):
        assert result.returncode == 2 and len(errors) == 1, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
        assert seconds < 60, seconds
        raise TranslateError(errors[0])
