"""``translate serve``: a resident translator behind TensorFlow Serving's REST API.

A client written for TensorFlow Serving, pointed at this server instead, works
unchanged: the paths, the request formats and the answers are TF Serving's for
the export's ``serving_default`` signature (:mod:`translate.inference.export`)::

    GET  /v1/models/NAME                    model status (version, "AVAILABLE")
    POST /v1/models/NAME:predict            {"instances": ["text", ...]}
                                            -> {"predictions": [{"translations": [...],
                                                                 "scores": [...]}, ...]}
                                            {"inputs": {"text": [...]}}
                                            -> {"outputs": {"translations": [[...]],
                                                            "scores": [[...]]}}
    GET  /                                  a page to try it in a browser
    GET  /healthz                           liveness

Two additions that TF Serving clients never see unless they ask: a sentence
cut to its first ``MAX_SOURCE_TOKENS`` subwords gets a ``warning`` (row format)
or ``warnings`` (columnar) field, and the signature name ``with_attention``
also returns the best hypothesis' subwords and attention matrix, which the page
draws. Errors are TF Serving's ``{"error": "..."}`` with a 4xx status.

Dynamic batching (:class:`Batcher`): handler threads put requests on a queue;
one thread takes the first, gathers more for up to ``batch_timeout_ms`` or until
``max_batch_size`` sentences, translates them in one call and hands each
request its answers. The HTTP side is the standard library's
``ThreadingHTTPServer`` (one thread per connection, HTTP/1.1 keep-alive);
``docs/serve.md`` gives the measurements behind that choice.
"""

from __future__ import annotations

import dataclasses
import http
import json
import os
import queue
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import tensorflow as tf

from translate import TranslateError
from translate.inference import export
from translate.inference.text import valid_unicode
from translate.inference.translator import MAX_SOURCE_TOKENS, Translator
from translate.runs.rundir import RunDir

SIGNATURE = "serving_default"
ATTENTION_SIGNATURE = "with_attention"
PAGE_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "serve_page.html")
DRAIN_SECONDS = 30.0
# A body over the limit but under this is read and dropped before the 413 is sent; a larger
# one gets its 413 at once and the connection closed, which a client may see as a reset.
_DISCARD_BYTES = 64 << 20

# /v1/models/NAME, optionally /versions/N or /labels/L, optionally :predict.
_MODEL_PATH = re.compile(
    r"^/v1/models/(?P<name>[^/:]+)(?:/versions/(?P<version>[^/:]+)|/labels/[^/:]+)?"
    r"(?P<predict>:predict)?$"
)
_EXPECTED = 'expected {"instances": ["text", ...]} or {"inputs": {"text": ["text", ...]}}'


@dataclasses.dataclass(frozen=True)
class Limits:
    """What one request may hold.

    Attributes:
        body_bytes: Largest request body (413 above it).
        sentences: Most sentences in one request (413 above it).
        characters: Longest sentence in characters (400 above it).
    """

    body_bytes: int = 1 << 20
    sentences: int = 256
    characters: int = 10_000


class RequestError(Exception):
    """A request the server refuses: its HTTP status and the message of its error body."""

    def __init__(self, status: int, message: str, headers: Sequence[tuple[str, str]] = ()):
        super().__init__(message)
        self.status = status
        self.headers = list(headers)


@dataclasses.dataclass
class Answer:
    """One sentence's answer: what the export returns, and what the page draws.

    Attributes:
        translations: ``n_best`` translations, best first.
        scores: Their search scores.
        truncated: The source was cut to its first ``MAX_SOURCE_TOKENS`` subwords.
        source_pieces: Source subwords (``with_attention`` only).
        target_pieces: Subwords of the best translation (``with_attention`` only).
        attention: ``(len(target_pieces), len(source_pieces))`` weights, as lists.
    """

    translations: list[str]
    scores: list[float]
    truncated: bool = False
    source_pieces: list[str] | None = None
    target_pieces: list[str] | None = None
    attention: list[list[float]] | None = None


