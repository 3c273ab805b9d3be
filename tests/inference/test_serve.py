"""Tests of ``translate serve``: TensorFlow Serving's REST API over a real loopback socket.

The servers run in this process on a free port of 127.0.0.1 (port 0, then the
bound port is read) and are asked with ``http.client``. Their answers must
equal the Translator's and the command line's for the same settings, and an
export's signature for the same request. The slow tests start ``translate
serve`` as a program (SIGTERM drain) and drive the page in headless Chromium.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
import pytest
import tensorflow as tf
from helpers import SENTENCES

from translate import TranslateError
from translate.cli import commands as cli
from translate.cli.parser import build_parser
from translate.inference.export import export, load_export
from translate.inference.serve import Batcher, Model, Server
from translate.inference.translator import Translator

GREEDY = {"beam_size": 1}
BEAM = {"beam_size": 3, "n_best": 2}
LONG = " ".join(["Hund"] * 300)  # more than MAX_SOURCE_TOKENS subwords
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Running:
    """A :class:`Server` answering in a background thread, and a client for it."""

    def __init__(self, model: Model, **options):
        self.log = io.StringIO()
        self.server = Server(("127.0.0.1", 0), model, log=self.log, **options)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def request(self, method: str, path: str, body=None, headers=None, connection=None):
        """One request; returns ``(status, parsed JSON body or text, response headers)``."""
        own = connection is None
        connection = connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
        finally:
            if own:
                connection.close()
        kind = response.getheader("Content-Type", "")
        parsed = json.loads(data) if data and kind.startswith("application/json") else data.decode()
        return response.status, parsed, dict(response.getheaders())

    def predict(self, body, name: str = "translate", **kwargs):
        return self.request("POST", f"/v1/models/{name}:predict", body, **kwargs)

    def stop(self) -> None:
        assert self.server.drain(seconds=30) == 0


@pytest.fixture(scope="module")
def greedy(random_translator):
    running = Running(Model(random_translator, GREEDY), batch_timeout_ms=5)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def beam(random_translator):
    running = Running(Model(random_translator, BEAM), name="beam")
    yield running
    running.stop()


def rows(translations) -> list[dict]:
    """The Translator's answers as TF Serving's row format would give them."""
    return [{"translations": t.hypotheses, "scores": t.scores} for t in translations]


def assert_same(answers: list[dict], expected: list[dict]) -> None:
    """Equal translations; scores equal up to float32 rounding across batch compositions."""
    assert [a["translations"] for a in answers] == [e["translations"] for e in expected]
    for answer, reference in zip(answers, expected):
        assert answer["scores"] == pytest.approx(reference["scores"], abs=1e-5)


# The API ------------------------------------------------------------------------------------


def test_status_health_and_page(greedy):
    status, body, _ = greedy.request("GET", "/v1/models/translate")
    assert status == 200
    assert body == {
        "model_version_status": [
            {
                "version": "1",
                "state": "AVAILABLE",
                "status": {"error_code": "OK", "error_message": ""},
            }
        ]
    }
    assert greedy.request("GET", "/v1/models/translate/versions/1")[0] == 200
    assert greedy.request("GET", "/healthz")[:2] == (200, {"status": "ok"})
    status, page, headers = greedy.request("GET", "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<textarea" in page and ":predict" in page and '"name": "translate"' in page
    assert "src=" not in page and "href=" not in page and "http://" not in page  # no assets


@pytest.mark.slow
def test_row_and_columnar_formats_equal_the_translator(greedy, random_translator):
    expected = rows(random_translator.translate(SENTENCES, **GREEDY))
    status, body, _ = greedy.predict({"instances": SENTENCES})
    assert status == 200
    assert_same(body["predictions"], expected)
    named = greedy.predict({"instances": [{"text": s} for s in SENTENCES]})[1]
    assert named == body
    status, columns, _ = greedy.predict({"inputs": {"text": SENTENCES}})
    assert status == 200 and sorted(columns["outputs"]) == ["scores", "translations"]
    as_rows = [
        {"translations": t, "scores": s}
        for t, s in zip(columns["outputs"]["translations"], columns["outputs"]["scores"])
    ]
    assert_same(as_rows, expected)
    assert greedy.predict({"inputs": SENTENCES[:2]})[1]["outputs"]["translations"] == [
        e["translations"] for e in expected[:2]
    ]


@pytest.mark.slow
def test_answers_equal_the_command_line(
    greedy, beam, random_run, random_translator, capsys, monkeypatch
):
    # The session's translator, whose graphs are already compiled.
    monkeypatch.setattr(Translator, "load", classmethod(lambda cls, path: random_translator))
    for running, options in ((greedy, ["--beam-size", "1"]), (beam, ["--beam-size", "3"])):
        argv = ["translate", "--model", random_run, "--format", "json", *options]
        if running is beam:
            argv += ["--n-best", "2"]
        assert cli.main(argv + SENTENCES[:6]) == 0
        printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        answers = running.predict({"instances": SENTENCES[:6]}, name=running.server.name)[1]
        for answer, line in zip(answers["predictions"], printed, strict=True):
            assert answer["translations"] == [n["translation"] for n in line["n_best"]]
            assert [round(s, 4) for s in answer["scores"]] == [n["score"] for n in line["n_best"]]


def test_beam_server_equals_the_translator(beam, random_translator):
    expected = rows(random_translator.translate(SENTENCES, **BEAM))
    status, body, _ = beam.predict({"instances": SENTENCES}, name="beam")
    assert status == 200
    assert_same(body["predictions"], expected)
    assert all(len(p["translations"]) == 2 for p in body["predictions"])


@pytest.mark.slow
def test_an_export_served_answers_as_its_signature_does(random_run, tmp_path, greedy):
    """The same request against the SavedModel signature and against the server."""
    base = str(tmp_path / "export")
    export(random_run, base, beam_size=1)
    signature = load_export(base)
    direct = signature(text=tf.constant(SENTENCES))
    expected = [
        {"translations": [t.decode() for t in row], "scores": [float(s) for s in scores]}
        for row, scores in zip(direct["translations"].numpy(), direct["scores"].numpy())
    ]
    served = Running(Model.load(base, {}))  # the base folder: its version 1
    try:
        assert (
            served.request("GET", "/v1/models/translate")[1]["model_version_status"][0]["version"]
            == "1"
        )
        body = served.predict({"instances": SENTENCES})[1]
        assert body["predictions"] == expected  # the same float32 values, the same batch
        assert_same(greedy.predict({"instances": SENTENCES})[1]["predictions"], expected)
        status, error, _ = served.predict({"instances": ["x"], "signature_name": "with_attention"})
        assert status == 400 and "serving_default" in error["error"]
    finally:
        served.stop()
    with pytest.raises(TranslateError, match="--beam-size apply to run directories only"):
        Model.load(base, {"beam_size": 2})


def test_attention_signature_returns_pieces_and_weights(greedy, random_translator):
    expected = random_translator.translate(
        ["Ein Mann fährt Fahrrad."], with_attention=True, **GREEDY
    )
    body = greedy.predict(
        {"instances": ["Ein Mann fährt Fahrrad."], "signature_name": "with_attention"}
    )[1]
    row = body["predictions"][0]
    assert row["source_pieces"] == expected[0].source_pieces
    assert row["target_pieces"] == expected[0].target_pieces
    np.testing.assert_allclose(row["attention"], expected[0].attention, atol=1e-4)


def test_access_log_has_one_line_per_request_with_its_latency(greedy):
    before = greedy.log.getvalue().count("\n")
    greedy.request("GET", "/healthz")
    greedy.predict({"instances": ["Ein Hund läuft."]})
    greedy.predict("{")
    deadline = time.monotonic() + 10  # a line is written just after its answer is sent
    while greedy.log.getvalue().count("\n") < before + 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    # Each request's handler thread writes its own line, so the lines may come in any order.
    lines = sorted(greedy.log.getvalue().splitlines()[before:])
    assert len(lines) == 3, lines
    assert all(line.endswith(" ms") for line in lines), lines
    health = [line for line in lines if '"GET /healthz" 200 0 sentences' in line]
    answered = [
        line for line in lines if '"POST /v1/models/translate:predict" 200 1 sentences' in line
    ]
    refused = [line for line in lines if '"POST /v1/models/translate:predict" 400 ' in line]
    assert (len(health), len(answered), len(refused)) == (1, 1, 1), lines


def test_binds_loopback_by_default():
    args = build_parser().parse_args(["serve", "--model", "RUN"])
    assert (args.host, args.port, args.name) == ("127.0.0.1", 8501, "translate")
    assert (args.max_batch_size, args.batch_timeout_ms) == (64, 5.0)


def test_a_model_that_is_neither_run_nor_export_is_one_error_line(tmp_path, capsys):
    assert cli.main(["serve", "--model", str(tmp_path / "missing")]) == 2
    assert capsys.readouterr().err == f"error: --model {tmp_path / 'missing'}: no such directory\n"
    assert cli.main(["serve", "--model", str(tmp_path)]) == 2
    assert "not a SavedModel export" in capsys.readouterr().err


# Bad input: each a JSON error body, and the server keeps serving -----------------------------

EXPECTED = '{"instances": ["text", ...]}'
BAD_BODIES = [
    ("invalid JSON", b'{"instances": [', 400, "invalid JSON"),
    ("a wrong type", b'{"instances": 5}', 400, EXPECTED),
    ("a string of strings", b'{"instances": "Ein Mann"}', 400, EXPECTED),
    ("a number in the list", b'{"instances": ["a", 7]}', 400, "'instances[1]' is a JSON number"),
    ("a missing key", b'{"sentences": ["a"]}', 400, EXPECTED),
    ("both keys", b'{"instances": [], "inputs": []}', 400, "both"),
    ("a wrong input name", b'{"inputs": {"source": ["a"]}}', 400, "keys ['source']"),
    ("not an object", b'["a", "b"]', 400, "JSON array"),
    ("an unknown signature", b'{"signature_name": "x", "instances": []}', 400, "serving_default"),
    ("invalid UTF-8", b'{"instances": ["\xff\xfe"]}', 400, "not valid UTF-8"),
    ("UTF-16", '{"instances": ["a"]}'.encode("utf-16"), 400, "not valid UTF-8"),
    ("too many sentences", json.dumps({"instances": ["a"] * 300}).encode(), 413, "at most 256"),
    ("a sentence too long", json.dumps({"instances": ["a" * 10_001]}).encode(), 400, "10000"),
]


@pytest.mark.parametrize("case", BAD_BODIES, ids=[case[0] for case in BAD_BODIES])
def test_bad_bodies_get_a_json_error_naming_what_was_expected(greedy, case):
    _, body, status, expected = case
    got, answer, _ = greedy.predict(body)
    assert (got, sorted(answer)) == (status, ["error"])
    assert expected in answer["error"]


def test_ten_megabytes_is_413_and_the_server_goes_on(greedy):
    status, answer, headers = greedy.predict(b"x" * (10 << 20))
    assert status == 413 and "at most 1048576" in answer["error"]
    assert headers["Connection"] == "close"
    assert greedy.predict({"instances": ["Ein Hund läuft."]})[0] == 200


def test_wrong_model_path_and_method(greedy):
    status, answer, _ = greedy.predict({"instances": ["a"]}, name="nope")
    assert status == 404 and "'nope' not found" in answer["error"]
    assert greedy.request("GET", "/v1/models/nope")[0] == 404
    assert greedy.request("GET", "/v1/models/translate/versions/7")[0] == 404
    assert greedy.request("GET", "/elsewhere")[0] == 404
    assert greedy.request("POST", "/v1/models/translate", b"{}")[0] == 405
    assert greedy.request("GET", "/v1/models/translate:predict")[0] == 405
    for method in ("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "BREW"):
        status, answer, headers = greedy.request(method, "/v1/models/translate:predict")
        assert (status, headers["Allow"]) == (405, "GET, POST"), method
        if method != "HEAD":
            assert method in answer["error"]
    with socket.create_connection(("127.0.0.1", greedy.port), timeout=10) as raw:
        raw.sendall(b"POST /v1/models/translate:predict HTTP/1.1\r\nHost: x\r\n\r\n")
        assert raw.recv(1024).startswith(b"HTTP/1.1 411 ")


def test_empty_list_empty_string_and_long_sentence(greedy, random_translator):
    assert greedy.predict({"instances": []})[:2] == (200, {"predictions": []})
    empty_columns = greedy.predict({"inputs": {"text": []}})[1]
    assert empty_columns == {"outputs": {"translations": [], "scores": []}}
    assert greedy.predict({"instances": [""]})[1] == {
        "predictions": [{"translations": [""], "scores": [0.0]}]
    }
    expected = random_translator.translate([LONG, "Ein Hund."], **GREEDY)
    assert expected[0].truncated
    status, body, _ = greedy.predict({"instances": [LONG, "Ein Hund."]})
    assert status == 200
    first, second = body["predictions"]
    assert first["translations"] == expected[0].hypotheses
    assert first["warning"] == "longer than 256 subwords; only its beginning was translated"
    assert "warning" not in second
    columns = greedy.predict({"inputs": {"text": [LONG, "Ein Hund."]}})[1]
    assert columns["warnings"] == [first["warning"], None]


def test_a_thousand_malformed_requests_then_a_correct_answer(greedy, random_translator):
    bodies = [case[1] for case in BAD_BODIES if case[2] == 400]
    connection = http.client.HTTPConnection("127.0.0.1", greedy.port, timeout=30)
    started = time.monotonic()
    for i in range(1000):
        if i % 100 == 99:  # not HTTP at all, on a connection of its own
            with socket.create_connection(("127.0.0.1", greedy.port), timeout=10) as raw:
                raw.sendall(b"\x00\xffGARBAGE\r\n\r\n")
                assert raw.recv(1024).startswith(b"HTTP/1.")
            continue
        status, answer, _ = greedy.predict(bodies[i % len(bodies)], connection=connection)
        assert status == 400 and "error" in answer
        assert time.monotonic() - started < 60
    connection.close()
    expected = rows(random_translator.translate(SENTENCES[:3], **GREEDY))
    assert_same(greedy.predict({"instances": SENTENCES[:3]})[1]["predictions"], expected)


def test_eight_concurrent_clients_all_get_their_answers(greedy, random_translator):
    sentences = [s for s in SENTENCES if s.strip()][:16]
    expected = rows(random_translator.translate(sentences, **GREEDY))
    failures: list = []

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", greedy.port, timeout=60)
        for round_ in range(4):
            i = (number * 4 + round_) % len(sentences)
            status, body, _ = greedy.predict({"instances": [sentences[i]]}, connection=connection)
            if (
                status != 200
                or body["predictions"][0]["translations"] != expected[i]["translations"]
            ):
                failures.append((number, i, status, body))
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert failures == []


def test_batcher_gathers_requests_up_to_the_batch_size():
    calls: list[list[str]] = []

    def translate(texts, attention):
        calls.append(list(texts))
        return [f"<{t}>" for t in texts]

    batcher = Batcher(translate, max_batch_size=6, timeout_ms=300)
    answers: dict = {}
    threads = [
        threading.Thread(target=lambda n=n: answers.update({n: batcher.submit([str(n), "x"])}))
        for n in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    batcher.stop()
    assert answers == {n: [f"<{n}>", "<x>"] for n in range(5)}
    assert sorted(len(call) for call in calls) == [4, 6]  # 3 requests of 2, then 2 of 2


def test_batcher_hands_an_error_to_every_request_of_the_batch():
    def translate(texts, attention):
        raise RuntimeError("boom")

    batcher = Batcher(translate, max_batch_size=4, timeout_ms=0)
    with pytest.raises(RuntimeError, match="boom"):
        batcher.submit(["a"])
    batcher.stop()


# As a program: SIGTERM drains; the page in a real browser (slow) -----------------------------


def _start_program(random_run: str, *options: str) -> tuple[subprocess.Popen, int]:
    """``python -m translate serve --port 0``, and the port it reports."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    argv = [sys.executable, "-m", "translate", "serve", "--model", random_run, "--port", "0"]
    process = subprocess.Popen(
        argv + list(options), stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if " on http://127.0.0.1:" in line:
            return process, int(line.rsplit(":", 1)[1])
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"the server did not start: {process.stderr.read()}")


