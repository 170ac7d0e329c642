"""JSON 1.1 over HTTP: one keep-alive connection, timeouts, bounded retries, botocore's parsing.

Every call is `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`.
The API is async throughout. The CLI and the TUI both use a blocking transport
(httpx.Client): with no event loop running (a command, under `run_blocking`, or the TUI's
start before Textual loads) a call simply blocks and the coroutine never suspends, so no
asyncio (~35 ms of imports); under the TUI's loop each call runs in a daemon thread and the
screen keeps drawing. One client, so one keep-alive connection, from the first GetUser on.
httpx.AsyncClient (the default) is there for library users and the tests.
The retry rules follow botocore's standard mode, narrowed by what must never happen twice:
a change of email or phone_number, a code resend, a challenge answer or a verification is
only repeated when the first request surely never reached the server.
"""

from __future__ import annotations

import contextlib
import json
import random
import ssl
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlsplit

import httpx

from tui import __version__
from tui.cognito.errors import (
    CognitoError,
    HttpStatusError,
    MalformedResponseError,
    NetworkError,
    TooManyRequestsException,
    error_for,
)
from tui.cognito.secrets import Secret, redact

if TYPE_CHECKING:
    import asyncio

T = TypeVar("T")

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
CONTENT_TYPE = "application/x-amz-json-1.1"


@dataclass(frozen=True)
class RetryPolicy:
    """botocore's standard mode: 3 attempts, delay rand(0,1) * min(base * 2^(n-1), cap)."""

    max_attempts: int = 3
    throttle_base: float = 1.0
    base: float = 0.05
    cap: float = 20.0

    def delay(self, attempt: int, *, throttled: bool, rand: Callable[[], float]) -> float:
        base = self.throttle_base if throttled else self.base
        return float(rand() * min(base * 2 ** (attempt - 1), self.cap))


DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)


@dataclass(frozen=True)
class WireResponse:
    data: dict[str, Any]
    request_id: str | None
    attempts: int = 1


@dataclass
class WireStats:
    """What this transport sent, for the session log and the benchmarks."""

    requests: int = 0
    by_operation: dict[str, int] = field(default_factory=dict)


