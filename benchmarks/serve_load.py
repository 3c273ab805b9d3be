"""``translate serve`` under load: throughput and latency against in-process batch decoding.

    python benchmarks/serve_load.py --model runs/quick --sentences 300

Starts ``translate serve --model RUN --beam-size B`` on a free loopback port (a
subprocess, so clients and server do not share a Python lock), and for 1, 8
and 32 concurrent clients sends the first ``--sentences`` sentences of
``$MULTI30K_DIR/test_2016_flickr.de.gz``, one sentence per request over a
keep-alive connection per client, after a warm-up. Reports sentences/s and the
p50/p99 request latency, for greedy and beam 5. Every load loop is bounded: by
the sentence count, and by ``--cell-seconds`` of wall time.

Also measured in the same run, on the same run directory and sentences:

* in-process batch decoding: ``Translator.translate`` on all the sentences at
  once (the run's ``decoding.batch_size``), median of ``--repeats`` passes after
  a warm-up, with the server stopped, to compare the 32-client throughput with;
* start-up: ``translate serve`` from launch to its first answer, against
  ``translate translate --model RUN "one sentence"`` end to end (median of
  ``--startups`` each);
* ``--library``: the HTTP layer alone, the standard library's server against
  Starlette + Uvicorn (if installed), answering an echo model: requests/s and
  p50 at 1 and 32 clients.

Writes ``benchmarks/results/serve_load.json``.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time

from common import RESULTS, ROOT, print_table, write_result

SERVE_START_SECONDS = 180


def read_sentences(count: int) -> list[str]:
    folder = os.environ.get("MULTI30K_DIR")
    if not folder:
        raise SystemExit("set MULTI30K_DIR to the folder of test_2016_flickr.de.gz")
    with gzip.open(os.path.join(folder, "test_2016_flickr.de.gz"), "rt", encoding="utf-8") as f:
        return [line.rstrip("\n") for line, _ in zip(f, range(count))]


def cpu() -> dict:
    """The CPU as ``lscpu`` names it: model name, family, model."""
    fields = {"Model name": "model_name", "CPU family": "family", "Model": "model"}
    found = {}
    output = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    for line in output.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in fields:
            found[fields[key.strip()]] = value.strip()
    return found


def environment() -> dict:
    return dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))


def start(argv: list[str]) -> tuple[subprocess.Popen, int, float]:
    """Starts a server that logs ``... on http://127.0.0.1:PORT``; returns it, the port and
    the seconds from launch to its first answer."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True, env=environment())
    deadline = time.monotonic() + SERVE_START_SECONDS
    port = None
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if " on http://127.0.0.1:" in line:
            port = int(line.rsplit(":", 1)[1])
            break
        if not line and process.poll() is not None:
            break
    if port is None:
        process.kill()
        raise SystemExit(f"server did not start: {' '.join(argv)}\n{process.stderr.read()}")
    # The access log goes on; read it away so the pipe never fills.
    threading.Thread(target=lambda: process.stderr.read(), daemon=True).start()
    status, _ = post(http.client.HTTPConnection("127.0.0.1", port, timeout=60), ["Ein Hund."])
    assert status == 200, status
    return process, port, time.perf_counter() - started


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()


