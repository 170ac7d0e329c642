"""The sandbox: a local user pool with a demo user, for trying the app with no AWS account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui.cognito.errors import SignInError
from tui.cognito.profiles import Profile
from tui.cognito.secrets import Secret
from tui.cognito.session import Session, TokenStore
from tui.cognito.tokens import TokenSet
from tui.localpool.model import Delivery
from tui.localpool.server import LocalPoolServer
from tui.localpool.userpool import LocalCognito

SANDBOX_PROFILE = "sandbox"
DEMO_USERNAME = "jane.doe"
# Not a secret: it opens a pool that lives in this process on 127.0.0.1 and nowhere else.
DEMO_PASSWORD = "Sandbox-Passw0rd!"
DEMO_ATTRIBUTES = {
    "email": "jane.doe@example.com",
    "email_verified": "true",
    "phone_number": "+15555550123",
    "phone_number_verified": "true",
    "given_name": "Jane",
    "family_name": "Doe",
    "locale": "en-GB",
    "zoneinfo": "Europe/London",
    "website": "https://example.com/people/jane-doe/a-rather-long-profile-page-address",
    "custom:department": "Customer Support",
    "custom:team": "Tier 2",
    "custom:employee_id": "E-1042",
}


@dataclass(frozen=True)
class Sandbox:
    server: LocalPoolServer
    pool_id: str
    client_id: str
    username: str = DEMO_USERNAME
    password: str = DEMO_PASSWORD

    @property
    def endpoint(self) -> str:
        return self.server.url


def delivery_line(delivery: Delivery) -> str:
    """What the sandbox shows when it 'sends' a code: the stand-in for the mail or SMS."""
    return f"sandbox: code {delivery.code} sent to {delivery.masked} ({delivery.attribute})"


def seed_demo(cognito: LocalCognito, *, keep_original: bool = False,
              access_token_seconds: int = 3600) -> tuple[str, str]:
    """Create the demo pool, app client and user; returns (pool id, client id)."""
    update = ({"AttributesRequireVerificationBeforeUpdate": ["email", "phone_number"]}
              if keep_original else {})
    pool = cognito.handle("CreateUserPool", {
        "PoolName": "cognito-tui-sandbox",
        "AutoVerifiedAttributes": ["email", "phone_number"],
        "UserAttributeUpdateSettings": update,
        "Schema": [
            {"Name": "department", "AttributeDataType": "String", "Mutable": True},
            {"Name": "team", "AttributeDataType": "String", "Mutable": True},
            {"Name": "shift", "AttributeDataType": "String", "Mutable": True},
            # Set once by HR: immutable, so it shows as read-only.
            {"Name": "employee_id", "AttributeDataType": "String", "Mutable": False},
        ],
    })["UserPool"]
    client = cognito.handle("CreateUserPoolClient", {
        "UserPoolId": pool["Id"], "ClientName": "cognito-tui-sandbox",
        "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                              "ALLOW_REFRESH_TOKEN_AUTH"],
        "AccessTokenValidity": access_token_seconds,
        "TokenValidityUnits": {"AccessToken": "seconds"},
    })["UserPoolClient"]
    cognito.handle("AdminCreateUser", {
        "UserPoolId": pool["Id"], "Username": DEMO_USERNAME, "MessageAction": "SUPPRESS",
        "UserAttributes": [{"Name": k, "Value": v} for k, v in DEMO_ATTRIBUTES.items()],
    })
    cognito.handle("AdminSetUserPassword", {"UserPoolId": pool["Id"], "Username": DEMO_USERNAME,
                                            "Password": DEMO_PASSWORD, "Permanent": True})
    return str(pool["Id"]), str(client["ClientId"])


def start_sandbox(*, port: int = 0, keep_original: bool = False,
                  on_delivery: Callable[[Delivery], None] | None = None,
                  access_token_seconds: int = 3600,
                  cognito: LocalCognito | None = None) -> Sandbox:
    cognito = cognito or LocalCognito()
    if on_delivery is not None:
        cognito.on_delivery = on_delivery
    pool_id, client_id = seed_demo(cognito, keep_original=keep_original,
                                   access_token_seconds=access_token_seconds)
    server = LocalPoolServer(cognito, port=port).start()
    return Sandbox(server, pool_id, client_id)


async def signed_in_session(sandbox: Sandbox, store: TokenStore, *,
                            keep_original: bool = False,
                            request_timeout: float | None = None) -> Session:
    """A session on the sandbox, signed in as its demo user (SRP, like any other sign-in),
    over the blocking transport the CLI and the TUI use. Callers give a memory store: the
    sandbox's tokens never go near the user's keyring."""
    profile = Profile(SANDBOX_PROFILE, sandbox.pool_id, sandbox.client_id,
                      endpoint_url=sandbox.endpoint, keep_original=keep_original)
    session = Session.open(profile, store, endpoint_url=sandbox.endpoint,
                           timeout=request_timeout,
                           blocking=True)
    step = await session.new_sign_in().start(sandbox.username, Secret(sandbox.password))
    if not isinstance(step, TokenSet):
        raise SignInError("the sandbox asked for an unexpected challenge")
    session.accept(step)
    return session