class Model:
    """What the server translates with: a run's Translator, or a SavedModel export's signature.

    Args:
        translator: The Translator of a run directory (or an ensemble); None for an export.
        search: Its search overrides (``beam_size``, ``n_best``, ...; None keeps
            the run's config).
        signature: An export's ``serving_default`` function
            (:func:`translate.inference.export.load_export`), when ``translator`` is None.
        version: The version reported in the model status.

    Raises:
        TranslateError: If the search settings are invalid.
    """

    def __init__(
        self,
        translator: Translator | None,
        search: dict[str, Any] | None = None,
        *,
        signature: Callable | None = None,
        version: int = 1,
    ):
        self.translator, self.signature, self.version = translator, signature, version
        self.search = dict(search or {})
        if translator is not None:
            settings = translator.search_settings(**self.search)  # checked here, once
            self.signatures: tuple[str, ...] = (SIGNATURE, ATTENTION_SIGNATURE)
            # A sampled sentence's draws are keyed by its position in the request, as in
            # an export, so sampling translates each request on its own.
            self.per_request = settings.sampling_topk is not None
            self.description = f"{', '.join(translator.runs)} (beam size {settings.beam_size})"
        else:
            self.signatures, self.per_request = (SIGNATURE,), False
            self.description = f"export version {version}"

    @classmethod
    def load(cls, path: str, search: dict[str, Any]) -> Model:
        """Loads a run directory, or an export folder (a version, or the highest under a base).

        The graph is traced here, so the first request is answered at full speed.

        Args:
            path: The folder.
            search: Search overrides for a run directory; an export's settings were
                fixed when it was written, so any given is an error.

        Raises:
            TranslateError: If ``path`` is neither a run nor an export, or cannot be loaded.
        """
        if not os.path.isdir(path):
            raise TranslateError(f"--model {path}: no such directory")
        if os.path.exists(RunDir(path).config_file):
            model = cls(Translator.load(path), search)
        else:
            folder = export.resolve_export(path)
            given = sorted(key for key, value in search.items() if value is not None)
            if given:
                options = ", ".join("--" + key.replace("_", "-") for key in given)
                raise TranslateError(
                    f"{folder} is an export, whose search settings were fixed when it was "
                    f"written; {options} apply to run directories only"
                )
            name = os.path.basename(os.path.normpath(folder))
            version = int(name) if name.isdigit() else 1
            model = cls(None, signature=export.load_export(folder), version=version)
            model.description = f"export {folder}"
        model.translate(["."], attention=False)  # traces the graph
        return model

    def translate(self, texts: list[str], attention: bool) -> list[Answer]:
        """Translates a batch; blank sentences get empty translations, as in the CLI.

        Args:
            texts: Sentences (any number, blank ones included).
            attention: Also return subwords and attention (run directories only).

        Returns:
            One :class:`Answer` per sentence, in order.
        """
        texts = [valid_unicode(text) for text in texts]  # JSON may hold lone surrogates
        if self.translator is None:
            out = self.signature(text=tf.constant(texts, tf.string))
            translations = out["translations"].numpy()  # (batch, n_best) bytes
            scores = out["scores"].numpy()  # (batch, n_best) float32
            return [
                Answer([t.decode("utf-8") for t in row], [float(s) for s in score_row])
                for row, score_row in zip(translations, scores)
            ]
        answers = []
        for result in self.translator.translate(texts, with_attention=attention, **self.search):
            answer = Answer(result.hypotheses, result.scores, result.truncated)
            if attention:
                answer.source_pieces = result.source_pieces
                answer.target_pieces = result.target_pieces
                weights = result.attention  # (target, source) or None for a blank sentence
                rounded = [] if weights is None else weights.astype(float).round(4).tolist()
                answer.attention = rounded
            answers.append(answer)
        return answers


@dataclasses.dataclass
class _Job:
    """One request waiting in the :class:`Batcher`'s queue."""

    texts: list[str]
    attention: bool
    done: threading.Event = dataclasses.field(default_factory=threading.Event)
    answers: list[Answer] | None = None
    error: BaseException | None = None


_STOP = _Job([], False)


