"""The commands: thin wrappers that parse nothing and call the same Session the TUI calls."""

from __future__ import annotations

import argparse
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tui.cli.output import Output, attribute_table
from tui.cognito import validation as v
from tui.cognito.errors import ConfigError, NotSignedInError, UsageError
from tui.cognito.models import CodeDelivery
from tui.cognito.profiles import Profile, ProfileFile, choose_profile_name
from tui.cognito.secrets import Secret
from tui.cognito.session import Session
from tui.cognito.tokens import TokenSet
from tui.store.choose import choose_store

if TYPE_CHECKING:  # signing in and asking are for login, configure, verify: not for get/set
    from tui.cli.prompts import Prompter
    from tui.cognito.signin import Challenge


def parse_pairs(pairs: list[str] | None, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"{what} must be KEY=VALUE, not {pair!r}")
        out[key] = value
    return out


def load_profile(args: argparse.Namespace) -> Profile:
    name = choose_profile_name(args.profile)
    profile = ProfileFile().get(name)
    if profile is None:
        raise ConfigError(f"no profile '{name}'; create it with `cognito-tui configure"
                          + ("" if name == "default" else f" --profile {name}") + "`")
    return profile


async def open_session(args: argparse.Namespace, out: Output) -> Session:
    if args.sandbox:
        from tui.cli.sandbox import sandbox_session
        from tui.localpool.sandbox import delivery_line

        _, session = await sandbox_session(args, lambda d: out.notice(delivery_line(d)))
        return session
    profile = load_profile(args)
    choice = choose_store(args.token_store, profile=profile.name)
    session = Session.open(profile, choice.store, endpoint_url=args.endpoint_url,
                           timeout=args.timeout, blocking=True)
    for notice in choice.notices:
        out.notice(notice)
    _flush_notices(session, out)
    return session


def _flush_notices(session: Session, out: Output) -> None:
    for notice in session.notices:
        out.notice(notice)
    session.notices.clear()


def _expires(tokens: TokenSet | None) -> str | None:
    if tokens is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(tokens.claims.expires_at))


def _delivery_json(d: CodeDelivery | None) -> dict[str, str] | None:
    if d is None:
        return None
    return {"destination": d.destination, "medium": d.medium, "attribute": d.attribute}


# --- configure ----------------------------------------------------------------------------

async def configure(args: argparse.Namespace, out: Output) -> int:
    from tui.cli.prompts import Prompter

    name = choose_profile_name(args.profile)
    file = ProfileFile()
    try:
        existing = file.get(name)
    except ConfigError:
        existing = None  # a broken profile is replaced, not a dead end
    prompter = Prompter(use_stdin=False)
    pool = args.user_pool_id or (existing.user_pool_id if existing else "") \
        or prompter.ask("User pool id (like eu-west-1_AbCdEf123)", "user pool id")
    client = args.client_id or (existing.client_id if existing else "") \
        or prompter.ask("App client id", "client id")
    endpoint = args.endpoint_url or (existing.endpoint_url if existing else None)
    profile = Profile(
        name=name,
        user_pool_id=pool.strip(),
        client_id=client.strip(),
        endpoint_url=endpoint,
        auth_flow=args.auth_flow or (existing.auth_flow if existing else "USER_SRP_AUTH"),
        has_client_secret=bool(args.client_secret_stdin)
        or (existing.has_client_secret if existing else False),
        client_metadata=parse_pairs(args.client_metadata, "--client-metadata")
        or (dict(existing.client_metadata) if existing else {}),
        keep_original=args.keep_original or (existing.keep_original if existing else False),
    ).validate()
    if args.client_secret_stdin:
        secret = Prompter(use_stdin=True).ask_secret("Client secret", "client secret")
        v.check_client_secret(secret.reveal())
        choice = choose_store(args.token_store)
        for notice in choice.notices:
            out.notice(notice)
        choice.store.save_client_secret(name, secret)
    file.save(profile)
    out.result({"profile": name, "path": str(file.path), "user_pool_id": profile.user_pool_id,
                "client_id": profile.client_id, "endpoint_url": profile.endpoint_url,
                "auth_flow": profile.auth_flow},
               f"profile '{name}' saved in {file.path}")
    return 0


# --- login / logout / whoami --------------------------------------------------------------

def answer_challenge(challenge: Challenge, prompter: Prompter,
                     out: Output) -> tuple[str | Secret, dict[str, str]]:
    if challenge.kind == "new_password":
        out.notice(challenge.prompt + (f" ({challenge.rules})" if challenge.rules else ""))
        password = prompter.ask_secret("New password", "new password")
        attributes = {a: prompter.ask(f"Value for {a}", a)
                      for a in challenge.required_attributes}
        return password, attributes
    if challenge.kind == "choice":
        return prompter.ask(challenge.prompt, "MFA choice").strip(), {}
    return prompter.ask(challenge.prompt, "code").strip(), {}


async def login(args: argparse.Namespace, out: Output) -> int:
    from tui.cli.prompts import Prompter
    from tui.cognito.signin import Challenge

    prompter = Prompter(use_stdin=args.password_stdin)
    async with await open_session(args, out) as session:
        if session.profile.has_client_secret and session.client_secret is None:
            secret = prompter.ask_secret("App client secret", "client secret")
            session.set_client_secret(Secret(v.check_client_secret(secret.reveal())))
        username = args.username or prompter.ask("Username", "username").strip()
        password = prompter.ask_secret("Password", "password")
        signin = session.new_sign_in()
        step = await signin.start(username, password)
        while isinstance(step, Challenge):
            value, attributes = answer_challenge(step, prompter, out)
            step = await signin.answer(value, attributes)
        session.accept(step)
        _flush_notices(session, out)
        claims = step.claims
        out.result({"profile": session.profile.name, "username": claims.username,
                    "expires_at": _expires(step), "token_store": session.store.description},
                   f"signed in as {claims.username} (profile '{session.profile.name}'); "
                   f"tokens kept in {session.store.description}")
    return 0