def post(connection: http.client.HTTPConnection, texts: list[str], name: str = "translate"):
    body = json.dumps({"instances": texts})
    connection.request("POST", f"/v1/models/{name}:predict", body)
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def load(port: int, sentences: list[str], clients: int, seconds: float) -> dict:
    """``clients`` threads send the sentences one per request until all are sent or
    ``seconds`` pass; returns sentences/s and latency percentiles in ms."""
    lock = threading.Lock()
    todo = iter(range(len(sentences)))
    latencies: list[float] = []
    answers: dict[int, str] = {}
    failures: list = []
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.monotonic() < deadline:
            with lock:
                i = next(todo, None)
            if i is None:
                break
            began = time.perf_counter()
            status, body = post(connection, [sentences[i]])
            took = time.perf_counter() - began
            with lock:
                if status != 200:
                    failures.append((i, status, body))
                else:
                    latencies.append(took)
                    answers[i] = body["predictions"][0]["translations"][0]
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    assert not failures, failures[:3]
    return {
        "clients": clients,
        "sentences": len(latencies),
        "seconds": round(wall, 3),
        "sentences_per_second": round(len(latencies) / wall, 2),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "answers": answers,
    }


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def in_process(model: str, sentences: list[str], beam: int, repeats: int) -> dict:
    """``Translator.translate`` on all the sentences at once: sentences/s, median pass."""
    from translate.inference.translator import Translator

    translator = Translator.load(model)
    translator.translate(sentences[:8], beam_size=beam)  # traces the graph
    passes = []
    for _ in range(repeats):
        began = time.perf_counter()
        out = translator.translate(sentences, beam_size=beam)
        passes.append(time.perf_counter() - began)
    seconds = statistics.median(passes)
    return {
        "sentences_per_second": round(len(sentences) / seconds, 2),
        "passes_seconds": [round(p, 3) for p in passes],
        "batch_size": translator.decoding.batch_size,
        "translations": [t.text for t in out],
    }


def cli_startup(model: str, repeats: int) -> list[float]:
    """Wall seconds of ``translate translate --model RUN "one sentence"``."""
    argv = [sys.executable, "-m", "translate", "translate", "--model", model, "--beam-size", "1"]
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        subprocess.run(
            argv + ["Ein Hund läuft."], check=True, capture_output=True, env=environment()
        )
        times.append(time.perf_counter() - began)
    return times


_STDLIB_ECHO = """
import sys
from translate.inference.serve import Answer, Model, serve

class Echo(Model):
    def translate(self, texts, attention):
        return [Answer([text], [0.0]) for text in texts]

serve(Echo(None, signature=lambda **_: None), port=0, batch_timeout_ms=0, log=sys.stderr)
"""
_STARLETTE_ECHO = """
import socket
import sys
import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def predict(request):
    body = await request.json()
    return JSONResponse({"predictions": [
        {"translations": [text], "scores": [0.0]} for text in body["instances"]]})

app = Starlette(routes=[Route("/v1/models/translate:predict", predict, methods=["POST"])])
config = uvicorn.Config(app, access_log=False, log_level="warning")
listening = socket.create_server(("127.0.0.1", 0))
listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited by connections
port = listening.getsockname()[1]
print(f"serving echo on http://127.0.0.1:{port}", file=sys.stderr, flush=True)
uvicorn.Server(config).run(sockets=[listening])
"""


