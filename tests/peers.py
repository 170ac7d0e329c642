"""Real Cognito emulators on 127.0.0.1 for the tests: cognito-local (npm) and moto.

Both are seeded the way an administrator would: boto3's admin calls pointed at the endpoint.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import httpx

from tui.cognito.profiles import PASSWORD as PASSWORD_FLOW
from tui.cognito.profiles import Profile
from tui.cognito.secrets import Secret
from tui.cognito.session import Session, TokenStore
from tui.cognito.tokens import TokenSet
from tui.store.memory import MemoryStore

ROOT = Path(__file__).resolve().parent.parent
COGNITO_LOCAL = ROOT / "tests/peers/node_modules/cognito-local/lib/bin/start.js"
#: cognito-local is started with CODE set, so every code it sends is this one.
FIXED_CODE = "424242"
PASSWORD = "Corr3ct-Horse!"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@functools.cache
def admin(endpoint: str) -> Any:
    """A boto3 client for the endpoint, made once: boto3 takes a tenth of a second per client."""
    return boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


@contextmanager
def run_cognito_local() -> Iterator[str]:
    if not COGNITO_LOCAL.exists():
        raise RuntimeError(
            f"cognito-local is not installed ({COGNITO_LOCAL}); run `npm ci --prefix tests/peers`")
    workdir = Path(tempfile.mkdtemp(prefix="cognito-local-"))
    (workdir / ".cognito").mkdir()
    # Without this every username must be an email (its default UsernameAttributes).
    (workdir / ".cognito" / "config.json").write_text(
        json.dumps({"UserPoolDefaults": {"UsernameAttributes": []}}))
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "CODE": FIXED_CODE}
    proc = subprocess.Popen(["node", str(COGNITO_LOCAL)], cwd=workdir, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    ready = threading.Event()
    lines: list[str] = []

    def drain() -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:  # also keeps the pipe from filling up
            line = raw.decode(errors="replace")
            lines.append(line)
            if "Cognito Local running on" in line:
                ready.set()
        ready.set()

    threading.Thread(target=drain, daemon=True).start()
    try:
        if not ready.wait(30) or proc.poll() is not None:
            raise RuntimeError("cognito-local did not start: " + "".join(lines)[-2000:])
        assert httpx.get(url + "/health", timeout=5).status_code == 200
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def run_moto() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@dataclass
class Pool:
    endpoint: str
    pool_id: str
    client_id: str
    username: str
    password: str = PASSWORD
    client_secret: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def admin(self) -> Any:
        return admin(self.endpoint)


def profile_for(pool: Pool, flow: str = PASSWORD_FLOW) -> Profile:
    """A profile for a seeded pool (USER_PASSWORD_AUTH, the flow every peer has)."""
    return Profile("test", pool.pool_id, pool.client_id, endpoint_url=pool.endpoint,
                   auth_flow=flow, has_client_secret=pool.client_secret is not None)


async def signed_in(pool: Pool, flow: str = PASSWORD_FLOW,
                    store: TokenStore | None = None) -> Session:
    """A session on a seeded pool, signed in as its user, with the client's secret if any."""
    session = Session.open(profile_for(pool, flow), store or MemoryStore())
    if pool.client_secret:
        session.client_secret = Secret(pool.client_secret)
    step = await session.new_sign_in().start(pool.username, Secret(pool.password))
    assert isinstance(step, TokenSet)
    session.accept(step)
    return session


def seed_pool(endpoint: str, *, keep_original: bool = False, secret: bool = False,
              attributes: dict[str, str] | None = None, permanent: bool = True) -> Pool:
    """A pool with custom attributes, an app client and one confirmed user."""
    client = admin(endpoint)
    kwargs: dict[str, Any] = {}
    if keep_original:
        kwargs["UserAttributeUpdateSettings"] = {
            "AttributesRequireVerificationBeforeUpdate": ["email"]}
    pool = client.create_user_pool(
        PoolName=f"p-{uuid.uuid4().hex[:8]}", AutoVerifiedAttributes=["email"],
        Schema=[
            {"Name": "department", "AttributeDataType": "String", "Mutable": True},
            {"Name": "employee_id", "AttributeDataType": "String", "Mutable": False},
        ], **kwargs)["UserPool"]
    app = client.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="cognito-tui-tests", GenerateSecret=secret,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
                           "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
    username = f"jane{uuid.uuid4().hex[:6]}"
    attrs = {"email": f"{username}@example.com", "email_verified": "true",
             "custom:department": "support"}
    attrs.update(attributes or {})
    client.admin_create_user(
        UserPoolId=pool["Id"], Username=username, MessageAction="SUPPRESS",
        TemporaryPassword="Temp-Passw0rd!",
        UserAttributes=[{"Name": k, "Value": val} for k, val in attrs.items()])
    if permanent:
        client.admin_set_user_password(UserPoolId=pool["Id"], Username=username,
                                       Password=PASSWORD, Permanent=True)
    return Pool(endpoint, pool["Id"], app["ClientId"], username,
                client_secret=app.get("ClientSecret"))


def totp(secret_b32: str, at: float | None = None) -> str:
    """RFC 6238 code (30 s, 6 digits, SHA-1), as authenticator apps make them."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8), casefold=True)
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
