"""One scenario suite, run against the project's local user pool AND the real peers.

Where a peer differs from the local pool, the test says which behaviour is Cognito's and why,
so the local pool is never tuned to a peer's bug.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.peers import FIXED_CODE, Pool, seed_pool, signed_in
from tui.cognito import errors
from tui.cognito.profiles import Profile
from tui.cognito.secrets import Secret
from tui.cognito.session import Session
from tui.localpool.server import LocalPoolServer
from tui.store.memory import MemoryStore


@dataclass
class Peer:
    name: str
    endpoint: str
    latest_code: Callable[[Pool, str], str]
    #: What the peer implements (moto lacks verification, resend and delete).
    verifies: bool = True
    srp: bool = False


@pytest.fixture(params=["local", "cognito-local", "moto"])
def peer(request: pytest.FixtureRequest) -> Peer:
    if request.param == "local":
        server: LocalPoolServer = request.getfixturevalue("local_pool_server")

        def outbox_code(pool: Pool, attribute: str) -> str:
            sent = [d for d in server.cognito.outbox
                    if d.username == pool.username and d.attribute == attribute]
            return sent[-1].code

        return Peer("local", server.url, outbox_code, srp=True)
    if request.param == "cognito-local":
        return Peer("cognito-local", request.getfixturevalue("cognito_local_url"),
                    lambda pool, attribute: FIXED_CODE)
    return Peer("moto", request.getfixturevalue("moto_url"), lambda p, a: "",
                verifies=False)


async def test_sign_in_get_and_set_a_custom_attribute(peer: Peer) -> None:
    pool = seed_pool(peer.endpoint)
    async with await signed_in(pool) as session:
        attrs = (await session.get_user()).as_dict()
        assert attrs["email"] == f"{pool.username}@example.com"
        assert attrs["custom:department"] == "support"
        await session.set_attribute("custom:department", "escalations")
        assert (await session.get_user()).as_dict()["custom:department"] == "escalations"


async def test_srp_sign_in(peer: Peer) -> None:
    if not peer.srp:
        pytest.skip(f"{peer.name} has no USER_SRP_AUTH (cognito-local) or never checks the "
                    "proof (moto)")
    pool = seed_pool(peer.endpoint)
    async with await signed_in(pool, "USER_SRP_AUTH") as session:
        assert (await session.get_user()).username == pool.username
    profile = Profile("scenario", pool.pool_id, pool.client_id, endpoint_url=pool.endpoint)
    async with Session.open(profile, MemoryStore()) as wrong:
        with pytest.raises(errors.NotAuthorizedException, match="Incorrect username"):
            await wrong.new_sign_in().start(pool.username, Secret("Wrong-Passw0rd!"))


async def test_change_email_wrong_code_right_code_resend(peer: Peer) -> None:
    if not peer.verifies:
        pytest.skip("moto implements neither VerifyUserAttribute nor "
                    "GetUserAttributeVerificationCode")
    pool = seed_pool(peer.endpoint)
    async with await signed_in(pool) as session:
        result = await session.set_attribute("email", f"new.{pool.username}@example.org")
        [delivery] = result.deliveries
        assert (delivery.attribute, delivery.medium) == ("email", "EMAIL")
        if peer.name == "local":
            # Cognito masks the destination (developer guide: CodeDeliveryDetails); cognito-local
            # shows it whole.
            assert delivery.destination == "n***@e***.org"
        attrs = (await session.get_user()).as_dict()
        assert attrs["email"] == f"new.{pool.username}@example.org"
        assert attrs["email_verified"] == "false"

        with pytest.raises(errors.CodeMismatchException):
            await session.verify("email", "000000" if FIXED_CODE != "000000" else "111111")

        resent, _ = await session.resend("email")
        if peer.name == "local":
            # The model returns CodeDeliveryDetails from GetUserAttributeVerificationCode;
            # cognito-local answers {} (shared/notes/emulators.md).
            assert resent is not None and resent.attribute == "email"
        await session.verify("email", peer.latest_code(pool, "email"))
        assert (await session.get_user()).as_dict()["email_verified"] == "true"


async def test_delete_an_attribute(peer: Peer) -> None:
    if not peer.verifies:
        pytest.skip("moto does not implement DeleteUserAttributes")
    pool = seed_pool(peer.endpoint)
    async with await signed_in(pool) as session:
        await session.delete("custom:department")
        assert "custom:department" not in (await session.get_user()).as_dict()


async def test_unknown_attribute_is_refused(peer: Peer) -> None:
    pool = seed_pool(peer.endpoint)
    async with await signed_in(pool) as session:
        if peer.name == "moto":
            # moto accepts anything in UpdateUserAttributes (shared/notes/emulators.md); Cognito
            # refuses a name missing from the schema with InvalidParameterException.
            await session.set_attribute("custom:nothere", "x")
            return
        with pytest.raises(errors.InvalidParameterException,
                           match="Attribute does not exist in the schema"):
            await session.set_attribute("custom:nothere", "x")


async def test_immutable_attribute_is_refused(peer: Peer) -> None:
    if peer.name == "moto":
        pytest.skip("moto accepts every write, even to `sub`")
    pool = seed_pool(peer.endpoint, attributes={"custom:employee_id": "E-1"})
    async with await signed_in(pool) as session:
        with pytest.raises(errors.InvalidParameterException):
            await session.set_attribute("custom:employee_id", "E-2")
        assert (await session.get_user()).as_dict()["custom:employee_id"] == "E-1"
