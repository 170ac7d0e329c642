"""The Cognito user-pool API: one typed async method per operation the app needs.

Inputs are checked against the model before sending (tui.cognito.validation); tokens go in as
Secrets and are revealed only into the request body.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

import httpx

from tui.cognito import validation as v
from tui.cognito.errors import ValidationError
from tui.cognito.models import (
    AuthResult,
    ChangeResult,
    CodeDelivery,
    User,
    parse_auth,
    parse_deliveries,
    parse_delivery,
    parse_user,
)
from tui.cognito.secrets import Secret
from tui.cognito.wire import DEFAULT_TIMEOUT, RetryPolicy, Transport

#: Changing these makes Cognito send a code, so the request must never be sent twice blindly.
CODE_SENDING_ATTRIBUTES = frozenset({"email", "phone_number"})


class CognitoClient:
    """An async client for one endpoint. Use as `async with CognitoClient(url) as client:`."""

    def __init__(
        self,
        endpoint_url: str,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: Transport | None = None,
    ) -> None:
        self.transport = transport or Transport(endpoint_url, timeout=timeout, retry=retry)

    @property
    def endpoint_url(self) -> str:
        return self.transport.endpoint_url

    async def __aenter__(self) -> CognitoClient:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def _call(self, operation: str, payload: dict[str, Any], *, repeat_safe: bool,
                    secrets: tuple[Secret | None, ...]) -> tuple[dict[str, Any], str | None]:
        response = await self.transport.call(operation, payload, repeat_safe=repeat_safe,
                                             secrets=secrets)
        return response.data, response.request_id

    # --- attributes -------------------------------------------------------------------------

    async def get_user(self, access_token: Secret) -> User:
        data, rid = await self._call("GetUser", {"AccessToken": access_token.reveal()},
                                     repeat_safe=True, secrets=(access_token,))
        return parse_user(data, rid)

    async def update_user_attribute(
        self,
        access_token: Secret,
        name: str,
        value: str,
        *,
        client_metadata: Mapping[str, str] | None = None,
    ) -> ChangeResult:
        """UpdateUserAttributes with exactly one attribute."""
        v.check_writable(name)
        v.check_attribute_value(name, value)
        payload: dict[str, Any] = {
            "UserAttributes": [{"Name": name, "Value": value}],
            "AccessToken": access_token.reveal(),
        }
        if client_metadata:
            payload["ClientMetadata"] = v.check_client_metadata(client_metadata)
        data, rid = await self._call(
            "UpdateUserAttributes", payload,
            repeat_safe=name not in CODE_SENDING_ATTRIBUTES, secrets=(access_token,))
        return ChangeResult(rid, parse_deliveries(data.get("CodeDeliveryDetailsList")))

    async def verify_user_attribute(self, access_token: Secret, name: str,
                                    code: str) -> ChangeResult:
        v.check_attribute_name(name)
        code = v.check_code(code)
        _, rid = await self._call(
            "VerifyUserAttribute",
            {"AccessToken": access_token.reveal(), "AttributeName": name, "Code": code},
            # A repeated verification counts against the attempt limit: never blindly.
            repeat_safe=False, secrets=(access_token,))
        return ChangeResult(rid)

    async def get_user_attribute_verification_code(
        self,
        access_token: Secret,
        name: str,
        *,
        client_metadata: Mapping[str, str] | None = None,
    ) -> tuple[CodeDelivery | None, str | None]:
        v.check_attribute_name(name)
        payload: dict[str, Any] = {"AccessToken": access_token.reveal(), "AttributeName": name}
        if client_metadata:
            payload["ClientMetadata"] = v.check_client_metadata(client_metadata)
        data, rid = await self._call("GetUserAttributeVerificationCode", payload,
                                     repeat_safe=False, secrets=(access_token,))
        return parse_delivery(data.get("CodeDeliveryDetails")), rid

    async def delete_user_attributes(self, access_token: Secret, names: list[str]) -> ChangeResult:
        if not names:
            raise ValidationError("name", "no attribute to delete")
        for name in names:
            v.check_writable(name)
        _, rid = await self._call(
            "DeleteUserAttributes",
            {"UserAttributeNames": names, "AccessToken": access_token.reveal()},
            repeat_safe=True, secrets=(access_token,))
        return ChangeResult(rid)

    # --- sign-in and sign-out ----------------------------------------------------------------

    async def initiate_auth(
        self,
        client_id: str,
        auth_flow: str,
        auth_parameters: Mapping[str, str],
        *,
        client_metadata: Mapping[str, str] | None = None,
        secrets: tuple[Secret | None, ...] = (),
    ) -> AuthResult:
        v.check_client_id(client_id)
        payload: dict[str, Any] = {"AuthFlow": auth_flow, "ClientId": client_id,
                                   "AuthParameters": dict(auth_parameters)}
        if client_metadata:
            payload["ClientMetadata"] = v.check_client_metadata(client_metadata)
        data, rid = await self._call("InitiateAuth", payload, repeat_safe=True,
                                     secrets=secrets)
        return parse_auth(data, rid)

    async def respond_to_auth_challenge(
        self,
        client_id: str,
        challenge_name: str,
        responses: Mapping[str, str],
        *,
        session: Secret | None,
        secrets: tuple[Secret | None, ...] = (),
    ) -> AuthResult:
        v.check_client_id(client_id)
        payload: dict[str, Any] = {"ClientId": client_id, "ChallengeName": challenge_name,
                                   "ChallengeResponses": dict(responses)}
        if session is not None:
            payload["Session"] = session.reveal()
        # A session answers once: a repeat would fail or count as a wrong answer.
        data, rid = await self._call("RespondToAuthChallenge", payload, repeat_safe=False,
                                     secrets=(session, *secrets))
        return parse_auth(data, rid)

    async def revoke_token(self, client_id: str, refresh_token: Secret,
                           client_secret: Secret | None = None) -> str | None:
        v.check_client_id(client_id)
        payload: dict[str, Any] = {"Token": refresh_token.reveal(), "ClientId": client_id}
        if client_secret is not None:
            payload["ClientSecret"] = client_secret.reveal()
        _, rid = await self._call("RevokeToken", payload, repeat_safe=True,
                                  secrets=(refresh_token, client_secret))
        return rid

    async def global_sign_out(self, access_token: Secret) -> str | None:
        _, rid = await self._call("GlobalSignOut", {"AccessToken": access_token.reveal()},
                                  repeat_safe=True, secrets=(access_token,))
        return rid