@pytest.mark.slow
def test_sigterm_drains_the_requests_in_flight(random_run):
    # A long batch timeout keeps the request waiting in the batcher when SIGTERM comes.
    process, port = _start_program(random_run, "--batch-timeout-ms", "1500", "--beam-size", "1")
    try:
        answers: list = []

        def ask() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request(
                "POST", "/v1/models/translate:predict", json.dumps({"instances": ["Ein Hund."]})
            )
            response = connection.getresponse()
            answers.append((response.status, json.loads(response.read())))

        thread = threading.Thread(target=ask)
        thread.start()
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        thread.join(timeout=60)
        assert process.wait(timeout=60) == 0
        assert answers and answers[0][0] == 200 and answers[0][1]["predictions"][0]["translations"]
        log = process.stderr.read()
        assert "draining" in log and "stopped" in log and '" 200 1 sentences' in log
        with pytest.raises(OSError):
            http.client.HTTPConnection("127.0.0.1", port, timeout=5).request("GET", "/healthz")
    finally:
        if process.poll() is None:
            process.kill()


CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1100,900",
]


def open_browser(profile: str):
    """Headless Debian Chromium under selenium, with a fresh profile folder."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@pytest.mark.slow
@pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)
def test_the_page_translates_in_a_real_browser(greedy, random_translator):
    pytest.importorskip("selenium", reason="needs selenium (pip install -r requirements.txt)")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    sentence = "Zwei Hunde spielen im Schnee."
    expected = random_translator.translate([sentence], **GREEDY)[0]
    with tempfile.TemporaryDirectory() as profile:
        browser = open_browser(profile)
        try:
            browser.set_page_load_timeout(60)
            browser.get(f"http://127.0.0.1:{greedy.port}/")
            box = browser.find_element(By.ID, "source")
            box.clear()
            box.send_keys(sentence)
            browser.find_element(By.ID, "translate").click()
            WebDriverWait(browser, 60).until(
                lambda b: b.find_element(By.ID, "status").text.endswith(" ms")
            )
            assert browser.find_element(By.ID, "error").text == ""
            assert browser.find_element(By.ID, "translation").text == expected.text
            assert len(browser.find_elements(By.CSS_SELECTOR, "#nbest tr")) == 1
            cells = browser.find_elements(By.CSS_SELECTOR, "#heatmap tbody td")
            pieces = random_translator.translate([sentence], with_attention=True, **GREEDY)[0]
            assert len(cells) == len(pieces.target_pieces) * len(pieces.source_pieces)
        finally:
            browser.quit()
