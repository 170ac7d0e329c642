"""A signed-in session for one profile: the functions the commands and the TUI both call.

It owns the client (one keep-alive connection), keeps the tokens fresh, saves them through a
TokenStore, and turns an expired token into one refresh and one repeat of the refused call.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from tui.cognito.client import CognitoClient
from tui.cognito.endpoint import Endpoint, resolve_endpoint
from tui.cognito.errors import (
    NotAuthorizedException,
    NotSignedInError,
    StoreError,
    is_token_expired,
    is_token_revoked,
)
from tui.cognito.models import ChangeResult, CodeDelivery, User
from tui.cognito.profiles import Profile
from tui.cognito.secrets import Secret
from tui.cognito.tokens import TokenSet
from tui.cognito.wire import DEFAULT_TIMEOUT, Transport

if TYPE_CHECKING:
    from tui.cognito.signin import SignIn

T = TypeVar("T")


@dataclass(frozen=True)
class StoredCredentials:
    tokens: TokenSet | None = None
    client_secret: Secret | None = None


class TokenStore(Protocol):
    """Where a profile's secrets live between runs. Implementations: tui.store."""

    #: Said to the user: "tokens are kept in <description>".
    description: str

    def load(self, profile: str) -> StoredCredentials: ...

    def save_tokens(self, profile: str, tokens: TokenSet) -> None: ...

    def save_client_secret(self, profile: str, secret: Secret) -> None: ...

    def delete_tokens(self, profile: str) -> None:
        """Forget the tokens, keep the client secret (a session ended by Cognito)."""
        ...

    def clear(self, profile: str) -> None:
        """Forget every entry of the profile (sign-out)."""
        ...