class Transport:
    """Sends operations to one endpoint over one httpx client (one keep-alive connection).

    `blocking=True` uses httpx.Client, off the loop when one runs (see the module's doc).
    """

    def __init__(
        self,
        endpoint_url: str,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        blocking: bool = False,
        http_transport: httpx.AsyncBaseTransport | httpx.BaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.endpoint_url = endpoint_url
        self.retry = retry or RetryPolicy()
        self.stats = WireStats()
        self._sleep = sleep or (_pause if blocking else _loop_sleep)
        self._rand = rand
        options: dict[str, Any] = dict(
            base_url=endpoint_url,
            timeout=timeout,
            verify=_tls_context(endpoint_url),
            # One connection is all a session needs; more would only cost handshakes.
            limits=httpx.Limits(max_connections=4, max_keepalive_connections=1),
            headers={"Content-Type": CONTENT_TYPE,
                     "User-Agent": f"cognito-tui/{__version__}"},
            follow_redirects=False,
            trust_env=False,
        )
        self._http: httpx.Client | httpx.AsyncClient
        # A fault-injecting http_transport must match the mode (httpx.MockTransport does both).
        if blocking:
            self._http = httpx.Client(
                transport=cast("httpx.BaseTransport | None", http_transport), **options)
        else:
            self._http = httpx.AsyncClient(
                transport=cast("httpx.AsyncBaseTransport | None", http_transport), **options)

    async def aclose(self) -> None:
        if isinstance(self._http, httpx.Client):
            self._http.close()
        else:
            await self._http.aclose()

    async def call(
        self,
        operation: str,
        payload: dict[str, Any],
        *,
        repeat_safe: bool,
        secrets: tuple[Secret | None, ...] = (),
    ) -> WireResponse:
        """Send one operation; retry only what the rules allow. Raises CognitoTuiError."""
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        headers = {"X-Amz-Target": TARGET_PREFIX + operation}
        attempt = 0
        while True:
            attempt += 1
            error: CognitoError | NetworkError
            try:
                response = await self._send(operation, body, headers)
            except NetworkError as exc:
                error = exc
                retry = not exc.maybe_sent or repeat_safe
                throttled = False
            else:
                try:
                    data = parse_response(response.status_code, response.headers,
                                          response.content, secrets)
                except CognitoError as exc:
                    error = exc
                    throttled = isinstance(exc, TooManyRequestsException)
                    # Throttled requests were refused, so they are safe to send again.
                    retry = throttled or (exc.status >= 500 and repeat_safe)
                else:
                    return WireResponse(data, response.headers.get("x-amzn-requestid"), attempt)
            error.attempts = attempt
            if not retry or attempt >= self.retry.max_attempts:
                raise error
            await self._sleep(self.retry.delay(attempt, throttled=throttled, rand=self._rand))

    async def _send(self, operation: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
        self.stats.requests += 1
        self.stats.by_operation[operation] = self.stats.by_operation.get(operation, 0) + 1
        try:
            if isinstance(self._http, httpx.Client):
                return await _off_the_loop(self._http.post, "/", content=body,
                                           headers=headers)
            return await self._http.post("/", content=body, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # Never connected: the request surely did not reach the server.
            raise NetworkError(_network_words(exc, self.endpoint_url), maybe_sent=False) from None
        except httpx.TransportError as exc:
            # Read timeouts, resets mid-response, a server that hung up: it may have been seen.
            raise NetworkError(_network_words(exc, self.endpoint_url), maybe_sent=True) from None


async def _loop_sleep(seconds: float) -> None:
    import asyncio  # imported only where a loop already runs

    await asyncio.sleep(seconds)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    asyncio_module = sys.modules.get("asyncio")  # never imported by a command
    if asyncio_module is None:
        return None
    try:
        loop: asyncio.AbstractEventLoop = asyncio_module.get_running_loop()
    except RuntimeError:
        return None
    return loop


async def _pause(seconds: float) -> None:
    if _running_loop() is None:
        time.sleep(seconds)  # noqa: ASYNC251 - no loop to block: under run_blocking
    else:
        await _loop_sleep(seconds)


async def _off_the_loop(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A blocking call: right here when no event loop runs, else in a daemon thread, so the
    loop keeps drawing and a call stuck in a dead network never holds up quitting."""
    loop = _running_loop()
    if loop is None:
        return call(*args, **kwargs)
    answer: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if answer.cancelled():
            return  # the caller stopped waiting (the app quit, a worker was cancelled)
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(result)  # type: ignore[arg-type]

    def work() -> None:
        try:
            result, error = call(*args, **kwargs), None
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits any more
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=work, name="cognito-call", daemon=True).start()
    return await answer


def run_blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends (its I/O goes through a blocking Transport) to
    its end, without an event loop."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("a coroutine run without an event loop tried to wait on one")


def _tls_context(endpoint_url: str) -> ssl.SSLContext | bool:
    """httpx's default (certifi's CAs) for https; for a plain-http loopback endpoint, where TLS
    is never used, a context that trusts nothing, so no 20 ms go into loading the CA bundle.
    Redirects are off, so the client never leaves the endpoint's scheme."""
    if urlsplit(endpoint_url).scheme == "https":
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies, and has no CA: fails closed


def _network_words(exc: httpx.TransportError, url: str) -> str:
    kind = {
        httpx.ConnectError: "could not connect to",
        httpx.ConnectTimeout: "timed out connecting to",
        httpx.PoolTimeout: "no free connection to",
        httpx.ReadTimeout: "no answer in time from",
        httpx.WriteTimeout: "timed out sending to",
        httpx.RemoteProtocolError: "the connection broke before a full answer from",
        httpx.ReadError: "the connection was reset by",
        httpx.WriteError: "the connection broke while sending to",
    }.get(type(exc), "network error talking to")
    return f"{kind} {url}"


def parse_response(status: int, headers: httpx.Headers | dict[str, str], body: bytes,
                   secrets: tuple[Secret | None, ...] = ()) -> dict[str, Any]:
    """A successful body as a dict, or the typed error, parsed the way botocore does.

    Any bytes give a dict or a CognitoError; nothing else escapes.
    """
    hdrs = httpx.Headers(headers)
    request_id = hdrs.get("x-amzn-requestid")
    data: Any = None
    decoded = True
    if body.strip():
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            decoded = False
    if status < 300:
        if not decoded:
            raise MalformedResponseError("the answer is not JSON", status=status,
                                         request_id=request_id)
        if data is None:
            return {}  # An empty 200 is how operations without output answer.
        if not isinstance(data, dict):
            raise MalformedResponseError("the answer is JSON but not an object", status=status,
                                         request_id=request_id)
        return data

    body_obj = data if isinstance(data, dict) else {}
    code = body_obj.get("__type") or hdrs.get("x-amzn-errortype") or ""
    code = clean_error_code(code if isinstance(code, str) else "")
    message = body_obj.get("message", body_obj.get("Message", ""))
    message = redact(message if isinstance(message, str) else "", *secrets)[:500]
    if not code:
        content_type = hdrs.get("content-type", "unknown").split(";")[0]
        what = "no body" if not body.strip() else f"a {content_type} body, not Cognito's JSON"
        raise HttpStatusError(f"HTTP {status} with {what}", code=f"HTTP{status}",
                              status=status, request_id=request_id)
    raise error_for(code, message, status=status, request_id=request_id)


def clean_error_code(code: str) -> str:
    """`aws.cognito#NotAuthorizedException:http://...` -> `NotAuthorizedException`."""
    code = code.split(":", 1)[0]
    code = code.rsplit("#", 1)[-1]
    # Codes become messages and lookups; keep them short and printable.
    return "".join(ch for ch in code if ch.isalnum() or ch in "_.-")[:100]
