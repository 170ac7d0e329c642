"""What only the local user pool can show: expiry, revocation, proofs, limits, faults.

Each test starts its own pool on 127.0.0.1 with a clock the test moves (no sleeping), and
seeds it through boto3's admin calls, as an administrator would.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pycognito.aws_srp import AWSSRP

from tests.peers import Pool, admin, profile_for, seed_pool, signed_in, totp
from tests.tui_harness import Clock
from tui.cognito import errors
from tui.cognito.profiles import SRP
from tui.cognito.secrets import Secret
from tui.cognito.session import Session
from tui.cognito.signin import Challenge
from tui.cognito.tokens import TokenSet
from tui.localpool.server import LocalPoolServer
from tui.localpool.userpool import LocalCognito
from tui.store.memory import MemoryStore


@dataclass
class Local:
    server: LocalPoolServer
    clock: Clock

    @property
    def url(self) -> str:
        return self.server.url

    def code(self, pool: Pool, attribute: str) -> str:
        return [d for d in self.server.cognito.outbox
                if d.username == pool.username and d.attribute == attribute][-1].code


@pytest.fixture
def local() -> Iterator[Local]:
    clock = Clock(time.time())
    with LocalPoolServer(LocalCognito(clock=clock)) as server:
        yield Local(server, clock)


async def test_expired_access_token_is_refused_then_refreshed_and_repeated(local: Local) -> None:
    pool = seed_pool(local.url)
    async with await signed_in(pool, SRP) as session:
        local.server.reset_stats()
        local.clock.now += 3601  # the server's clock only: the client still thinks it fresh
        assert (await session.get_user()).username == pool.username
        ops = local.server.stats.by_operation
        assert ops == {"GetUser": 2, "InitiateAuth": 1}  # refused, refreshed, repeated


async def test_global_sign_out_revokes_on_every_call(local: Local) -> None:
    pool = seed_pool(local.url)
    first = await signed_in(pool, SRP)
    second = await signed_in(pool, SRP)
    async with first, second:
        assert first.tokens is not None
        await first.client.global_sign_out(first.tokens.access_token)
        with pytest.raises(errors.NotAuthorizedException, match="has been revoked"):
            await first.client.get_user(first.tokens.access_token)
        with pytest.raises(errors.NotSignedInError):
            await second.get_user()  # the other device's session ends too
        assert second.tokens is None


async def test_revoke_token_ends_the_refresh_token_and_its_access_tokens(local: Local) -> None:
    pool = seed_pool(local.url)
    async with await signed_in(pool, SRP) as session:
        tokens = session.tokens
        assert tokens is not None and tokens.refresh_token is not None
        await session.client.revoke_token(pool.client_id, tokens.refresh_token)
        with pytest.raises(errors.NotAuthorizedException, match="revoked"):
            await session.client.get_user(tokens.access_token)
        with pytest.raises(errors.NotSignedInError):
            await session.refresh()


async def test_secret_hash_is_checked(local: Local) -> None:
    pool = seed_pool(local.url, secret=True)
    assert pool.client_secret
    for flow in ("USER_SRP_AUTH", "USER_PASSWORD_AUTH"):
        async with await signed_in(pool, flow) as session:
            assert (await session.get_user()).username == pool.username
            await session.refresh()  # the refresh's SECRET_HASH uses the username claim
    session = Session.open(profile_for(pool, SRP), MemoryStore())
    async with session:
        with pytest.raises(errors.NotAuthorizedException, match="secret"):
            await session.new_sign_in().start(pool.username, Secret(pool.password))
        session.client_secret = Secret("x" * 40)
        with pytest.raises(errors.NotAuthorizedException, match="secret hash"):
            await session.new_sign_in().start(pool.username, Secret(pool.password))


async def test_pycognito_signs_in_with_srp(local: Local) -> None:
    pool = seed_pool(local.url)
    client = admin(local.url)
    tokens = AWSSRP(pool.username, pool.password, pool.pool_id, pool.client_id,
                    client=client).authenticate_user()
    assert tokens["AuthenticationResult"]["AccessToken"].count(".") == 2
    with pytest.raises(client.exceptions.NotAuthorizedException):
        AWSSRP(pool.username, "Wrong-Passw0rd!", pool.pool_id, pool.client_id,
               client=client).authenticate_user()


async def test_padded_day_in_the_srp_timestamp_fails(local: Local,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    pool = seed_pool(local.url)
    monkeypatch.setattr("tui.cognito.srp.timestamp",
                        lambda now=None: "Tue Sep 05 08:06:09 UTC 2023")
    session = Session.open(profile_for(pool, SRP), MemoryStore())
    async with session:
        with pytest.raises(errors.NotAuthorizedException):
            await session.new_sign_in().start(pool.username, Secret(pool.password))


async def test_new_password_required_checks_the_policy(local: Local) -> None:
    pool = seed_pool(local.url, permanent=False)
    pool.password = "Temp-Passw0rd!"
    session = Session.open(profile_for(pool, SRP), MemoryStore())
    async with session:
        signin = session.new_sign_in()
        step = await signin.start(pool.username, Secret(pool.password))
        assert isinstance(step, Challenge) and step.name == "NEW_PASSWORD_REQUIRED"
        with pytest.raises(errors.InvalidPasswordException, match="conform to policy"):
            await signin.answer(Secret("short"))
        step = await signin.answer(Secret("Long-Enough-Passw0rd!"))
        assert isinstance(step, TokenSet)


async def test_totp_challenge(local: Local) -> None:
    pool = seed_pool(local.url)
    boto = admin(local.url)
    boto.set_user_pool_mfa_config(UserPoolId=pool.pool_id, MfaConfiguration="OPTIONAL",
                                  SoftwareTokenMfaConfiguration={"Enabled": True})
    async with await signed_in(pool, SRP) as session:
        assert session.tokens is not None
        access = session.tokens.access_token.reveal()
    secret = boto.associate_software_token(AccessToken=access)["SecretCode"]
    boto.verify_software_token(AccessToken=access, UserCode=totp(secret, local.clock.now))
    boto.set_user_mfa_preference(AccessToken=access, SoftwareTokenMfaSettings={
        "Enabled": True, "PreferredMfa": True})
    session = Session.open(profile_for(pool, SRP), MemoryStore())
    async with session:
        signin = session.new_sign_in()
        step = await signin.start(pool.username, Secret(pool.password))
        assert isinstance(step, Challenge) and step.name == "SOFTWARE_TOKEN_MFA"
        with pytest.raises(errors.CodeMismatchException):
            await signin.answer(str((int(totp(secret, local.clock.now)) + 1) % 1_000_000)
                                .zfill(6))
        step = await signin.answer(totp(secret, local.clock.now))
        assert isinstance(step, TokenSet)


async def test_codes_expire_after_24_hours(local: Local) -> None:
    pool = seed_pool(local.url)
    async with await signed_in(pool, SRP) as session:
        local.clock.now += 0  # the code is sent now
        await session.set_attribute("email", "later@example.com")
        local.clock.now += 24 * 3600 + 1
        await session.refresh()  # keep the access token valid on the moved clock
        with pytest.raises(errors.ExpiredCodeException):
            await session.verify("email", local.code(pool, "email"))
        delivery, _ = await session.resend("email")
        assert delivery is not None and delivery.destination == "l***@e***.com"
        await session.verify("email", local.code(pool, "email"))


async def test_wrong_codes_hit_the_attempt_limit(local: Local) -> None:
    pool = seed_pool(local.url)
    async with await signed_in(pool, SRP) as session:
        await session.set_attribute("email", "limit@example.com")
        right = local.code(pool, "email")
        wrong = "000000" if right != "000000" else "111111"
        for _ in range(4):
            with pytest.raises(errors.CodeMismatchException):
                await session.verify("email", wrong)
        with pytest.raises(errors.LimitExceededException):
            await session.verify("email", wrong)
        with pytest.raises(errors.LimitExceededException):
            await session.verify("email", right)  # locked out, even with the right code
        local.clock.now += 16 * 60
        await session.refresh()
        await session.verify("email", right)


async def test_alias_exists_when_another_user_verified_the_address(local: Local) -> None:
    first = seed_pool(local.url)
    second_name = "other" + first.username
    boto = admin(local.url)
    boto.admin_create_user(UserPoolId=first.pool_id, Username=second_name,
                           MessageAction="SUPPRESS", UserAttributes=[
                               {"Name": "email", "Value": "shared@example.com"},
                               {"Name": "email_verified", "Value": "true"}])
    async with await signed_in(first, SRP) as session:
        await session.set_attribute("email", "shared@example.com")
        with pytest.raises(errors.AliasExistsException):
            await session.verify("email", local.code(first, "email"))


async def test_keep_original_mode(local: Local) -> None:
    pool = seed_pool(local.url, keep_original=True)
    async with await signed_in(pool, SRP) as session:
        old = (await session.get_user()).as_dict()["email"]
        result = await session.set_attribute("email", "pending@example.com")
        assert [d.destination for d in result.deliveries] == ["p***@e***.com"]
        attrs = (await session.get_user()).as_dict()
        assert (attrs["email"], attrs["email_verified"]) == (old, "true")
        # Resend for the pending value: the same update again sends a new code.
        again = await session.set_attribute("email", "pending@example.com")
        assert len(again.deliveries) == 1
        await session.verify("email", local.code(pool, "email"))
        attrs = (await session.get_user()).as_dict()
        assert (attrs["email"], attrs["email_verified"]) == ("pending@example.com", "true")


async def test_per_client_read_and_write_permissions(local: Local) -> None:
    pool = seed_pool(local.url)
    boto = admin(local.url)
    limited = boto.create_user_pool_client(
        UserPoolId=pool.pool_id, ClientName="limited", ExplicitAuthFlows=[
            "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ReadAttributes=["email", "custom:department"], WriteAttributes=["email"])
    pool.client_id = limited["UserPoolClient"]["ClientId"]
    async with await signed_in(pool, SRP) as session:
        attrs = (await session.get_user()).as_dict()
        assert set(attrs) == {"sub", "email", "custom:department"}
        with pytest.raises(errors.NotAuthorizedException, match="unauthorized attribute"):
            await session.set_attribute("custom:department", "x")


async def test_default_write_set_excludes_verified_flags(local: Local) -> None:
    pool = seed_pool(local.url)
    async with await signed_in(pool, SRP) as session:
        with pytest.raises(errors.NotAuthorizedException, match="unauthorized attribute"):
            await session.set_attribute("email_verified", "true")


async def test_model_constraints_are_enforced_server_side(local: Local) -> None:
    pool = seed_pool(local.url)
    async with await signed_in(pool, SRP) as session:
        assert session.tokens is not None
        token = session.tokens.access_token.reveal()

    def update(name: str, value: str) -> httpx.Response:
        return httpx.post(local.url + "/", json={"AccessToken": token, "UserAttributes": [
            {"Name": name, "Value": value}]}, headers={
            "X-Amz-Target": "AWSCognitoIdentityProviderService.UpdateUserAttributes",
            "Content-Type": "application/x-amz-json-1.1"})

    too_long = update("custom:department", "a" * 2049)
    assert too_long.status_code == 400
    assert too_long.json()["__type"] == "InvalidParameterException"
    assert "less than or equal to 2048" in too_long.json()["message"]
    assert "less than or equal to 32" in update("custom:" + "a" * 26, "x").json()["message"]
    assert update("email", "not-an-email").json()["message"] == "Invalid email address format."
    assert update("custom:department", "a" * 2048).status_code == 200


# --- the fault knobs ------------------------------------------------------------------------

async def test_throttling_is_retried(local: Local) -> None:
    pool = seed_pool(local.url)
    async with await signed_in(pool, SRP) as session:
        session.client.transport._sleep = _no_wait  # backoff is tested elsewhere
        local.server.reset_stats()
        local.server.faults.throttle_next = 2
        assert (await session.get_user()).username == pool.username
        assert local.server.stats.by_operation == {"GetUser": 3}


async def test_5xx_on_an_email_change_is_not_repeated(local: Local) -> None:
    pool = seed_pool(local.url)
    async with await signed_in(pool, SRP) as session:
        local.server.reset_stats()
        local.server.faults.fail_next = 1
        local.server.faults.fail_status = 503
        with pytest.raises(errors.HttpStatusError):
            await session.set_attribute("email", "maybe@example.com")
        assert local.server.stats.by_operation == {"UpdateUserAttributes": 1}


async def test_a_dropped_connection(local: Local) -> None:
    pool = seed_pool(local.url)
    async with await signed_in(pool, SRP) as session:
        session.client.transport._sleep = _no_wait
        local.server.reset_stats()
        local.server.faults.drop_next = 1
        assert (await session.get_user()).username == pool.username  # safe: retried
        local.server.faults.drop_next = 1
        with pytest.raises(errors.NetworkError) as info:
            await session.set_attribute("email", "dropped@example.com")
        assert info.value.maybe_sent
        assert local.server.stats.by_operation == {"GetUser": 2, "UpdateUserAttributes": 1}


async def test_latency_past_the_timeout(local: Local) -> None:
    pool = seed_pool(local.url)
    async with await signed_in(pool, SRP):
        pass
    local.server.faults.latency = 0.5
    session = Session.open(profile_for(pool, SRP), MemoryStore(), timeout=0.1)
    async with session:
        session.client.transport._sleep = _no_wait
        with pytest.raises(errors.NetworkError, match="no answer in time"):
            await session.new_sign_in().start(pool.username, Secret(pool.password))


async def test_one_connection_for_a_whole_session(local: Local) -> None:
    pool = seed_pool(local.url)
    local.server.reset_stats()
    async with await signed_in(pool, SRP) as session:
        for i in range(5):
            await session.set_attribute("custom:department", f"d{i}")
        await session.get_user()
    assert local.server.stats.connections == 1
    assert local.server.stats.by_operation["UpdateUserAttributes"] == 5


async def _no_wait(_: float) -> None:
    return None


@pytest.mark.parametrize(("settings", "flow"), [
    ({"SMSMfaSettings": {"Enabled": True}}, ["SMS_MFA"]),
    ({"EmailMfaSettings": {"Enabled": True}}, ["EMAIL_OTP"]),
    ({"SMSMfaSettings": {"Enabled": True}, "EmailMfaSettings": {"Enabled": True}},
     ["SELECT_MFA_TYPE", "SMS_MFA"]),
])
async def test_sms_email_and_chosen_mfa(local: Local, settings: dict[str, Any],
                                        flow: list[str]) -> None:
    pool = seed_pool(local.url, attributes={"phone_number": "+447700900123"})
    boto = admin(local.url)
    boto.set_user_pool_mfa_config(UserPoolId=pool.pool_id, MfaConfiguration="OPTIONAL")
    async with await signed_in(pool, SRP) as session:
        assert session.tokens is not None
        boto.set_user_mfa_preference(AccessToken=session.tokens.access_token.reveal(),
                                     **settings)
    session = Session.open(profile_for(pool, SRP), MemoryStore())
    async with session:
        signin = session.new_sign_in()
        step = await signin.start(pool.username, Secret(pool.password))
        for expected in flow:
            assert isinstance(step, Challenge) and step.name == expected
            if step.kind == "choice":
                assert set(step.choices) == {"SMS_MFA", "EMAIL_OTP"}
                step = await signin.answer("SMS_MFA")
                continue
            attribute = "phone_number" if expected == "SMS_MFA" else "email"
            assert step.destination and "***" in step.destination
            with pytest.raises(errors.CodeMismatchException):
                await signin.answer("000000" if local.code(pool, attribute) != "000000"
                                    else "111111")
            step = await signin.answer(local.code(pool, attribute))
        assert isinstance(step, TokenSet)