def library_overhead(sentences: list[str], seconds: float) -> list[dict]:
    """The HTTP layer alone: an echo model behind each library, 1 and 32 clients."""
    rows = []
    libraries = {"stdlib ThreadingHTTPServer": _STDLIB_ECHO}
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401

        libraries["Starlette + Uvicorn"] = _STARLETTE_ECHO
    except ImportError:
        print("Starlette or Uvicorn not installed: the standard library alone is measured")
    for library, code in libraries.items():
        process, port, _ = start([sys.executable, "-c", code])
        try:
            for clients in (1, 32):
                cell = load(port, sentences * 4, clients, seconds)
                cell.pop("answers")
                rows.append({"library": library, **cell})
        finally:
            stop(process)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", required=True, help="trained run directory (read only)")
    parser.add_argument("--sentences", type=int, default=300, help="test_2016_flickr sentences")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--cell-seconds", type=float, default=90, help="wall-time bound per cell")
    parser.add_argument("--repeats", type=int, default=3, help="in-process passes")
    parser.add_argument("--startups", type=int, default=3, help="start-up measurements each")
    parser.add_argument("--batch-timeout-ms", default="5", help="the server's batch timeout")
    parser.add_argument("--library", action="store_true", help="also time the HTTP layer alone")
    parser.add_argument("--out", default=os.path.join(RESULTS, "serve_load.json"))
    args = parser.parse_args(argv)
    sentences = read_sentences(args.sentences)
    machine = cpu()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"CPU: {machine}; {uptime}")

    serve = [sys.executable, "-m", "translate", "serve", "--model", args.model, "--port", "0"]
    serve += ["--batch-timeout-ms", args.batch_timeout_ms]
    cells, batch, startups = [], {}, {"serve_seconds": [], "cli_seconds": []}
    for beam in args.beams:
        process, port, _ = start(serve + ["--beam-size", str(beam)])
        try:
            load(port, sentences[:32], 8, args.cell_seconds)  # warm-up
            for clients in args.clients:
                cell = load(port, sentences, clients, args.cell_seconds)
                cells.append({"beam_size": beam, **cell})
        finally:
            stop(process)
        batch[beam] = in_process(args.model, sentences, beam, args.repeats)
        for cell in cells:
            if cell["beam_size"] == beam:
                answers = cell.pop("answers")
                cell["equal_to_in_process"] = all(
                    batch[beam]["translations"][i] == text for i, text in answers.items()
                )
    for _ in range(args.startups):
        process, _, seconds = start(serve + ["--beam-size", "1"])
        stop(process)
        startups["serve_seconds"].append(round(seconds, 3))
    startups["cli_seconds"] = [round(s, 3) for s in cli_startup(args.model, args.startups)]

    rows = []
    for cell in cells:
        speed = batch[cell["beam_size"]]["sentences_per_second"]
        cell["share_of_in_process"] = round(cell["sentences_per_second"] / speed, 3)
        rows.append(
            [
                f"beam {cell['beam_size']}, {cell['clients']} clients",
                cell["sentences"],
                cell["sentences_per_second"],
                cell["p50_ms"],
                cell["p99_ms"],
                100 * cell["share_of_in_process"],
                cell["equal_to_in_process"],
            ]
        )
    for beam, result in batch.items():
        rows.append([f"beam {beam}, in-process batch", len(sentences),
                     result["sentences_per_second"], None, None, 100.0, True])  # fmt: skip
    print(f"\n{machine.get('model_name')} (family {machine.get('family')}, model "
          f"{machine.get('model')}); {uptime}")  # fmt: skip
    print_table(
        ["setting", "sentences", "sent/s", "p50 ms", "p99 ms", "% of batch", "same answers"],
        rows,
        ["", "d", ".1f", ".1f", ".1f", ".0f", ""],
    )
    serve_start = statistics.median(startups["serve_seconds"])
    cli_start = statistics.median(startups["cli_seconds"])
    print(
        f"start-up to first answer: serve {serve_start:.2f} s, CLI one sentence {cli_start:.2f} s"
    )

    library = library_overhead(sentences, 30) if args.library else []
    if library:
        print_table(
            ["library", "clients", "requests/s", "p50 ms", "p99 ms"],
            [
                [r["library"], r["clients"], r["sentences_per_second"], r["p50_ms"], r["p99_ms"]]
                for r in library
            ],  # fmt: skip
            ["", "d", ".0f", ".2f", ".2f"],
        )
    for result in batch.values():
        result.pop("translations")
    greedy_one = next((c for c in cells if c["beam_size"] == 1 and c["clients"] == 1), None)
    best32 = {c["beam_size"]: c["share_of_in_process"] for c in cells if c["clients"] == 32}
    write_result(
        args.out,
        __file__,
        argv,
        {
            "cpu_lscpu": machine,
            "uptime": uptime,
            "sentences": len(sentences),
            "cells": cells,
            "in_process_batch": {str(k): v for k, v in batch.items()},
            "startup": startups | {"serve_median": serve_start, "cli_median": cli_start},
            "library": library,
            "goals": {
                "one_sentence_greedy_p50_ms": greedy_one and greedy_one["p50_ms"],
                "one_sentence_greedy_p50_goal_ms": 50,
                "share_of_in_process_at_32_clients": best32,
                "share_goal": 0.8,
                "startup_excess_seconds": round(serve_start - cli_start, 3),
                "startup_excess_goal_seconds": 1.0,
            },
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