async def logout(args: argparse.Namespace, out: Output) -> int:
    async with await open_session(args, out) as session:
        was_signed_in = session.signed_in
        problems = await session.sign_out(everywhere=args.everywhere)
        _flush_notices(session, out)
        for problem in problems:
            out.notice(problem)
        out.result({"profile": session.profile.name, "signed_out": True,
                    "was_signed_in": was_signed_in, "everywhere": args.everywhere,
                    "problems": problems},
                   f"signed out of profile '{session.profile.name}'"
                   + (" everywhere" if args.everywhere else ""))
    return 0


async def whoami(args: argparse.Namespace, out: Output) -> int:
    async with await open_session(args, out) as session:
        tokens = session.tokens
        data: dict[str, Any] = {
            "profile": session.profile.name, "signed_in": tokens is not None,
            "user_pool_id": session.profile.user_pool_id,
            "client_id": session.profile.client_id,
            "endpoint": session.endpoint.url, "endpoint_source": session.endpoint.source,
            "token_store": session.store.description,
            "username": tokens.claims.username if tokens else None,
            "expires_at": _expires(tokens),
        }
        lines = [f"profile:     {data['profile']}",
                 f"user:        {data['username'] or '(not signed in)'}",
                 f"user pool:   {data['user_pool_id']}  client {data['client_id']}",
                 f"endpoint:    {data['endpoint']} (from {data['endpoint_source']})",
                 f"tokens kept: {data['token_store']}"]
        if tokens:
            lines.append(f"expires:     {data['expires_at']}")
        out.result(data, "\n".join(lines))
    return 0 if tokens is not None else 3


# --- attributes ---------------------------------------------------------------------------

def _require(session: Session) -> None:
    if not session.signed_in:
        raise NotSignedInError(f"not signed in to profile '{session.profile.name}'")


async def get(args: argparse.Namespace, out: Output) -> int:
    async with await open_session(args, out) as session:
        _require(session)
        user = await session.get_user()
        _flush_notices(session, out)
        attributes = user.as_dict()
        if args.names:
            missing = [n for n in args.names if n not in attributes]
            attributes = {n: attributes[n] for n in args.names if n in attributes}
            if missing:
                out.notice(f"not set: {', '.join(missing)}")
        out.result({"username": user.username, "attributes": attributes,
                    "request_id": user.request_id}, attribute_table(attributes))
    return 0


def _delivery_words(d: CodeDelivery) -> str:
    return f"{d.describe()}; confirm with `cognito-tui verify {d.attribute or 'NAME'}`"


async def set_(args: argparse.Namespace, out: Output) -> int:
    name, sep, value = args.assignment.partition("=")
    if not sep:
        raise UsageError("write the change as NAME=VALUE (an empty VALUE deletes the attribute)")
    v.check_writable(name)
    v.check_attribute_value(name, value)
    metadata = parse_pairs(args.client_metadata, "--client-metadata")
    async with await open_session(args, out) as session:
        _require(session)
        result = await session.set_attribute(name, value, metadata or None)
        _flush_notices(session, out)
        human = [f"{name} updated"] + [_delivery_words(d) for d in result.deliveries]
        out.result({"attribute": name, "value": value, "request_id": result.request_id,
                    "code_delivery": [_delivery_json(d) for d in result.deliveries]},
                   "\n".join(human))
    return 0


async def verify(args: argparse.Namespace, out: Output) -> int:
    v.check_attribute_name(args.name)
    code = args.code
    if code is None:
        from tui.cli.prompts import Prompter

        code = Prompter(use_stdin=False).ask(f"Code for {args.name}", "code")
    code = v.check_code(code)
    async with await open_session(args, out) as session:
        _require(session)
        result = await session.verify(args.name, code)
        out.result({"attribute": args.name, "verified": True, "request_id": result.request_id},
                   f"{args.name} verified")
    return 0


async def resend(args: argparse.Namespace, out: Output) -> int:
    v.check_attribute_name(args.name)
    async with await open_session(args, out) as session:
        _require(session)
        delivery, request_id = await session.resend(args.name)
        human = _delivery_words(delivery) if delivery else \
            f"a new code for {args.name} was requested (Cognito did not say where it went)"
        out.result({"attribute": args.name, "code_delivery": _delivery_json(delivery),
                    "request_id": request_id}, human)
    return 0


async def delete(args: argparse.Namespace, out: Output) -> int:
    v.check_writable(args.name)
    async with await open_session(args, out) as session:
        _require(session)
        result = await session.delete(args.name)
        out.result({"attribute": args.name, "deleted": True, "request_id": result.request_id},
                   f"{args.name} deleted")
    return 0


async def sandbox(args: argparse.Namespace, out: Output) -> int:
    from tui.cli.sandbox import serve

    return await serve(args, out)


COMMANDS: Mapping[str, Any] = {
    "configure": configure, "login": login, "logout": logout, "whoami": whoami, "get": get,
    "set": set_, "verify": verify, "resend": resend, "delete": delete, "sandbox": sandbox,
}