class Batcher:
    """Dynamic batching: requests arriving close together are translated in one call.

    Args:
        translate: ``(texts, attention) -> answers``, e.g. :meth:`Model.translate`.
        max_batch_size: Most sentences gathered into one call (a larger request
            is translated alone).
        timeout_ms: How long the first request of a batch waits for others.
        per_request: Translate each request on its own (still one at a time).
    """

    def __init__(
        self,
        translate: Callable[[list[str], bool], list[Answer]],
        max_batch_size: int,
        timeout_ms: float,
        per_request: bool = False,
    ):
        self._translate = translate
        self._max = max_batch_size
        self._timeout = timeout_ms / 1000
        self._per_request = per_request
        self._queue: queue.Queue[_Job] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="batcher", daemon=True)
        self._thread.start()

    def submit(self, texts: list[str], attention: bool = False) -> list[Answer]:
        """Queues one request's sentences and waits for their answers."""
        job = _Job(texts, attention)
        self._queue.put(job)
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.answers  # type: ignore[return-value]

    def stop(self) -> None:
        """Translates what is queued, then ends the batching thread."""
        self._queue.put(_STOP)
        self._thread.join()

    def _run(self) -> None:
        waiting: _Job | None = None
        while True:
            job = waiting or self._queue.get()
            if job is _STOP:
                return
            batch, size, waiting = [job], len(job.texts), None
            deadline = time.monotonic() + self._timeout
            while size < self._max:
                try:
                    job = self._queue.get(timeout=max(deadline - time.monotonic(), 0))
                except queue.Empty:
                    break
                if job is _STOP or size + len(job.texts) > self._max:
                    waiting = job  # it starts the next batch (or stops after this one)
                    break
                batch.append(job)
                size += len(job.texts)
            self._answer(batch)

    def _answer(self, batch: list[_Job]) -> None:
        groups = (
            [[job] for job in batch]
            if self._per_request
            else [[job for job in batch if job.attention is flag] for flag in (False, True)]
        )
        for group in filter(None, groups):
            try:
                texts = [text for job in group for text in job.texts]
                answers = self._translate(texts, group[0].attention)
                start = 0
                for job in group:
                    job.answers = answers[start : start + len(job.texts)]
                    start += len(job.texts)
            except Exception as error:  # noqa: BLE001 - each waiting request gets a 500
                for job in group:
                    job.error = error
            for job in group:
                job.done.set()


def parse_predict(
    body: bytes, limits: Limits, signatures: Sequence[str]
) -> tuple[list[str], str, bool]:
    """Reads a ``:predict`` body in TF Serving's row or columnar format.

    Args:
        body: The request body.
        limits: The size limits.
        signatures: The signature names the model has.

    Returns:
        ``(sentences, signature name, columnar)``.

    Raises:
        RequestError: 400 for a body that is not UTF-8 JSON of either format, or a
            sentence too long; 413 for too many sentences.
    """
    try:
        request = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise RequestError(
            400, f"the request body is not valid UTF-8 ({error.reason} at byte {error.start})"
        ) from None
    except json.JSONDecodeError as error:
        raise RequestError(
            400,
            f"invalid JSON ({error.msg} at line {error.lineno} column {error.colno}); {_EXPECTED}",
        ) from None
    if not isinstance(request, dict):
        raise RequestError(400, f"the request is a JSON {_json_type(request)}; {_EXPECTED}")
    signature = request.get("signature_name", SIGNATURE)
    if signature not in signatures:
        raise RequestError(
            400, f"signature_name {signature!r} not found; this model has {', '.join(signatures)}"
        )
    keys = [key for key in ("instances", "inputs") if key in request]
    if len(keys) != 1:
        found = "both" if keys else "neither"
        raise RequestError(400, f"the request has {found} 'instances' and 'inputs'; {_EXPECTED}")
    columnar = keys[0] == "inputs"
    texts = request[keys[0]]
    where = keys[0]
    if columnar and isinstance(texts, dict):
        if list(texts) != ["text"]:
            raise RequestError(400, f"'inputs' has keys {sorted(texts)}; {_EXPECTED}")
        texts, where = texts["text"], "inputs.text"
    if not isinstance(texts, list):
        raise RequestError(400, f"'{where}' is a JSON {_json_type(texts)}; {_EXPECTED}")
    if len(texts) > limits.sentences:
        raise RequestError(
            413, f"{len(texts)} sentences in one request; at most {limits.sentences} are taken"
        )
    sentences = []
    for i, text in enumerate(texts):
        if not columnar and isinstance(text, dict) and list(text) == ["text"]:
            text = text["text"]  # a row with its input named
        if not isinstance(text, str):
            raise RequestError(400, f"'{where}[{i}]' is a JSON {_json_type(text)}, not a string")
        if len(text) > limits.characters:
            raise RequestError(
                400,
                f"'{where}[{i}]' has {len(text)} characters; at most {limits.characters} are taken",
            )
        sentences.append(text)
    return sentences, signature, columnar


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def predict_answer(answers: list[Answer], columnar: bool, attention: bool) -> dict[str, Any]:
    """The ``:predict`` answer body, TF Serving's row or columnar format for the signature."""
    warning = f"longer than {MAX_SOURCE_TOKENS} subwords; only its beginning was translated"
    rows = []
    for answer in answers:
        row: dict[str, Any] = {"translations": answer.translations, "scores": answer.scores}
        if attention:
            row["source_pieces"] = answer.source_pieces
            row["target_pieces"] = answer.target_pieces
            row["attention"] = answer.attention
        rows.append(row)
    if not columnar:
        for row, answer in zip(rows, answers):
            if answer.truncated:
                row["warning"] = warning
        return {"predictions": rows}
    names = list(rows[0]) if rows else ["translations", "scores"]
    body: dict[str, Any] = {"outputs": {name: [row[name] for row in rows] for name in names}}
    if any(answer.truncated for answer in answers):
        body["warnings"] = [warning if answer.truncated else None for answer in answers]
    return body


