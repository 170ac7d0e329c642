from __future__ import annotations

import pickle
import time

import pytest

from tests.tokens import mint_access_token
from tui.cognito.errors import TokenFormatError
from tui.cognito.secrets import Secret, redact
from tui.cognito.tokens import TokenSet, decode_access_claims


def test_secret_never_shows_its_value() -> None:
    secret = Secret("hunter2-very-secret")
    for text in (repr(secret), str(secret), f"{secret}", f"{secret!r}", f"{secret:>30}",
                 repr([secret]), repr({"k": secret})):
        assert "hunter2" not in text
    assert secret.reveal() == "hunter2-very-secret"
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_token_set_repr_hides_every_token() -> None:
    access = mint_access_token()
    tokens = TokenSet(Secret(access), Secret("refresh-" + "r" * 80), Secret("id-token"))
    text = repr(tokens)
    assert access not in text and "rrrr" not in text and "id-token" not in text
    assert tokens.claims.username == "jane"


def test_claims_give_pool_region_client_and_expiry() -> None:
    token = mint_access_token(pool_id="ap-south-1_Xyz789", client_id="abc123", username="u-1",
                              lifetime=120)
    claims = decode_access_claims(Secret(token))
    assert claims.user_pool_id == "ap-south-1_Xyz789"
    assert claims.region == "ap-south-1"
    assert claims.client_id == "abc123"
    assert claims.username == "u-1"
    assert 100 < claims.seconds_left() <= 120
    assert "aws.cognito.signin.user.admin" in claims.scope


def test_freshness_uses_a_margin() -> None:
    tokens = TokenSet(Secret(mint_access_token(lifetime=90)))
    assert tokens.is_fresh()
    assert not tokens.is_fresh(time.time() + 31)  # 60 s margin


@pytest.mark.parametrize("bad", ["", "abc", "a.b", "a.!!!.c", "a.bm90IGpzb24.c",
                                 "a.WzEsMl0.c", "a.e30.c"])
def test_malformed_tokens_raise_without_echoing(bad: str) -> None:
    with pytest.raises(TokenFormatError) as info:
        decode_access_claims(Secret(bad))
    if len(bad) > 3:
        assert bad not in str(info.value)


def test_redact_removes_known_secrets_and_token_shapes() -> None:
    token = mint_access_token()
    text = f"Invalid token {token} for user; refresh {'A' * 70}; secret s3cr3t-value"
    cleaned = redact(text, Secret("s3cr3t-value"))
    assert token not in cleaned and "A" * 70 not in cleaned and "s3cr3t-value" not in cleaned
    assert cleaned.startswith("Invalid token")
