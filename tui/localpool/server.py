"""The local user pool over HTTP: JSON 1.1 on 127.0.0.1, keep-alive, with fault knobs.

A stdlib ThreadingHTTPServer in a background thread: no dependency, and fast enough for one
person's session or a test suite. It never binds anything but a loopback address.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from tui.cognito.endpoint import is_loopback_host
from tui.localpool.model import PoolError
from tui.localpool.userpool import LocalCognito

TARGET_PREFIX = "AWSCognitoIdentityProviderService."


@dataclass
class Faults:
    """Knobs for tests: each `*_next` counts down as requests arrive."""

    latency: float = 0.0            # seconds before every answer
    throttle_next: int = 0          # TooManyRequestsException
    fail_next: int = 0              # an HTML error page with `fail_status`
    fail_status: int = 500
    drop_next: int = 0              # close the connection without an answer
    #: Raw answers for the next requests, one each: (status, body). For malformed, truncated
    #: or odd bodies that Cognito itself never sends (a proxy or a broken gateway might).
    raw_next: list[tuple[int, bytes]] = field(default_factory=list)
    cut_next: int = 0               # headers and half the body, then the connection closes
    #: Apply the `*_next` faults only to these operations (None: every operation).
    only: frozenset[str] | None = None

    def take(self, operation: str) -> str | None:
        if self.only is not None and operation not in self.only:
            return None
        if self.raw_next:
            return "raw_next"
        for kind in ("drop_next", "cut_next", "throttle_next", "fail_next"):
            left = getattr(self, kind)
            if left > 0:
                setattr(self, kind, left - 1)
                return kind
        return None


@dataclass
class Stats:
    """What arrived, counted at the server: the benchmarks and tests read it."""

    connections: int = 0
    requests: int = 0
    by_operation: dict[str, int] = field(default_factory=dict)

    def count(self, operation: str) -> None:
        self.requests += 1
        self.by_operation[operation] = self.by_operation.get(operation, 0) + 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    cognito: LocalCognito
    faults: Faults
    stats: Stats
    stats_lock: threading.Lock

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up (a timeout, a test's fault) is not worth a traceback on stderr.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a session uses one connection
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.stats_lock:
            self.server.stats.connections += 1

    def log_message(self, format: str, *args: Any) -> None:
        pass  # request lines carry nothing useful, and bodies carry tokens: log nothing

    def do_GET(self) -> None:
        if self.path == "/health":
            self._send(200, {"ok": True})
        else:
            self._send(404, {"__type": "NotFound", "message": "POST / with X-Amz-Target"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        target = self.headers.get("X-Amz-Target", "")
        operation = target.removeprefix(TARGET_PREFIX)
        server = self.server
        with server.stats_lock:
            server.stats.count(operation)
            fault = server.faults.take(operation)
            latency = server.faults.latency
        if latency:
            time.sleep(latency)  # the server is slow; it is not waiting for anything
        if fault == "drop_next":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault == "raw_next":
            with server.stats_lock:
                status, body = server.faults.raw_next.pop(0)
            self._raw(status, body, "application/x-amz-json-1.1")
            return
        if fault == "cut_next":
            # A response cut off mid-body: the change may well have been made.
            result = self._answer(operation, raw)
            body = json.dumps(result[1]).encode()
            self.send_response(result[0])
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault == "throttle_next":
            self._error(PoolError("TooManyRequestsException", "Rate exceeded"))
            return
        if fault == "fail_next":
            self._html(server.faults.fail_status)
            return
        if not target.startswith(TARGET_PREFIX):
            self._error(PoolError("UnknownOperationException", "Missing X-Amz-Target"))
            return
        status, payload = self._answer(operation, raw)
        if status == 200:
            self._send(200, payload)
        else:
            self._send(status, payload, {"x-amzn-ErrorType": f"{payload['__type']}:"})

    def _answer(self, operation: str, raw: bytes) -> tuple[int, dict[str, Any]]:
        """Run the operation: (200, result) or (status, Cognito's error body)."""
        try:
            body = json.loads(raw or b"{}")
            if not isinstance(body, dict):
                raise ValueError("not an object")
        except ValueError:
            return 400, {"__type": "SerializationException",
                         "message": "Request body is not JSON"}
        try:
            return 200, self.server.cognito.handle(operation, body)
        except PoolError as exc:
            return exc.status, {"__type": exc.code, "message": exc.message}
        except Exception:  # noqa: BLE001 - a bug in the pool must still answer like Cognito
            return 500, {"__type": "InternalErrorException", "message": "Internal error"}

    def _error(self, error: PoolError) -> None:
        self._send(error.status, {"__type": error.code, "message": error.message},
                   {"x-amzn-ErrorType": f"{error.code}:"})

    def _html(self, status: int) -> None:
        body = f"<html><body><h1>{status}</h1>Service unavailable</body></html>".encode()
        self._raw(status, body, "text/html")

    def _send(self, status: int, payload: dict[str, Any],
              headers: dict[str, str] | None = None) -> None:
        self._raw(status, json.dumps(payload).encode(), "application/x-amz-json-1.1", headers)

    def _raw(self, status: int, body: bytes, content_type: str,
             headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


class LocalPoolServer:
    """`with LocalPoolServer() as server:` serves `server.cognito` at `server.url`."""

    def __init__(self, cognito: LocalCognito | None = None, *, host: str = "127.0.0.1",
                 port: int = 0) -> None:
        if not is_loopback_host(host):
            raise ValueError("the local user pool only listens on a loopback address")
        self.cognito = cognito or LocalCognito()
        self.faults = Faults()
        self.stats = Stats()
        self._httpd = _Server((host, port), _Handler)
        self._httpd.cognito = self.cognito
        self._httpd.faults = self.faults
        self._httpd.stats = self.stats
        self._httpd.stats_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        host = str(host)
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}"

    def reset_stats(self) -> None:
        with self._httpd.stats_lock:
            self.stats.connections = 0
            self.stats.requests = 0
            self.stats.by_operation.clear()

    def start(self) -> LocalPoolServer:
        # A short poll interval: shutdown() waits for it, and tests start and stop many pools.
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        name="cognito-local-pool", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> LocalPoolServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