class Server(ThreadingHTTPServer):
    """The HTTP server: one handler thread per connection, one :class:`Batcher`.

    Args:
        address: ``(host, port)``; port 0 takes a free one (see ``server_address``).
        model: What to translate with.
        name: The model name in the URLs.
        max_batch_size: Most sentences translated together.
        batch_timeout_ms: How long a batch waits for more requests.
        limits: Request size limits.
        log: Where the access log goes (one line per request); None for none.
    """

    daemon_threads = True  # idle keep-alive connections do not hold up the exit
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        model: Model,
        *,
        name: str = "translate",
        max_batch_size: int = 64,
        batch_timeout_ms: float = 5.0,
        limits: Limits = Limits(),
        log=sys.stderr,
    ):
        super().__init__(address, _Handler)
        self.model = model
        self.name = name
        self.limits = limits
        self.log = log
        self.batcher = Batcher(model.translate, max_batch_size, batch_timeout_ms, model.per_request)
        self.draining = False
        self._in_flight = 0
        self._idle = threading.Condition()
        with open(PAGE_FILE, encoding="utf-8") as handle:
            page = handle.read()
        settings = {"name": name, "attention": ATTENTION_SIGNATURE in model.signatures}
        self.page = page.replace("/*SETTINGS*/{}", json.dumps(settings)).encode("utf-8")

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def started(self) -> None:
        """Marks a request in flight (until :meth:`finished`)."""
        with self._idle:
            self._in_flight += 1

    def finished(self) -> None:
        with self._idle:
            self._in_flight -= 1
            self._idle.notify_all()

    def drain(self, seconds: float = DRAIN_SECONDS) -> int:
        """Stops accepting, waits for the requests in flight, stops the batcher.

        Call from another thread than :meth:`serve_forever`'s.

        Returns:
            The number of requests still unanswered after ``seconds`` (0 normally).
        """
        self.draining = True
        self.shutdown()  # the accept loop ends; handler threads go on
        deadline = time.monotonic() + seconds
        with self._idle:
            while self._in_flight and time.monotonic() < deadline:
                self._idle.wait(deadline - time.monotonic())
            left = self._in_flight
        self.batcher.stop()
        self.server_close()
        return left

    def write_log(self, line: str) -> None:
        if self.log is not None:
            try:
                print(line, file=self.log, flush=True)
            except (OSError, ValueError):  # the log went away; serving goes on
                pass


