"""Against moto's server: GlobalSignOut really revokes, and its error shapes parse."""

from __future__ import annotations

import pytest

from tests.peers import Pool, profile_for
from tui.cognito import errors
from tui.cognito.errors import NotSignedInError
from tui.cognito.secrets import Secret
from tui.cognito.session import Session
from tui.cognito.tokens import TokenSet
from tui.store.memory import MemoryStore


async def test_global_sign_out_revokes_access_and_refresh_tokens(moto_pool: Pool) -> None:
    store = MemoryStore()
    session = Session.open(profile_for(moto_pool), store)
    async with session:
        step = await session.new_sign_in().start(moto_pool.username, Secret(moto_pool.password))
        assert isinstance(step, TokenSet)
        session.accept(step)
        assert (await session.get_user()).username == moto_pool.username
        old_access = step.access_token
        await session.client.global_sign_out(old_access)
        with pytest.raises(errors.NotAuthorizedException):
            await session.client.get_user(old_access)
        # The refresh token died with it: the session ends and asks for a new sign-in.
        with pytest.raises(NotSignedInError):
            await session.refresh()
        assert store.load("moto").tokens is None


async def test_moto_error_shape_parses_and_never_echoes_the_token(moto_pool: Pool) -> None:
    session = Session.open(profile_for(moto_pool), MemoryStore())
    forged = Secret("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ")
    async with session:
        with pytest.raises(errors.CognitoError) as info:
            await session.client.get_user(forged)
    assert info.value.error_code == "NotAuthorizedException"
    assert forged.reveal() not in str(info.value)


async def test_moto_wrong_password_is_not_authorized(moto_pool: Pool) -> None:
    session = Session.open(profile_for(moto_pool), MemoryStore())
    async with session:
        with pytest.raises(errors.NotAuthorizedException):
            await session.new_sign_in().start(moto_pool.username, Secret("Wrong-passw0rd"))
