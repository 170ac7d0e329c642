"""Short-lived test tokens, minted here: nothing real ever goes into the repository."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint_access_token(*, pool_id: str = "eu-west-1_TestPool1", client_id: str = "testclient",
                      username: str = "jane", lifetime: float = 3600, **extra: Any) -> str:
    now = time.time()
    claims = {
        "sub": str(uuid.uuid4()), "token_use": "access", "scope": "aws.cognito.signin.user.admin",
        "auth_time": int(now), "iss": f"https://cognito-idp.eu-west-1.amazonaws.com/{pool_id}",
        "exp": int(now + lifetime), "iat": int(now), "jti": str(uuid.uuid4()),
        "client_id": client_id, "username": username,
    }
    claims.update(extra)
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(claims).encode())
    sig = _b64(hmac.new(b"test-only", f"{header}.{payload}".encode(), hashlib.sha256).digest())
    return f"{header}.{payload}.{sig}"