class _Handler(BaseHTTPRequestHandler):
    """One connection's requests: routes, checks, answers, one access-log line each."""

    server: Server
    protocol_version = "HTTP/1.1"  # keep-alive, so a client's requests share a connection
    default_request_version = "HTTP/1.1"  # a request line without a version gets a status line
    timeout = 60  # an idle or stalled connection is closed after a minute
    # Headers and body are two writes: without TCP_NODELAY, Nagle's algorithm holds the body
    # back until the client's delayed ACK, some 40 ms per keep-alive request.
    disable_nagle_algorithm = True

    def __getattr__(self, name: str):
        # http.server calls do_<METHOD>; every method but GET and POST gets a 405.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(self._get)

    def do_POST(self) -> None:  # noqa: N802
        self._serve(self._post)

    def _not_allowed(self) -> None:
        self._serve(self._refuse)

    def _refuse(self) -> tuple[int, dict]:
        raise RequestError(
            405, f"method {self.command} not allowed; use GET or POST", [("Allow", "GET, POST")]
        )

    def _serve(self, route: Callable[[], tuple[int, Any]]) -> None:
        """Runs a route and writes its answer; any error becomes a JSON error body."""
        started = time.perf_counter()
        self.server.started()
        self._sentences = 0
        headers: list[tuple[str, str]] = []
        try:
            status, body = route()
        except RequestError as error:
            status, body, headers = error.status, {"error": str(error)}, error.headers
        except Exception as error:  # noqa: BLE001 - the server answers 500 and keeps serving
            status, body = 500, {"error": f"internal error: {type(error).__name__}: {error}"}
        try:
            self._send(status, body, headers)
        finally:
            self.server.finished()
            milliseconds = (time.perf_counter() - started) * 1000
            self.server.write_log(
                f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {self.client_address[0]} "
                f'"{self.command} {self.path}" {status} {self._sentences} sentences '
                f"{milliseconds:.1f} ms"
            )

    def _send(self, status: int, body: Any, headers: list[tuple[str, str]]) -> None:
        if isinstance(body, bytes):
            data, kind = body, "text/html; charset=utf-8"
        else:
            data, kind = json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json"
        if self.server.draining:
            self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers:
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _get(self) -> tuple[int, Any]:
        path = self.path.split("?", 1)[0]
        if path == "/":
            return 200, self.server.page
        if path == "/healthz":
            return 200, {"status": "ok"}
        if self._model_path(path, predict=False):
            version = str(self.server.model.version)
            ok = {"error_code": "OK", "error_message": ""}
            return 200, {
                "model_version_status": [{"version": version, "state": "AVAILABLE", "status": ok}]
            }
        raise RequestError(404, f"no such path: {path}")

    def _post(self) -> tuple[int, Any]:
        if not self._model_path(self.path, predict=True):
            raise RequestError(404, f"no such path: {self.path}; POST to /v1/models/NAME:predict")
        body = self._read_body()
        texts, signature, columnar = parse_predict(
            body, self.server.limits, self.server.model.signatures
        )
        self._sentences = len(texts)
        attention = signature == ATTENTION_SIGNATURE
        answers = self.server.batcher.submit(texts, attention) if texts else []
        return 200, predict_answer(answers, columnar, attention)

    def _model_path(self, path: str, predict: bool) -> bool:
        """Whether ``path`` names this model's status (or ``:predict``); 404 for another model."""
        match = _MODEL_PATH.match(path)
        if not match:
            return False
        if match["name"] != self.server.name:
            raise RequestError(
                404, f"model {match['name']!r} not found; this server serves {self.server.name!r}"
            )
        if match["version"] is not None and match["version"] != str(self.server.model.version):
            raise RequestError(
                404,
                f"version {match['version']!r} of model {self.server.name!r} not found; "
                f"it serves version {self.server.model.version}",
            )
        if bool(match["predict"]) != predict:
            allowed = "POST" if match["predict"] else "GET"
            raise RequestError(405, f"use {allowed} for {path}", [("Allow", allowed)])
        return True

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding") or length is None:
            self.close_connection = True
            raise RequestError(411, "a POST needs a Content-Length header (no chunked encoding)")
        if not length.isdigit():
            self.close_connection = True
            raise RequestError(400, f"Content-Length {length!r} is not a number of bytes")
        if int(length) > self.server.limits.body_bytes:
            self.close_connection = True
            if int(length) <= _DISCARD_BYTES:  # read, so the client sees the answer, not a reset
                for _ in range(0, int(length), 1 << 16):
                    if not self.rfile.read(min(1 << 16, int(length))):
                        break
            raise RequestError(
                413,
                f"the request body has {int(length)} bytes; at most "
                f"{self.server.limits.body_bytes} are taken",
            )
        body = self.rfile.read(int(length))
        if len(body) < int(length):
            self.close_connection = True
            raise RequestError(400, f"the body ended after {len(body)} of {length} bytes")
        return body

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # http.server's own refusals (a malformed request line or header) as JSON too.
        self.close_connection = True
        status = http.HTTPStatus(code)
        self._send(code, {"error": message or status.phrase}, [])

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        # http.server's own lines (a malformed request line); the rest go through _serve.
        self.server.write_log(f"{self.client_address[0]} {format % args}")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # _serve writes the request's line, with its latency


def serve(
    model: Model,
    host: str = "127.0.0.1",
    port: int = 8501,
    *,
    ready: Callable[[Server], None] | None = None,
    **options: Any,
) -> int:
    """Serves until SIGTERM or Ctrl-C, then drains the requests in flight and returns.

    Must run in the main thread (it installs the signal handlers, and restores
    the previous ones before returning).

    Args:
        model: What to translate with.
        host: Address to bind; 127.0.0.1 keeps the server to this machine.
        port: Port; 0 takes a free one.
        ready: Called with the listening server (its ``url``) before serving.
        **options: :class:`Server` keyword arguments.

    Returns:
        0, or 1 if requests were still unanswered after the drain timeout.
    """
    try:
        server = Server((host, port), model, **options)
    except OSError as error:
        raise TranslateError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    stop = threading.Event()
    previous = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGINT, signal.SIGTERM)}
    thread = threading.Thread(target=server.serve_forever, name="http", daemon=True)
    try:
        thread.start()
        server.write_log(f"serving {model.description} as {server.name!r} on {server.url}")
        if ready is not None:
            ready(server)
        while not stop.wait(0.5):
            pass
        server.write_log("stopping: draining the requests in flight")
        left = server.drain()
        server.write_log("stopped" if not left else f"stopped with {left} requests unanswered")
        return 1 if left else 0
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
