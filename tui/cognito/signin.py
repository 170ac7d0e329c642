"""Sign-in as a state machine that the CLI and the TUI both drive.

`await SignIn(...).start(username, password)` returns either a TokenSet or a `Challenge`
describing what to ask for next; `await signin.answer(...)` takes the answer and returns the
next step. It never prompts by itself, so each front end asks in its own way.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from tui.cognito import validation as v
from tui.cognito.client import CognitoClient
from tui.cognito.errors import NotSignedInError, SignInError, ValidationError
from tui.cognito.models import AuthResult
from tui.cognito.profiles import AUTH_FLOWS, PASSWORD, SRP
from tui.cognito.secrets import Secret
from tui.cognito.srp import SrpClient, SrpError
from tui.cognito.tokens import TokenSet

NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED"
SOFTWARE_TOKEN_MFA = "SOFTWARE_TOKEN_MFA"
SMS_MFA = "SMS_MFA"
EMAIL_OTP = "EMAIL_OTP"
SELECT_MFA_TYPE = "SELECT_MFA_TYPE"
MFA_SETUP = "MFA_SETUP"

#: Challenge -> the ChallengeResponses key that carries the code.
_CODE_KEYS = {SOFTWARE_TOKEN_MFA: "SOFTWARE_TOKEN_MFA_CODE", SMS_MFA: "SMS_MFA_CODE",
              EMAIL_OTP: "EMAIL_OTP_CODE"}
_MFA_WORDS = {SOFTWARE_TOKEN_MFA: "authenticator app", SMS_MFA: "SMS", EMAIL_OTP: "email"}


def secret_hash(username: str, client_id: str, client_secret: Secret) -> str:
    """base64(HMAC-SHA256(key=client secret, msg=username + client id))."""
    digest = hmac.new(client_secret.reveal().encode(), (username + client_id).encode(),
                      hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass(frozen=True)
class Challenge:
    """What the user must supply next.

    `kind` is one of: "new_password" (answer with the new password and, when
    `required_attributes` is not empty, their values), "code" (an MFA code), "choice" (one of
    `choices`).
    """

    name: str
    kind: str
    prompt: str
    secret: bool = False
    choices: tuple[str, ...] = ()
    destination: str | None = None
    required_attributes: tuple[str, ...] = ()
    #: Password rules to show next to a new-password prompt, where the server tells them.
    rules: str | None = None


SignInStep = TokenSet | Challenge


@dataclass
class SignIn:
    client: CognitoClient
    user_pool_id: str
    client_id: str
    client_secret: Secret | None = None
    auth_flow: str = SRP
    client_metadata: Mapping[str, str] = field(default_factory=dict)
    _username: str = ""
    _session: Secret | None = None
    _challenge: Challenge | None = None

    def __post_init__(self) -> None:
        if self.auth_flow not in AUTH_FLOWS:
            raise SignInError(f"unknown sign-in flow {self.auth_flow!r}; use one of "
                              f"{', '.join(AUTH_FLOWS)}")

    @property
    def challenge(self) -> Challenge | None:
        return self._challenge

    def _hash(self, params: dict[str, str]) -> dict[str, str]:
        if self.client_secret is not None:
            params["SECRET_HASH"] = secret_hash(self._username, self.client_id,
                                                self.client_secret)
        return params

    async def start(self, username: str, password: Secret) -> SignInStep:
        if not username:
            raise ValidationError("username", "the user name is empty")
        if not password:
            raise ValidationError("password", "the password is empty")
        self._username = username
        secrets = (password, self.client_secret)
        if self.auth_flow == PASSWORD:
            result = await self.client.initiate_auth(
                self.client_id, PASSWORD,
                self._hash({"USERNAME": username, "PASSWORD": password.reveal()}),
                client_metadata=self.client_metadata, secrets=secrets)
            return self._next(result)
        srp = SrpClient(self.user_pool_id)
        result = await self.client.initiate_auth(
            self.client_id, SRP, self._hash({"USERNAME": username, "SRP_A": srp.srp_a_hex}),
            client_metadata=self.client_metadata, secrets=secrets)
        if result.challenge_name != "PASSWORD_VERIFIER":
            return self._next(result)
        params = result.challenge_parameters
        try:
            # Cognito answers with the internal user name (a UUID where email is the username);
            # every later message and the SECRET_HASH must use it.
            self._username = params.get("USERNAME", username)
            sig, stamp = srp.process_challenge(
                user_id=params["USER_ID_FOR_SRP"], password=password.reveal(),
                salt_hex=params["SALT"], srp_b_hex=params["SRP_B"],
                secret_block_b64=params["SECRET_BLOCK"])
        except (KeyError, ValueError, SrpError) as exc:
            raise SignInError(f"the server's PASSWORD_VERIFIER challenge is unusable: "
                              f"{type(exc).__name__}") from None
        answer = self._hash({
            "USERNAME": self._username, "TIMESTAMP": stamp,
            "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
            "PASSWORD_CLAIM_SIGNATURE": sig,
        })
        result = await self.client.respond_to_auth_challenge(
            self.client_id, "PASSWORD_VERIFIER", answer, session=result.session, secrets=secrets)
        return self._next(result)

    async def answer(self, value: str | Secret,
                     attributes: Mapping[str, str] | None = None) -> SignInStep:
        """Answer the current challenge: a new password, a code, or a choice."""
        challenge = self._challenge
        if challenge is None:
            raise SignInError("there is no challenge to answer")
        text = value.reveal() if isinstance(value, Secret) else value
        responses: dict[str, str] = {"USERNAME": self._username}
        secrets: tuple[Secret | None, ...] = (self.client_secret,)
        if challenge.kind == "new_password":
            if not text:
                raise ValidationError("new password", "the new password is empty")
            responses["NEW_PASSWORD"] = text
            secrets += (Secret(text),)
            missing = [a for a in challenge.required_attributes
                       if not (attributes or {}).get(a)]
            if missing:
                raise ValidationError("attributes", f"the pool needs {', '.join(missing)}")
            for name, val in (attributes or {}).items():
                v.check_attribute_value(name, val)
                responses[f"userAttributes.{name}"] = val
        elif challenge.kind == "code":
            responses[_CODE_KEYS[challenge.name]] = v.check_code(text)
        else:
            if text not in challenge.choices:
                raise ValidationError("choice", f"choose one of {', '.join(challenge.choices)}")
            responses["ANSWER"] = text
        result = await self.client.respond_to_auth_challenge(
            self.client_id, challenge.name, self._hash(responses), session=self._session,
            secrets=secrets)
        return self._next(result)

    def _next(self, result: AuthResult) -> SignInStep:
        if result.access_token is not None:
            self._challenge = None
            self._session = None
            return TokenSet(result.access_token, result.refresh_token, result.id_token)
        name = result.challenge_name or ""
        params = result.challenge_parameters
        self._session = result.session
        self._username = params.get("USERNAME", self._username)
        self._challenge = describe_challenge(name, params)
        return self._challenge


def describe_challenge(name: str, params: Mapping[str, str]) -> Challenge:
    """Turn a challenge name and its parameters into what to ask the user."""
    if name == NEW_PASSWORD_REQUIRED:
        required = tuple(a.removeprefix("userAttributes.")
                         for a in _json_list(params.get("requiredAttributes")))
        return Challenge(name, "new_password",
                         "Choose a new password (the pool requires a change)", secret=True,
                         required_attributes=required)
    if name in _CODE_KEYS:
        destination = params.get("CODE_DELIVERY_DESTINATION")
        prompt = {
            SOFTWARE_TOKEN_MFA: "Code from your authenticator app",
            SMS_MFA: "Code sent by SMS" + (f" to {destination}" if destination else ""),
            EMAIL_OTP: "Code sent by email" + (f" to {destination}" if destination else ""),
        }[name]
        return Challenge(name, "code", prompt, destination=destination)
    if name == SELECT_MFA_TYPE:
        choices = tuple(c for c in _json_list(params.get("MFAS_CAN_CHOOSE")) if c in _CODE_KEYS)
        choices = choices or tuple(_CODE_KEYS)
        words = ", ".join(f"{c} ({_MFA_WORDS[c]})" for c in choices)
        return Challenge(name, "choice", f"Choose how to get your code: {words}", choices=choices)
    if name == MFA_SETUP:
        raise SignInError("this user must set up MFA before signing in, which cognito-tui "
                          "cannot do: set it up in the app's own sign-in page first")
    raise SignInError(f"Cognito asks for the challenge {name or '(none)'}, which cognito-tui "
                      "does not support; sign in with an app that does, or change the app "
                      "client's settings")


def _json_list(raw: str | None) -> list[str]:
    if not raw:
        return []
    try:
        data = json.loads(raw)
    except ValueError:
        return []
    return [str(x) for x in data] if isinstance(data, list) else []


async def refresh_tokens(client: CognitoClient, tokens: TokenSet, client_id: str,
                         client_secret: Secret | None = None) -> TokenSet:
    """REFRESH_TOKEN_AUTH. Cognito returns no new refresh token unless it rotates them."""
    if tokens.refresh_token is None:
        raise NotSignedInError("no refresh token; sign in again")
    params = {"REFRESH_TOKEN": tokens.refresh_token.reveal()}
    if client_secret is not None:
        # The `username` claim, not the email alias (boto3#2736).
        params["SECRET_HASH"] = secret_hash(tokens.claims.username, client_id, client_secret)
    result = await client.initiate_auth(client_id, "REFRESH_TOKEN_AUTH", params,
                                        secrets=(tokens.refresh_token, client_secret))
    if result.access_token is None:
        raise SignInError(f"refresh answered with a challenge ({result.challenge_name})")
    return tokens.refreshed(result.access_token, result.id_token, result.refresh_token)