class Session:
    def __init__(self, profile: Profile, store: TokenStore, *, endpoint: Endpoint,
                 client: CognitoClient, clock: Callable[[], float] = time.time) -> None:
        self.profile = profile
        self.store = store
        self.endpoint = endpoint
        self.client = client
        self._clock = clock
        #: Things the user should be told (a keyring that failed...), said once by the caller.
        self.notices: list[str] = []
        stored = self._stored(lambda: store.load(profile.name)) or StoredCredentials()
        self.client_secret = stored.client_secret
        self._tokens = self._own(stored.tokens)

    @classmethod
    def open(cls, profile: Profile, store: TokenStore, *, endpoint_url: str | None = None,
             env: Mapping[str, str] | None = None, transport: Transport | None = None,
             timeout: float | None = None, blocking: bool = False,
             clock: Callable[[], float] = time.time) -> Session:
        """`blocking=True`: httpx.Client, as the CLI and the TUI use (see wire.py)."""
        endpoint = resolve_endpoint(user_pool_id=profile.user_pool_id, cli_url=endpoint_url,
                                    profile_url=profile.endpoint_url, env=env)
        if transport is None:
            transport = Transport(endpoint.url, timeout=timeout or DEFAULT_TIMEOUT,
                                  blocking=blocking)
        return cls(profile, store, endpoint=endpoint,
                   client=CognitoClient(endpoint.url, transport=transport), clock=clock)

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- tokens -------------------------------------------------------------------------------

    def _stored(self, action: Callable[[], T]) -> T | None:
        """Run a store action; a failing store is a notice, and the session goes on in memory."""
        try:
            return action()
        except StoreError as exc:
            self.notices.append(f"{exc}; this session keeps its tokens in memory only")
            return None

    def _own(self, tokens: TokenSet | None) -> TokenSet | None:
        """Stored tokens are used only for the pool and client they were issued by."""
        if tokens is None:
            return None
        claims = tokens.claims
        if claims.client_id and claims.client_id != self.profile.client_id:
            return None
        if claims.issuer and claims.user_pool_id != self.profile.user_pool_id:
            return None
        return tokens

    def now(self) -> float:
        return self._clock()

    @property
    def tokens(self) -> TokenSet | None:
        return self._tokens

    @property
    def signed_in(self) -> bool:
        return self._tokens is not None

    def new_sign_in(self) -> SignIn:
        from tui.cognito.signin import SignIn  # SRP's machinery, only when signing in

        return SignIn(self.client, self.profile.user_pool_id, self.profile.client_id,
                      client_secret=self.client_secret, auth_flow=self.profile.auth_flow)

    def accept(self, tokens: TokenSet) -> None:
        """Keep the tokens of a finished sign-in, in memory and in the store."""
        self._tokens = tokens
        self._stored(lambda: self.store.save_tokens(self.profile.name, tokens))

    def set_client_secret(self, secret: Secret) -> None:
        self.client_secret = secret
        self._stored(lambda: self.store.save_client_secret(self.profile.name, secret))

    async def refresh(self) -> TokenSet:
        tokens = self._require()
        try:
            from tui.cognito.signin import refresh_tokens

            fresh = await refresh_tokens(self.client, tokens, self.profile.client_id,
                                         self.client_secret)
        except NotAuthorizedException:
            # The refresh token is revoked or expired: only a new sign-in helps.
            self._forget()
            raise NotSignedInError("the session has ended (refresh token expired or revoked); "
                                   "sign in again") from None
        self.accept(fresh)
        return fresh

    def _forget(self) -> None:
        self._tokens = None
        self._stored(lambda: self.store.delete_tokens(self.profile.name))

    def _require(self) -> TokenSet:
        if self._tokens is None:
            raise NotSignedInError(f"not signed in to profile '{self.profile.name}'")
        return self._tokens

    async def access_token(self) -> Secret:
        """A usable access token: the stored one if fresh (no network call), else refreshed."""
        tokens = self._require()
        if not tokens.is_fresh(self._clock()):
            tokens = await self.refresh()
        return tokens.access_token

    async def _authorized(self, call: Callable[[Secret], Awaitable[T]]) -> T:
        token = await self.access_token()
        try:
            return await call(token)
        except NotAuthorizedException as exc:
            if is_token_revoked(exc):
                # Signed out elsewhere (GlobalSignOut, RevokeToken): the refresh token died too.
                self._forget()
                raise NotSignedInError("the session was revoked (signed out elsewhere); "
                                       "sign in again") from None
            # Refused before doing anything, so repeating after a refresh is safe.
            if not is_token_expired(exc) or self._tokens is None:
                raise
        return await call((await self.refresh()).access_token)

    # --- what the user does -------------------------------------------------------------------

    async def get_user(self) -> User:
        return await self._authorized(self.client.get_user)

    async def set_attribute(self, name: str, value: str,
                            client_metadata: Mapping[str, str] | None = None) -> ChangeResult:
        metadata = dict(self.profile.client_metadata)
        metadata.update(client_metadata or {})
        return await self._authorized(
            lambda t: self.client.update_user_attribute(t, name, value,
                                                        client_metadata=metadata or None))

    async def verify(self, name: str, code: str) -> ChangeResult:
        return await self._authorized(
            lambda t: self.client.verify_user_attribute(t, name, code))

    async def resend(self, name: str) -> tuple[CodeDelivery | None, str | None]:
        metadata = dict(self.profile.client_metadata) or None
        return await self._authorized(
            lambda t: self.client.get_user_attribute_verification_code(
                t, name, client_metadata=metadata))

    async def delete(self, name: str) -> ChangeResult:
        return await self._authorized(
            lambda t: self.client.delete_user_attributes(t, [name]))

    async def sign_out(self, *, everywhere: bool = False) -> list[str]:
        """Revoke what can be revoked, then forget everything. Returns what could not be done.

        Local entries are always removed, even when the network fails: a sign-out that leaves
        the tokens behind would be worse than one that could not reach Cognito.
        """
        problems: list[str] = []
        tokens = self._tokens
        try:
            if tokens is not None and everywhere:
                try:
                    await self.client.global_sign_out(await self.access_token())
                except Exception as exc:  # noqa: BLE001 - reported, and local removal goes on
                    problems.append(f"global sign-out failed: {exc}")
                tokens = self._tokens
            if tokens is not None and tokens.refresh_token is not None:
                try:
                    await self.client.revoke_token(self.profile.client_id, tokens.refresh_token,
                                                   self.client_secret)
                except Exception as exc:  # noqa: BLE001
                    problems.append(f"revoking the refresh token failed: {exc}")
        finally:
            self._tokens = None
            self.client_secret = None
            self._stored(lambda: self.store.clear(self.profile.name))
        return problems
