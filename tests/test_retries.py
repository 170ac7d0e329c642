"""Retry policy: bounded, backing off, and never repeating what may have reached Cognito.

Faults are injected with httpx.MockTransport (faults only) and with a real socket on 127.0.0.1
that accepts and never answers.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Callable, Iterator, Mapping

import httpx
import pytest

from tests.tokens import mint_access_token
from tui.cognito import errors
from tui.cognito.client import CognitoClient
from tui.cognito.secrets import Secret
from tui.cognito.wire import RetryPolicy, Transport, run_blocking

TOKEN = Secret(mint_access_token())
USER = {"Username": "jane", "UserAttributes": [{"Name": "email", "Value": "j@example.com"}]}


class Faults:
    """Answers requests from a script of responses/exceptions, counting what was sent."""

    def __init__(self, script: list[Callable[[httpx.Request], httpx.Response]]) -> None:
        self.script = script
        self.sent: list[str] = []
        self.delays: list[float] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request.headers["X-Amz-Target"].rsplit(".", 1)[-1])
        step = self.script[min(len(self.sent), len(self.script)) - 1]
        return step(request)

    async def sleep(self, delay: float) -> None:
        self.delays.append(delay)

    def client(self, policy: RetryPolicy | None = None) -> CognitoClient:
        transport = Transport("http://127.0.0.1:1/", http_transport=httpx.MockTransport(
            self.handler), sleep=self.sleep, rand=lambda: 1.0, retry=policy)
        return CognitoClient("http://127.0.0.1:1/", transport=transport)


def ok(body: Mapping[str, object]) -> Callable[[httpx.Request], httpx.Response]:
    return lambda r: httpx.Response(200, json=body, headers={"x-amzn-RequestId": "rid-ok"})


def error(status: int, code: str) -> Callable[[httpx.Request], httpx.Response]:
    return lambda r: httpx.Response(status, json={"__type": code, "message": code})


def html(status: int) -> Callable[[httpx.Request], httpx.Response]:
    return lambda r: httpx.Response(status, text="<html>oops</html>",
                                    headers={"content-type": "text/html"})


def raise_(exc: type[Exception]) -> Callable[[httpx.Request], httpx.Response]:
    def step(request: httpx.Request) -> httpx.Response:
        raise exc("injected", request=request)  # type: ignore[call-arg]
    return step


async def test_throttling_is_retried_with_backoff_then_succeeds() -> None:
    faults = Faults([error(400, "TooManyRequestsException")] * 2 + [ok(USER)])
    async with faults.client() as client:
        user = await client.get_user(TOKEN)
    assert user.username == "jane" and user.request_id == "rid-ok"
    assert faults.sent == ["GetUser"] * 3
    assert faults.delays == [1.0, 2.0]  # base 1 s for throttling, doubled


async def test_attempts_are_bounded() -> None:
    faults = Faults([html(503)])
    async with faults.client() as client:
        with pytest.raises(errors.HttpStatusError) as info:
            await client.get_user(TOKEN)
    assert len(faults.sent) == 3 and info.value.attempts == 3
    assert faults.delays == [0.05, 0.1]


async def test_connection_refused_is_retried_even_for_an_email_change() -> None:
    faults = Faults([raise_(httpx.ConnectError), ok({"CodeDeliveryDetailsList": []})])
    async with faults.client() as client:
        await client.update_user_attribute(TOKEN, "email", "new@example.com")
    assert faults.sent == ["UpdateUserAttributes"] * 2


@pytest.mark.parametrize("fault", [html(500), html(502), error(500, "InternalErrorException"),
                                   raise_(httpx.ReadError), raise_(httpx.RemoteProtocolError),
                                   raise_(httpx.ReadTimeout)])
async def test_email_change_is_not_resent_when_it_may_have_arrived(fault: Callable[
        [httpx.Request], httpx.Response]) -> None:
    faults = Faults([fault, ok({})])
    async with faults.client() as client:
        with pytest.raises((errors.CognitoError, errors.NetworkError)):
            await client.update_user_attribute(TOKEN, "email", "new@example.com")
    assert faults.sent == ["UpdateUserAttributes"]


@pytest.mark.parametrize("code", ["CodeMismatchException", "ExpiredCodeException",
                                  "LimitExceededException", "NotAuthorizedException"])
async def test_final_errors_are_never_retried(code: str) -> None:
    faults = Faults([error(400, code)])
    async with faults.client() as client:
        with pytest.raises(errors.ERROR_CLASSES[code]):
            await client.verify_user_attribute(TOKEN, "email", "123456")
    assert len(faults.sent) == 1


async def test_custom_attribute_change_is_retried_after_a_5xx() -> None:
    faults = Faults([html(502), ok({})])
    async with faults.client() as client:
        result = await client.update_user_attribute(TOKEN, "custom:department", "ops")
    assert faults.sent == ["UpdateUserAttributes"] * 2 and result.deliveries == ()


async def test_invalid_input_sends_nothing() -> None:
    faults = Faults([ok({})])
    async with faults.client() as client:
        with pytest.raises(errors.ValidationError):
            await client.update_user_attribute(TOKEN, "sub", "x")
        with pytest.raises(errors.ValidationError):
            await client.update_user_attribute(TOKEN, "custom:x", "a" * 2049)
        with pytest.raises(errors.ValidationError):
            await client.verify_user_attribute(TOKEN, "email", "12 34")
        with pytest.raises(errors.ValidationError):
            await client.update_user_attribute(TOKEN, "department", "x")
    assert faults.sent == []


async def test_request_is_json_1_1_with_the_target_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    transport = Transport("http://127.0.0.1:1/", http_transport=httpx.MockTransport(handler))
    async with CognitoClient("http://127.0.0.1:1/", transport=transport) as client:
        await client.update_user_attribute(TOKEN, "custom:team", "blue",
                                           client_metadata={"ticket": "T-1"})
    request = seen[0]
    assert request.method == "POST" and request.url.path == "/"
    assert request.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert request.headers["X-Amz-Target"] == \
        "AWSCognitoIdentityProviderService.UpdateUserAttributes"
    assert json.loads(request.content) == {
        "UserAttributes": [{"Name": "custom:team", "Value": "blue"}],
        "AccessToken": TOKEN.reveal(), "ClientMetadata": {"ticket": "T-1"}}


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A real TCP server on 127.0.0.1 that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


async def test_a_hung_server_times_out(silent_server: str) -> None:
    transport = Transport(silent_server, timeout=httpx.Timeout(0.3, connect=1.0),
                          retry=RetryPolicy(max_attempts=2, base=0.0))
    async with CognitoClient(silent_server, transport=transport) as client:
        with pytest.raises(errors.NetworkError) as info:
            await client.get_user(TOKEN)
    assert info.value.maybe_sent and info.value.attempts == 2
    assert "no answer in time" in str(info.value)
    assert TOKEN.reveal() not in str(info.value)


async def test_a_blocking_transport_under_a_loop_never_blocks_it(silent_server: str) -> None:
    """The TUI's transport: each call in a thread, so the screen keeps drawing while a
    server hangs, and the errors are the same as the async transport's."""
    transport = Transport(silent_server, timeout=httpx.Timeout(0.3, connect=1.0),
                          retry=RetryPolicy(max_attempts=2, base=0.0), blocking=True)
    async with CognitoClient(silent_server, transport=transport) as client:
        call = asyncio.ensure_future(client.get_user(TOKEN))
        ticks = 0
        while not call.done():
            await asyncio.sleep(0.01)
            ticks += 1
        with pytest.raises(errors.NetworkError) as info:
            await call
    assert ticks >= 20  # 2 attempts x 0.3 s: the loop ran all along
    assert info.value.maybe_sent and info.value.attempts == 2


def test_a_blocking_transport_without_a_loop_just_blocks(silent_server: str) -> None:
    """The commands' transport: run_blocking drives the same coroutine, no asyncio."""
    transport = Transport(silent_server, timeout=httpx.Timeout(0.3, connect=1.0),
                          retry=RetryPolicy(max_attempts=2, base=0.0), blocking=True)
    client = CognitoClient(silent_server, transport=transport)
    with pytest.raises(errors.NetworkError) as info:
        run_blocking(client.get_user(TOKEN))
    run_blocking(client.aclose())
    assert info.value.maybe_sent and info.value.attempts == 2
