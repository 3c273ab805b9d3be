"""A quick answer to "can the download hosts be reached?", before a download that would hang.

Offline, the TFDS downloader does not fail quickly: each URL goes through
``requests`` with ``urllib3`` retries (``MAX_RETRIES = 10`` with exponential
back-off in ``tensorflow_datasets/core/download/downloader.py``) and no connect
timeout, so a dataset that is not prepared takes minutes to report that the
network is gone. :func:`unreachable` tries each host once, in parallel, with a
short timeout (name resolution, then a TCP connection to the port of the URL or
of the configured proxy). Only when no host answers does a caller give up; the
download itself then still goes through TFDS's own code path, retries included.
"""

from __future__ import annotations

import queue
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable

PROBE_SECONDS = 8.0


def _endpoint(url: str) -> tuple[str, int]:
    """The host and port a download of ``url`` connects to first (its proxy's, if one is set)."""
    parts = urllib.parse.urlparse(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(parts.hostname or ""):
        proxy_parts = urllib.parse.urlparse(proxy if "://" in proxy else f"http://{proxy}")
        return proxy_parts.hostname or "", proxy_parts.port or 80
    default_port = 443 if parts.scheme == "https" else 21 if parts.scheme == "ftp" else 80
    return parts.hostname or "", parts.port or default_port


def _connect(host: str, port: int, timeout: float) -> None:
    """Resolves ``host`` and opens (then closes) one TCP connection to it."""
    with socket.create_connection((host, port), timeout=timeout):
        pass


def unreachable(urls: Iterable[str], timeout: float = PROBE_SECONDS) -> str | None:
    """Why none of the hosts of ``urls`` can be reached, or None if one of them can.

    Each distinct host (or the proxy) is tried once, all at the same time, so
    the answer comes within about ``timeout`` seconds however many hosts there are.

    Args:
        urls: The URLs a download would fetch.
        timeout: Seconds allowed for name resolution and connection, for all hosts.

    Returns:
        None if at least one host accepted a connection (or there is no URL);
        otherwise a short reason naming the first host, e.g.
        ``"cannot reach example.org:443 ([Errno -2] Name or service not known)"``.
    """
    endpoints = sorted({_endpoint(url) for url in urls} - {("", 80), ("", 443)})
    if not endpoints:
        return None
    answers: queue.Queue = queue.Queue()

    def probe(endpoint: tuple[str, int]) -> None:
        try:
            _connect(*endpoint, timeout)
            answers.put((endpoint, None))
        except OSError as error:
            answers.put((endpoint, str(error) or type(error).__name__))

    # Daemon threads: a name lookup that hangs cannot be cancelled, nor may it delay exit.
    for endpoint in endpoints:
        threading.Thread(target=probe, args=(endpoint,), daemon=True).start()
    reasons = {}
    deadline = time.monotonic() + timeout + 1
    while len(reasons) < len(endpoints):
        try:
            endpoint, reason = answers.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            break
        if reason is None:
            return None
        reasons[endpoint] = reason
    host, port = endpoints[0]
    reason = reasons.get((host, port), f"no answer within {timeout:g} s")
    return f"cannot reach {host}:{port} ({reason})"
