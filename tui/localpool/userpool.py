"""The local user pool's behaviour: Cognito's user-side operations and a few admin ones.

Each `op_*` method takes the request's JSON object and returns the response's, or raises
PoolError with Cognito's code and message. Behaviour follows botocore's model and the notes in
shared/notes/cognito-semantics.md; where it differs from Cognito, the README says so.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import re
import secrets
import struct
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from tui.cognito import srp
from tui.localpool import jwt
from tui.localpool.model import (
    CODE_LIFETIME,
    MAX_CODE_ATTEMPTS,
    NOT_WRITABLE_BY_DEFAULT,
    SESSION_LIFETIME,
    AppClient,
    AttributeSchema,
    Delivery,
    PendingCode,
    Pool,
    PoolError,
    RefreshToken,
    SignInSession,
    User,
    default_schema,
    invalid,
    mask,
    new_id,
    new_sub,
    not_authorized,
)

Json = dict[str, Any]
_STAMP = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|"
                    r"Nov|Dec) ([1-9]|[12][0-9]|3[01]) \d\d:\d\d:\d\d UTC \d{4}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+[0-9]{4,15}")
_SCOPE = "aws.cognito.signin.user.admin"
#: After too many wrong codes, verification is refused for this long.
LOCKOUT_SECONDS = 15 * 60


def totp_code(secret_b32: str, at: float, offset: int = 0) -> str:
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", int(at // 30) + offset), hashlib.sha1).digest()
    start = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[start:start + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def _secret_hash(username: str, client_id: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _str(body: Json, key: str, *, required: bool = True) -> str:
    value = body.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise invalid(f"1 validation error detected: Value at '{_camel(key)}' failed to "
                      "satisfy constraint: Member must not be null")
    return value


def _camel(key: str) -> str:
    return key[:1].lower() + key[1:]


def _length(value: str, where: str, low: int, high: int) -> None:
    if len(value) < low:
        raise invalid(f"1 validation error detected: Value at '{where}' failed to satisfy "
                      f"constraint: Member must have length greater than or equal to {low}")
    if len(value) > high:
        raise invalid(f"1 validation error detected: Value at '{where}' failed to satisfy "
                      f"constraint: Member must have length less than or equal to {high}")


def _check_password_policy(password: str) -> None:
    problems = [
        (len(password) >= 8, "Password not long enough"),
        (any(c.islower() for c in password), "Password must have lowercase characters"),
        (any(c.isupper() for c in password), "Password must have uppercase characters"),
        (any(c.isdigit() for c in password), "Password must have numeric characters"),
        (any(not c.isalnum() for c in password), "Password must have symbol characters"),
    ]
    for ok, words in problems:
        if not ok:
            raise PoolError("InvalidPasswordException",
                            f"Password does not conform to policy: {words}")


class LocalCognito:
    """Every pool of one local server. Thread-safe: the HTTP server calls it from threads."""

    def __init__(self, *, region: str = "us-east-1", clock: Callable[[], float] = time.time,
                 on_delivery: Callable[[Delivery], None] | None = None,
                 code_factory: Callable[[], str] | None = None,
                 ids: random.Random | None = None) -> None:
        self.region = region
        self.clock = clock
        self.pools: dict[str, Pool] = {}
        self.outbox: list[Delivery] = []
        self.on_delivery = on_delivery
        #: Seeded only for pictures and snapshots, where ids and codes must not change.
        self.ids = ids
        self.code_factory = code_factory or (
            (lambda: f"{ids.randrange(1_000_000):06d}") if ids is not None
            else (lambda: f"{secrets.randbelow(1_000_000):06d}"))
        self.sessions: dict[str, SignInSession] = {}
        self.lock = threading.RLock()

    def handle(self, operation: str, body: Json) -> Json:
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", operation.replace("MFA", "Mfa")).lower()
        method = getattr(self, "op_" + snake, None)
        if method is None:
            raise PoolError("UnknownOperationException", f"Unknown operation {operation}")
        with self.lock:
            result: Json = method(body)
            return result

    # --- lookups -------------------------------------------------------------------------------

    def _pool(self, pool_id: str) -> Pool:
        pool = self.pools.get(pool_id)
        if pool is None:
            raise PoolError("ResourceNotFoundException", f"User pool {pool_id} does not exist.")
        return pool

    def _client(self, client_id: str) -> tuple[Pool, AppClient]:
        for pool in self.pools.values():
            if client_id in pool.clients:
                return pool, pool.clients[client_id]
        raise PoolError("ResourceNotFoundException",
                        f"User pool client {client_id} does not exist.")

    def _user(self, pool: Pool, username: str) -> User:
        user = pool.find_user(username)
        if user is None:
            raise PoolError("UserNotFoundException", "User does not exist.")
        return user

    def _authorize(self, body: Json) -> tuple[Pool, AppClient, User, Json]:
        """Check the access token as Cognito does on every call."""
        token = _str(body, "AccessToken")
        peeked = jwt.peek(token) or {}
        pool = self.pools.get(str(peeked.get("iss", "")).rsplit("/", 1)[-1])
        claims = jwt.decode(token, pool.signing_key) if pool else None
        if pool is None or claims is None or claims.get("token_use") != "access":
            raise not_authorized("Invalid Access Token")
        if claims.get("origin_jti") in pool.revoked_origins:
            raise not_authorized("Access Token has been revoked")
        if float(claims.get("exp", 0)) <= self.clock():
            raise not_authorized("Access Token has expired")
        if _SCOPE not in str(claims.get("scope", "")).split():
            raise not_authorized("Access Token does not have required scopes")
        client = pool.clients.get(str(claims.get("client_id")))
        user = pool.users.get(str(claims.get("username")))
        if client is None:
            raise not_authorized("Invalid Access Token")
        if user is None:
            raise PoolError("UserNotFoundException", "User does not exist.")
        if not user.enabled:
            raise not_authorized("User is disabled.")
        return pool, client, user, claims

    def _check_secret_hash(self, client: AppClient, username: str, given: str | None,
                           *also: str) -> None:
        if client.secret is None:
            return
        if not given:
            raise not_authorized(
                f"Client {client.client_id} is configured for secret but secret was not "
                "received")
        names = (username, *also)
        if not any(hmac.compare_digest(given, _secret_hash(n, client.client_id, client.secret))
                   for n in names):
            raise not_authorized(f"Unable to verify secret hash for client {client.client_id}")

    # --- attributes ----------------------------------------------------------------------------

    def _readable(self, client: AppClient, user: User) -> list[Json]:
        attrs = [{"Name": "sub", "Value": user.sub}] + [
            {"Name": n, "Value": v} for n, v in sorted(user.attributes.items())]
        if client.read_attributes is not None:
            attrs = [a for a in attrs if a["Name"] in client.read_attributes or a["Name"] == "sub"]
        return attrs

    def op_get_user(self, body: Json) -> Json:
        _, client, user, _ = self._authorize(body)
        result: Json = {"Username": user.username, "UserAttributes": self._readable(client, user)}
        if user.totp_enabled:
            result.update(UserMFASettingList=["SOFTWARE_TOKEN_MFA"],
                          PreferredMfaSetting="SOFTWARE_TOKEN_MFA")
        return result

    def _schema_for_write(self, pool: Pool, client: AppClient, name: str,
                          index: int) -> AttributeSchema:
        _length(name, f"userAttributes.{index}.member.name", 1, 32)
        schema = pool.schema.get(name)
        if schema is None:
            raise invalid(f"user.{name}: Attribute does not exist in the schema.")
        if not schema.mutable:
            raise invalid(f"user.{name}: Attribute cannot be updated. (changing an immutable "
                          "attribute)")
        writable = (name in client.write_attributes if client.write_attributes is not None
                    else name not in NOT_WRITABLE_BY_DEFAULT)
        if not writable:
            raise not_authorized("A client attempted to write unauthorized attribute")
        return schema

    def _attribute_list(self, body: Json, key: str = "UserAttributes") -> list[tuple[str, str]]:
        raw = body.get(key)
        if not isinstance(raw, list):
            raise invalid(f"1 validation error detected: Value at '{_camel(key)}' failed to "
                          "satisfy constraint: Member must not be null")
        out = []
        for i, item in enumerate(raw, 1):
            if not isinstance(item, dict) or not isinstance(item.get("Name"), str):
                raise invalid(f"Invalid attribute at position {i}")
            value = item.get("Value", "")
            if not isinstance(value, str):
                raise invalid(f"Invalid value for attribute {item['Name']}")
            _length(value, f"userAttributes.{i}.member.value", 0, 2048)
            out.append((item["Name"], value))
        return out

    def _check_format(self, schema: AttributeSchema, name: str, value: str) -> None:
        if value and name == "email" and not _EMAIL.fullmatch(value):
            raise invalid("Invalid email address format.")
        if value and name == "phone_number" and not _PHONE.fullmatch(value):
            raise invalid("Invalid phone number format.")
        if len(value) > schema.max_length:
            raise invalid(f"user.{name}: String attribute value is longer than the maximum "
                          f"length of {schema.max_length}.")
        if not value and schema.required:
            raise invalid(f"user.{name}: The attribute is required")

    def _send_code(self, pool: Pool, user: User, name: str, destination: str,
                   pending_value: str | None = None) -> Json:
        code = self.code_factory()
        previous = user.codes.get(name)
        user.codes[name] = PendingCode(code, self.clock() + CODE_LIFETIME,
                                       attempts=previous.attempts if previous else 0,
                                       pending_value=pending_value)
        delivery = self._deliver(user, name, destination, code)
        return {"Destination": delivery.masked, "DeliveryMedium": delivery.medium,
                "AttributeName": name}

    def _deliver(self, user: User, attribute: str, destination: str, code: str) -> Delivery:
        """'Send' a code: to the outbox and the embedding program, never to mail or SMS."""
        medium = "SMS" if attribute == "phone_number" else "EMAIL"
        delivery = Delivery(user.username, attribute, destination, mask(attribute, destination),
                            medium, code)
        self.outbox.append(delivery)
        if self.on_delivery is not None:
            self.on_delivery(delivery)
        return delivery

    def op_update_user_attributes(self, body: Json) -> Json:
        pool, client, user, _ = self._authorize(body)
        changes = self._attribute_list(body)
        for i, (name, value) in enumerate(changes, 1):
            self._check_format(self._schema_for_write(pool, client, name, i), name, value)
        deliveries = []
        for name, value in changes:
            delivery = self._apply(pool, user, name, value)
            if delivery is not None:
                deliveries.append(delivery)
        return {"CodeDeliveryDetailsList": deliveries}

    def _apply(self, pool: Pool, user: User, name: str, value: str) -> Json | None:
        if not value:  # an empty value deletes the attribute
            user.attributes.pop(name, None)
            if name in ("email", "phone_number"):
                user.attributes.pop(f"{name}_verified", None)
                user.codes.pop(name, None)
            return None
        if name not in ("email", "phone_number"):
            user.attributes[name] = value
            return None
        current = user.attributes.get(name)
        if name in pool.keep_original and current is not None:
            if value == current:
                user.codes.pop(name, None)  # back to the active value: nothing is pending
                return None
            # The old value stays active and verified until the new one is confirmed.
            return self._send_code(pool, user, name, value, pending_value=value)
        if value == current:
            return None  # the same value again sends no new code
        user.attributes[name] = value
        user.attributes[f"{name}_verified"] = "false"
        user.codes.pop(name, None)
        if name in pool.auto_verified:
            return self._send_code(pool, user, name, value)
        return None

    def op_verify_user_attribute(self, body: Json) -> Json:
        pool, _, user, _ = self._authorize(body)
        name = _str(body, "AttributeName")
        code = _str(body, "Code")
        _length(name, "attributeName", 1, 32)
        _length(code, "code", 1, 2048)
        if re.search(r"\s", code):
            raise invalid("1 validation error detected: Value at 'code' failed to satisfy "
                          "constraint: Member must satisfy regular expression pattern: [\\S]+")
        pending = user.codes.get(name)
        now = self.clock()
        if pending is None:
            raise PoolError("CodeMismatchException",
                            "Invalid code provided, please request a code again.")
        if pending.attempts >= MAX_CODE_ATTEMPTS:
            if now < pending.locked_until:
                raise PoolError("LimitExceededException",
                                "Attempt limit exceeded, please try after some time.")
            pending.attempts = 0
        if now > pending.expires_at:
            raise PoolError("ExpiredCodeException",
                            "Invalid code provided, please request a code again.")
        if not hmac.compare_digest(code, pending.code):
            pending.attempts += 1
            if pending.attempts >= MAX_CODE_ATTEMPTS:
                pending.locked_until = now + LOCKOUT_SECONDS
                raise PoolError("LimitExceededException",
                                "Attempt limit exceeded, please try after some time.")
            raise PoolError("CodeMismatchException",
                            "Invalid verification code provided, please try again.")
        value = pending.pending_value or user.attributes.get(name, "")
        for other in pool.users.values():
            if (other is not user and other.attributes.get(name) == value
                    and other.attributes.get(f"{name}_verified") == "true"):
                raise PoolError("AliasExistsException",
                                f"An account with the given {name} already exists.")
        if pending.pending_value is not None:
            user.attributes[name] = pending.pending_value
        user.attributes[f"{name}_verified"] = "true"
        del user.codes[name]
        return {}

    def op_get_user_attribute_verification_code(self, body: Json) -> Json:
        pool, _, user, _ = self._authorize(body)
        name = _str(body, "AttributeName")
        _length(name, "attributeName", 1, 32)
        if name not in ("email", "phone_number"):
            raise invalid(f"Cannot verify attribute {name}; only email and phone_number are "
                          "verified")
        value = user.attributes.get(name)
        if not value:
            raise invalid(f"User does not have a value for {name}")
        # Sent to the active value: in keep-original mode that is the old one, so the pending
        # change is dropped (repeat UpdateUserAttributes to resend for the new value).
        return {"CodeDeliveryDetails": self._send_code(pool, user, name, value)}

    def op_delete_user_attributes(self, body: Json) -> Json:
        pool, client, user, _ = self._authorize(body)
        names = body.get("UserAttributeNames")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise invalid("1 validation error detected: Value at 'userAttributeNames' failed "
                          "to satisfy constraint: Member must not be null")
        for i, name in enumerate(names, 1):
            schema = self._schema_for_write(pool, client, name, i)
            if schema.required:
                raise invalid(f"user.{name}: The attribute is required")
        for name in names:
            self._apply(pool, user, name, "")
        return {}

    # --- sign-in -------------------------------------------------------------------------------

    def _new_session(self, user: User, client: AppClient, stage: str, **extra: Any) -> str:
        token = base64.urlsafe_b64encode(secrets.token_bytes(96)).decode()
        self.sessions[token] = SignInSession(user.username, client.client_id,
                                             self.clock() + SESSION_LIFETIME, stage, **extra)
        return token

    def _tokens(self, pool: Pool, client: AppClient, user: User,
                origin: str | None = None, refresh: bool = True) -> Json:
        now = int(self.clock())
        origin = origin or str(uuid.uuid4())
        common = {"sub": user.sub, "iss": pool.issuer, "origin_jti": origin,
                  "event_id": str(uuid.uuid4()), "auth_time": now, "iat": now,
                  "exp": now + client.access_token_seconds}
        access = jwt.encode({**common, "client_id": client.client_id, "token_use": "access",
                             "scope": _SCOPE, "jti": str(uuid.uuid4()),
                             "username": user.username}, pool.signing_key, "access")
        id_claims = {**common, "aud": client.client_id, "token_use": "id",
                     "cognito:username": user.username, "jti": str(uuid.uuid4())}
        id_claims.update({k: v for k, v in user.attributes.items()
                          if k in ("email", "email_verified", "phone_number")})
        result: Json = {"AccessToken": access, "ExpiresIn": client.access_token_seconds,
                        "TokenType": "Bearer",
                        "IdToken": jwt.encode(id_claims, pool.signing_key, "id")}
        if refresh:
            # Opaque, about as long as Cognito's (an encrypted JWT of ~1800 characters).
            token = "rt." + base64.urlsafe_b64encode(secrets.token_bytes(1200)).decode()
            pool.refresh_tokens[token] = RefreshToken(
                token, user.username, client.client_id,
                self.clock() + client.refresh_token_seconds, origin)
            result["RefreshToken"] = token
        return {"AuthenticationResult": result, "ChallengeParameters": {}}

    def _after_password(self, pool: Pool, client: AppClient, user: User) -> Json:
        if not user.enabled:
            raise not_authorized("User is disabled.")
        if user.status == "FORCE_CHANGE_PASSWORD":
            visible = {k: v for k, v in user.attributes.items() if not k.endswith("_verified")}
            session = self._new_session(user, client, "NEW_PASSWORD_REQUIRED")
            return {"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": session,
                    "ChallengeParameters": {"USER_ID_FOR_SRP": user.username,
                                            "requiredAttributes": "[]",
                                            "userAttributes": json.dumps(visible)}}
        methods = self._mfa_methods(pool, user)
        if not methods:
            return self._tokens(pool, client, user)
        if user.preferred_mfa in methods:
            return self._mfa_challenge(pool, client, user, str(user.preferred_mfa))
        if len(methods) == 1:
            return self._mfa_challenge(pool, client, user, methods[0])
        session = self._new_session(user, client, "SELECT_MFA_TYPE")
        return {"ChallengeName": "SELECT_MFA_TYPE", "Session": session,
                "ChallengeParameters": {"USERNAME": user.username,
                                        "MFAS_CAN_CHOOSE": json.dumps(methods)}}

    @staticmethod
    def _mfa_methods(pool: Pool, user: User) -> list[str]:
        if pool.mfa == "OFF":
            return []
        methods = []
        if user.totp_enabled:
            methods.append("SOFTWARE_TOKEN_MFA")
        if user.sms_mfa_enabled and user.attributes.get("phone_number"):
            methods.append("SMS_MFA")
        if user.email_mfa_enabled and user.attributes.get("email"):
            methods.append("EMAIL_OTP")
        return methods

    def _mfa_challenge(self, pool: Pool, client: AppClient, user: User, name: str) -> Json:
        params = {"USERNAME": user.username}
        code = ""
        if name in ("SMS_MFA", "EMAIL_OTP"):
            attribute = "phone_number" if name == "SMS_MFA" else "email"
            code = self.code_factory()
            delivery = self._deliver(user, attribute, user.attributes[attribute], code)
            params.update(CODE_DELIVERY_DELIVERY_MEDIUM=delivery.medium,
                          CODE_DELIVERY_DESTINATION=delivery.masked)
        session = self._new_session(user, client, name, code=code)
        return {"ChallengeName": name, "Session": session, "ChallengeParameters": params}

    def _claimed_user(self, pool: Pool, client: AppClient, username: str,
                      params: Json) -> User | None:
        """The user a sign-in names (None if unknown), after the SECRET_HASH check, which may
        be computed over the given name or the internal one."""
        user = pool.find_user(username)
        self._check_secret_hash(client, username, params.get("SECRET_HASH"),
                                *([user.username] if user else []))
        return user

    def _check_password(self, pool: Pool, user: User | None, password: str) -> User:
        if user is None or not user.verifier:
            raise not_authorized("Incorrect username or password.")
        _, verifier = srp.make_verifier(pool.pool_id, user.username, password, user.salt)
        if not hmac.compare_digest(str(verifier), str(user.verifier)):
            raise not_authorized("Incorrect username or password.")
        return user

    def op_initiate_auth(self, body: Json) -> Json:
        pool, client = self._client(_str(body, "ClientId"))
        flow = _str(body, "AuthFlow")
        params = body.get("AuthParameters") or {}
        if not isinstance(params, dict):
            raise invalid("AuthParameters must be a map")
        if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
            return self._refresh(pool, client, params.get("REFRESH_TOKEN"),
                                 secret_hash=params.get("SECRET_HASH"))
        username = params.get("USERNAME")
        if not isinstance(username, str) or not username:
            raise invalid("Missing required parameter USERNAME")
        if flow == "USER_PASSWORD_AUTH":
            if not client.allows("USER_PASSWORD_AUTH"):
                raise invalid("USER_PASSWORD_AUTH flow not enabled for this client")
            user = self._claimed_user(pool, client, username, params)
            user = self._check_password(pool, user, str(params.get("PASSWORD", "")))
            return self._after_password(pool, client, user)
        if flow == "USER_SRP_AUTH":
            if not client.allows("USER_SRP_AUTH"):
                raise invalid("USER_SRP_AUTH is not enabled for the client.")
            srp_a = params.get("SRP_A")
            if not isinstance(srp_a, str) or not srp_a:
                raise invalid("Missing required parameter SRP_A")
            user = self._claimed_user(pool, client, username, params)
            if user is None or not user.verifier:
                raise not_authorized("Incorrect username or password.")
            server = srp.SrpServer(pool.pool_id, user.username, user.verifier)
            block = base64.b64encode(secrets.token_bytes(64)).decode()
            # Like Cognito, no Session for PASSWORD_VERIFIER: the secret block carries the state.
            self.sessions[block] = SignInSession(user.username, client.client_id,
                                                 self.clock() + SESSION_LIFETIME,
                                                 "PASSWORD_VERIFIER", srp=(server, srp_a),
                                                 secret_block=block)
            return {"ChallengeName": "PASSWORD_VERIFIER",
                    "ChallengeParameters": {
                        "SALT": user.salt, "SRP_B": format(server.big_b, "x"),
                        "SECRET_BLOCK": block, "USER_ID_FOR_SRP": user.username,
                        "USERNAME": user.username}}
        raise invalid("Initiate Auth method not supported.")

    def _refresh(self, pool: Pool, client: AppClient, token: Any, *,
                 secret_hash: Any = None, client_secret: str | None = None) -> Json:
        record = pool.refresh_tokens.get(token) if isinstance(token, str) else None
        if record is None or record.client_id != client.client_id:
            raise not_authorized("Invalid Refresh Token")
        if client_secret is not None:
            if client.secret is None or not hmac.compare_digest(client_secret, client.secret):
                raise not_authorized(f"Unable to verify secret hash for client "
                                     f"{client.client_id}")
        else:
            self._check_secret_hash(client, record.username,
                                    secret_hash if isinstance(secret_hash, str) else None)
        if record.revoked or record.origin_jti in pool.revoked_origins:
            raise not_authorized("Refresh Token has been revoked")
        if record.expires_at <= self.clock():
            raise not_authorized("Refresh Token has expired")
        user = self._user(pool, record.username)
        if not user.enabled:
            raise not_authorized("User is disabled.")
        return self._tokens(pool, client, user, origin=record.origin_jti, refresh=False)

    def op_get_tokens_from_refresh_token(self, body: Json) -> Json:
        pool, client = self._client(_str(body, "ClientId"))
        secret = body.get("ClientSecret")
        result = self._refresh(pool, client, body.get("RefreshToken"),
                               client_secret=secret if isinstance(secret, str) else None)
        return {"AuthenticationResult": result["AuthenticationResult"]}

    def op_respond_to_auth_challenge(self, body: Json) -> Json:
        pool, client = self._client(_str(body, "ClientId"))
        name = _str(body, "ChallengeName")
        responses = body.get("ChallengeResponses") or {}
        if not isinstance(responses, dict):
            raise invalid("ChallengeResponses must be a map")
        token = (str(responses.get("PASSWORD_CLAIM_SECRET_BLOCK", ""))
                 if name == "PASSWORD_VERIFIER" else _str(body, "Session", required=False))
        session = self.sessions.get(token)
        if session is None or session.client_id != client.client_id:
            raise not_authorized("Invalid session for the user.")
        if session.expires_at <= self.clock():
            self.sessions.pop(token, None)
            raise not_authorized("Invalid session for the user, session is expired.")
        if name != session.stage:
            raise invalid(f"Invalid challenge name {name}; expected {session.stage}")
        user = self._user(pool, session.username)
        self._check_secret_hash(client, str(responses.get("USERNAME", user.username)),
                                responses.get("SECRET_HASH"), user.username)
        if name == "PASSWORD_VERIFIER":
            self.sessions.pop(token, None)  # a proof is answered once, right or wrong
            self._check_proof(session, responses)
            return self._after_password(pool, client, user)
        if name == "NEW_PASSWORD_REQUIRED":
            password = str(responses.get("NEW_PASSWORD", ""))
            _check_password_policy(password)
            for key, value in responses.items():
                if key.startswith("userAttributes.") and isinstance(value, str):
                    user.attributes[key.removeprefix("userAttributes.")] = value
            user.salt, user.verifier = srp.make_verifier(pool.pool_id, user.username, password)
            user.status = "CONFIRMED"
            self.sessions.pop(token, None)
            return self._after_password(pool, client, user)
        if name == "SOFTWARE_TOKEN_MFA":
            code = str(responses.get("SOFTWARE_TOKEN_MFA_CODE", ""))
            if not self._totp_ok(user, code):
                raise PoolError("CodeMismatchException", "Invalid code received for user")
            self.sessions.pop(token, None)
            return self._tokens(pool, client, user)
        if name in ("SMS_MFA", "EMAIL_OTP"):
            code = str(responses.get(f"{name}_CODE", ""))
            if not session.code or not hmac.compare_digest(code, session.code):
                raise PoolError("CodeMismatchException",
                                "Invalid code or auth state for the user.")
            self.sessions.pop(token, None)
            return self._tokens(pool, client, user)
        if name == "SELECT_MFA_TYPE":
            choice = str(responses.get("ANSWER", ""))
            if choice not in self._mfa_methods(pool, user):
                raise invalid(f"Invalid MFA type {choice}")
            self.sessions.pop(token, None)
            return self._mfa_challenge(pool, client, user, choice)
        raise invalid(f"Challenge {name} is not supported by the local user pool")

    def _check_proof(self, session: SignInSession, responses: Json) -> None:
        server, srp_a = session.srp
        stamp = str(responses.get("TIMESTAMP", ""))
        block = str(responses.get("PASSWORD_CLAIM_SECRET_BLOCK", ""))
        signature = str(responses.get("PASSWORD_CLAIM_SIGNATURE", ""))
        if not _STAMP.fullmatch(stamp) or block != session.secret_block:
            raise not_authorized("Incorrect username or password.")
        try:
            expected = server.expected_signature(srp_a, block, stamp)
        except (ValueError, srp.SrpError):
            raise not_authorized("Incorrect username or password.") from None
        if not hmac.compare_digest(expected, signature):
            raise not_authorized("Incorrect username or password.")

    def _totp_ok(self, user: User, code: str) -> bool:
        if user.totp_secret is None:
            return False
        now = self.clock()
        return any(hmac.compare_digest(code, totp_code(user.totp_secret, now, offset))
                   for offset in (-1, 0, 1))

    # --- sign-out ------------------------------------------------------------------------------

    def op_revoke_token(self, body: Json) -> Json:
        pool, client = self._client(_str(body, "ClientId"))
        token = _str(body, "Token")
        secret = body.get("ClientSecret")
        if client.secret is not None and (not isinstance(secret, str)
                                          or not hmac.compare_digest(secret, client.secret)):
            raise PoolError("UnauthorizedException", "Client authentication failed.")
        record = pool.refresh_tokens.get(token)
        if record is None:
            if jwt.peek(token) is not None:
                raise PoolError("UnsupportedTokenTypeException",
                                "The token type is not supported.")
            return {}  # unknown tokens: nothing to do (RFC 7009)
        if record.client_id != client.client_id:
            raise PoolError("UnauthorizedException", "Client is not authorized to revoke.")
        record.revoked = True
        pool.revoked_origins.add(record.origin_jti)
        return {}

    def op_global_sign_out(self, body: Json) -> Json:
        pool, _, user, claims = self._authorize(body)
        pool.revoked_origins.add(str(claims.get("origin_jti")))
        for record in pool.refresh_tokens.values():
            if record.username == user.username:
                record.revoked = True
                pool.revoked_origins.add(record.origin_jti)
        return {}

    # --- TOTP set-up (user side) --------------------------------------------------------------

    def op_associate_software_token(self, body: Json) -> Json:
        _, _, user, _ = self._authorize(body)
        user.totp_secret = base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")
        user.totp_verified = False
        return {"SecretCode": user.totp_secret}

    def op_verify_software_token(self, body: Json) -> Json:
        _, _, user, _ = self._authorize(body)
        if not self._totp_ok(user, _str(body, "UserCode")):
            raise PoolError("EnableSoftwareTokenMFAException", "Code mismatch")
        user.totp_verified = True
        return {"Status": "SUCCESS"}

    def op_set_user_mfa_preference(self, body: Json) -> Json:
        _, _, user, _ = self._authorize(body)
        settings = body.get("SoftwareTokenMfaSettings") or {}
        if isinstance(settings, dict) and "Enabled" in settings:
            if settings["Enabled"] and not user.totp_verified:
                raise invalid("User has not verified software token mfa")
            user.totp_enabled = bool(settings["Enabled"])
            if settings.get("PreferredMfa"):
                user.preferred_mfa = "SOFTWARE_TOKEN_MFA"
        for key, method, flag in (("SMSMfaSettings", "SMS_MFA", "sms_mfa_enabled"),
                                  ("EmailMfaSettings", "EMAIL_OTP", "email_mfa_enabled")):
            other = body.get(key) or {}
            if isinstance(other, dict) and "Enabled" in other:
                setattr(user, flag, bool(other["Enabled"]))
                if other.get("PreferredMfa"):
                    user.preferred_mfa = method
        return {}

    # --- admin operations (enough for boto3 or the AWS CLI to seed the pool) -------------------

    def op_create_user_pool(self, body: Json) -> Json:
        name = _str(body, "PoolName")
        pool_id = f"{self.region}_{new_id(9, rng=self.ids)}"
        schema = default_schema()
        for item in body.get("Schema") or []:
            attr = str(item.get("Name", ""))
            full = attr if attr in schema else f"custom:{attr}"
            limits = item.get("StringAttributeConstraints") or {}
            schema[full] = AttributeSchema(
                full, mutable=bool(item.get("Mutable", True)),
                required=bool(item.get("Required", False)),
                max_length=int(limits.get("MaxLength", 2048)))
        update = body.get("UserAttributeUpdateSettings") or {}
        pool = Pool(
            pool_id, name, self.region, schema,
            auto_verified=frozenset(body.get("AutoVerifiedAttributes") or []),
            keep_original=frozenset(update.get("AttributesRequireVerificationBeforeUpdate")
                                    or []),
            username_attributes=frozenset(body.get("UsernameAttributes") or []),
            mfa=str(body.get("MfaConfiguration", "OFF")),
            created=self.clock())
        self.pools[pool_id] = pool
        return {"UserPool": self._describe_pool(pool)}

    def _describe_pool(self, pool: Pool) -> Json:
        return {"Id": pool.pool_id, "Name": pool.name, "CreationDate": pool.created,
                "LastModifiedDate": pool.created, "MfaConfiguration": pool.mfa,
                "AutoVerifiedAttributes": sorted(pool.auto_verified),
                "UserAttributeUpdateSettings": {
                    "AttributesRequireVerificationBeforeUpdate": sorted(pool.keep_original)},
                "Arn": f"arn:aws:cognito-idp:{pool.region}:000000000000:userpool/{pool.pool_id}"}

    def op_set_user_pool_mfa_config(self, body: Json) -> Json:
        pool = self._pool(_str(body, "UserPoolId"))
        pool.mfa = str(body.get("MfaConfiguration", pool.mfa))
        return {"MfaConfiguration": pool.mfa,
                "SoftwareTokenMfaConfiguration": {"Enabled": pool.mfa != "OFF"}}

    def op_create_user_pool_client(self, body: Json) -> Json:
        pool = self._pool(_str(body, "UserPoolId"))
        flows = body.get("ExplicitAuthFlows")
        units = body.get("TokenValidityUnits") or {}
        factor = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
        access = int(body.get("AccessTokenValidity", 60)) * factor[
            units.get("AccessToken", "minutes")]
        refresh = int(body.get("RefreshTokenValidity", 30)) * factor[
            units.get("RefreshToken", "days")]
        client = AppClient(
            client_id=new_id(26, "abcdefghijklmnopqrstuvwxyz0123456789", self.ids),
            name=_str(body, "ClientName"),
            secret=new_id(51, "abcdefghijklmnopqrstuvwxyz0123456789")
            if body.get("GenerateSecret") else None,
            auth_flows=frozenset(flows) if flows else AppClient.auth_flows,
            read_attributes=frozenset(body["ReadAttributes"]) if body.get("ReadAttributes")
            else None,
            write_attributes=frozenset(body["WriteAttributes"]) if body.get("WriteAttributes")
            else None,
            access_token_seconds=access, refresh_token_seconds=refresh)
        pool.clients[client.client_id] = client
        described: Json = {"UserPoolId": pool.pool_id, "ClientName": client.name,
                           "ClientId": client.client_id,
                           "ExplicitAuthFlows": sorted(client.auth_flows),
                           "AccessTokenValidity": access,
                           "TokenValidityUnits": {"AccessToken": "seconds"}}
        if client.secret:
            described["ClientSecret"] = client.secret
        return {"UserPoolClient": described}

    def op_admin_create_user(self, body: Json) -> Json:
        pool = self._pool(_str(body, "UserPoolId"))
        username = _str(body, "Username")
        _length(username, "username", 1, 128)
        if pool.find_user(username) is not None:
            raise PoolError("UsernameExistsException", "User account already exists")
        user = User(username, new_sub(self.ids), {}, status="FORCE_CHANGE_PASSWORD",
                    created=self.clock())
        for name, value in self._attribute_list(body):
            if name not in pool.schema:
                raise invalid(f"user.{name}: Attribute does not exist in the schema.")
            if name != "sub":
                user.attributes[name] = value
        temporary = body.get("TemporaryPassword")
        if isinstance(temporary, str) and temporary:
            user.salt, user.verifier = srp.make_verifier(pool.pool_id, username, temporary)
        pool.users[username] = user
        return {"User": self._describe_user(user, "Attributes")}

    def _describe_user(self, user: User, key: str = "UserAttributes") -> Json:
        return {"Username": user.username, "Enabled": user.enabled, "UserStatus": user.status,
                "UserCreateDate": user.created, "UserLastModifiedDate": user.created,
                key: [{"Name": "sub", "Value": user.sub}] + [
                    {"Name": n, "Value": v} for n, v in sorted(user.attributes.items())]}

    def op_admin_set_user_password(self, body: Json) -> Json:
        pool = self._pool(_str(body, "UserPoolId"))
        user = self._user(pool, _str(body, "Username"))
        password = _str(body, "Password")
        _check_password_policy(password)
        user.salt, user.verifier = srp.make_verifier(pool.pool_id, user.username, password)
        user.status = "CONFIRMED" if body.get("Permanent") else "FORCE_CHANGE_PASSWORD"
        return {}

    def op_admin_get_user(self, body: Json) -> Json:
        pool = self._pool(_str(body, "UserPoolId"))
        return self._describe_user(self._user(pool, _str(body, "Username")))

    def op_admin_update_user_attributes(self, body: Json) -> Json:
        pool = self._pool(_str(body, "UserPoolId"))
        user = self._user(pool, _str(body, "Username"))
        for name, value in self._attribute_list(body):
            schema = pool.schema.get(name)
            if schema is None:
                raise invalid(f"user.{name}: Attribute does not exist in the schema.")
            if name == "sub":
                raise invalid("user.sub: Attribute cannot be updated.")
            self._check_format(schema, name, value)
            if value:
                user.attributes[name] = value
            else:
                user.attributes.pop(name, None)
        return {}

    def op_admin_disable_user(self, body: Json) -> Json:
        pool = self._pool(_str(body, "UserPoolId"))
        self._user(pool, _str(body, "Username")).enabled = False
        return {}
