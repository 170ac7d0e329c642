"""The Cognito layer end to end against cognito-local, a real peer on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.peers import FIXED_CODE, Pool, profile_for, seed_pool, signed_in, totp
from tui.cognito import errors
from tui.cognito.secrets import Secret
from tui.cognito.session import Session
from tui.cognito.signin import Challenge
from tui.cognito.tokens import TokenSet
from tui.store.memory import MemoryStore


async def test_password_sign_in_get_set_delete(cl_pool: Pool) -> None:
    async with await signed_in(cl_pool) as session:
        user = await session.get_user()
        assert user.username == cl_pool.username
        assert user.as_dict()["custom:department"] == "support"
        result = await session.set_attribute("custom:department", "tier 2")
        assert result.deliveries == ()
        assert (await session.get_user()).as_dict()["custom:department"] == "tier 2"
        await session.delete("custom:department")
        assert "custom:department" not in (await session.get_user()).as_dict()
        # Exactly one request per action, over one connection.
        assert session.client.transport.stats.by_operation["UpdateUserAttributes"] == 1


async def test_email_change_sends_a_code_and_verifies(cl_pool: Pool) -> None:
    async with await signed_in(cl_pool) as session:
        result = await session.set_attribute("email", "changed@example.com")
        [delivery] = result.deliveries
        assert delivery.attribute == "email" and delivery.medium == "EMAIL"
        attrs = (await session.get_user()).as_dict()
        assert attrs["email"] == "changed@example.com" and attrs["email_verified"] == "false"
        with pytest.raises(errors.CodeMismatchException):
            await session.verify("email", "000000")
        await session.resend("email")
        await session.verify("email", FIXED_CODE)
        assert (await session.get_user()).as_dict()["email_verified"] == "true"


async def test_keep_original_mode_keeps_the_old_email(cognito_local_url: str) -> None:
    pool = seed_pool(cognito_local_url, keep_original=True)
    async with await signed_in(pool) as session:
        old = (await session.get_user()).as_dict()["email"]
        result = await session.set_attribute("email", "pending@example.com")
        assert [d.attribute for d in result.deliveries] == ["email"]
        attrs = (await session.get_user()).as_dict()
        assert attrs["email"] == old and attrs["email_verified"] == "true"
        await session.verify("email", FIXED_CODE)
        assert (await session.get_user()).as_dict()["email"] == "pending@example.com"


async def test_unknown_and_immutable_attributes_are_refused(cl_pool: Pool) -> None:
    async with await signed_in(cl_pool) as session:
        with pytest.raises(errors.InvalidParameterException, match="schema"):
            await session.set_attribute("custom:nothere", "x")
        with pytest.raises(errors.ValidationError):
            await session.set_attribute("nothere", "x")  # caught before sending


async def test_refresh_gives_a_new_access_token(cl_pool: Pool) -> None:
    async with await signed_in(cl_pool) as session:
        before = session.tokens
        assert before is not None
        after = await session.refresh()
        assert after.refresh_token == before.refresh_token  # no rotation: the old one is kept
        assert (await session.get_user()).username == cl_pool.username


async def test_expired_token_is_refreshed_before_the_call(cl_pool: Pool) -> None:
    store = MemoryStore()
    async with await signed_in(cl_pool, store=store) as session:
        assert session.tokens is not None
        expires = session.tokens.claims.expires_at
        # A clock past the expiry: the session must refresh before calling, not send a dead token.
        session._clock = lambda: expires + 10
        await session.get_user()
        assert session.client.transport.stats.by_operation.get("InitiateAuth") == 2


async def test_wrong_password_is_refused(cl_pool: Pool) -> None:
    session = Session.open(profile_for(cl_pool), MemoryStore())
    async with session:
        with pytest.raises(errors.CognitoError) as info:
            await session.new_sign_in().start(cl_pool.username, Secret("wrong-Passw0rd"))
    # cognito-local answers InvalidPasswordException; Cognito answers NotAuthorizedException.
    assert info.value.error_code in ("NotAuthorizedException", "InvalidPasswordException")
    assert "wrong-Passw0rd" not in str(info.value)


async def test_new_password_required(cognito_local_url: str) -> None:
    pool = seed_pool(cognito_local_url, permanent=False)
    session = Session.open(profile_for(pool), MemoryStore())
    async with session:
        signin = session.new_sign_in()
        step = await signin.start(pool.username, Secret("Temp-Passw0rd!"))
        assert isinstance(step, Challenge) and step.kind == "new_password" and step.secret
        step = await signin.answer(Secret("Brand-New-Passw0rd!"))
        assert isinstance(step, TokenSet)
    # The new password now works.
    pool.password = "Brand-New-Passw0rd!"
    async with await signed_in(pool) as again:
        assert (await again.get_user()).username == pool.username


async def test_totp_mfa(cl_pool: Pool) -> None:
    admin = cl_pool.admin()
    admin.set_user_pool_mfa_config(UserPoolId=cl_pool.pool_id, MfaConfiguration="OPTIONAL",
                                   SoftwareTokenMfaConfiguration={"Enabled": True})
    session = await signed_in(cl_pool)
    assert session.tokens is not None
    access = session.tokens.access_token.reveal()
    secret = admin.associate_software_token(AccessToken=access)["SecretCode"]
    admin.verify_software_token(AccessToken=access, UserCode=totp(secret))
    admin.set_user_mfa_preference(AccessToken=access, SoftwareTokenMfaSettings={
        "Enabled": True, "PreferredMfa": True})
    await session.aclose()

    fresh = Session.open(profile_for(cl_pool), MemoryStore())
    async with fresh:
        signin = fresh.new_sign_in()
        step = await signin.start(cl_pool.username, Secret(cl_pool.password))
        assert isinstance(step, Challenge) and step.name == "SOFTWARE_TOKEN_MFA"
        assert step.kind == "code"
        step = await signin.answer(totp(secret))
        assert isinstance(step, TokenSet)
