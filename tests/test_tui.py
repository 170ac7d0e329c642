"""The TUI driven by Pilot at 80x24, against the local user pool over real HTTP."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from tests.peers import FIXED_CODE, Pool
from tests.tui_harness import edit, editor_open, go_to, harness, table_ready, until
from tui.app.app import CognitoApp
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.help import HelpScreen
from tui.app.screens.log import LogScreen
from tui.app.screens.setup import SetupScreen
from tui.app.screens.signin import SignInScreen
from tui.app.screens.verify import VerifyScreen
from tui.app.widgets.session_header import SessionHeader
from tui.cognito.profiles import Profile
from tui.cognito.session import Session
from tui.store.memory import MemoryStore

SIZE = (80, 24)


async def _no_wait(_: float) -> None:
    return None


def cells(screen: object, name: str) -> list[str]:
    table = screen.query_one(DataTable)  # type: ignore[attr-defined]
    return [str(c) for c in table.get_row(name)]


async def test_table_shows_every_attribute_and_the_header() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            assert cells(screen, "email") == ["email", "jane.doe@example.com", "verified"]
            assert cells(screen, "sub")[2] == "read-only"
            assert cells(screen, "email_verified")[2] == "read-only"
            assert cells(screen, "website")[1].endswith("…")  # long values are shortened
            header = str(screen.query_one(SessionHeader).render())
            assert "jane.doe" in header and h.sandbox.pool_id in header
            assert "memory only" in header and "expires" in header
            # Start-up made exactly one call after signing in: GetUser.
            assert h.server.stats.by_operation["GetUser"] == 1


async def test_sign_in_screen_wrong_then_right_password() -> None:
    with harness() as h:
        app = h.app(signed_in=False)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, SignInScreen))
            password = app.screen.query_one("#password", Input)
            assert password.password  # never echoed
            await pilot.press(*"jane.doe", "enter", *"Wrong-Passw0rd!", "enter")
            message = app.screen.query_one("#message", Static)
            await until(pilot, lambda: "Incorrect username or password" in str(
                message.render()))
            await pilot.press("ctrl+u", *h.sandbox.password, "enter")
            await table_ready(pilot)


async def test_new_password_challenge() -> None:
    with harness() as h:
        h.server.cognito.handle("AdminCreateUser", {
            "UserPoolId": h.sandbox.pool_id, "Username": "new.hire",
            "TemporaryPassword": "Temp-Passw0rd!", "MessageAction": "SUPPRESS",
            "UserAttributes": [{"Name": "email", "Value": "new.hire@example.com"}]})
        app = h.app(signed_in=False)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, SignInScreen))
            await pilot.press(*"new.hire", "enter", *"Temp-Passw0rd!", "enter")
            prompt = app.screen.query_one("#prompt", Static)
            await until(pilot, lambda: "new password" in str(prompt.render()).lower())
            assert "Rules:" in str(prompt.render())
            assert app.screen.query_one("#answer", Input).password
            await pilot.press(*"short", "enter")
            message = app.screen.query_one("#message", Static)
            await until(pilot, lambda: "conform to policy" in str(message.render()))
            await pilot.press("ctrl+u", *"A-Much-Better-Passw0rd", "enter")
            screen = await table_ready(pilot)
            assert screen.book.username == "new.hire"


async def test_totp_challenge() -> None:
    from tests.peers import totp

    with harness() as h:
        cognito = h.server.cognito
        access = await h.access_token()
        secret = cognito.handle("AssociateSoftwareToken", {"AccessToken": access})["SecretCode"]
        cognito.handle("VerifySoftwareToken", {"AccessToken": access,
                                               "UserCode": totp(secret, h.clock.now)})
        cognito.handle("SetUserMFAPreference", {"AccessToken": access,
                                                "SoftwareTokenMfaSettings": {"Enabled": True}})
        cognito.handle("SetUserPoolMfaConfig", {"UserPoolId": h.sandbox.pool_id,
                                                "MfaConfiguration": "OPTIONAL"})
        app = h.app(signed_in=False)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, SignInScreen))
            await pilot.press(*"jane.doe", "enter", *h.sandbox.password, "enter")
            prompt = app.screen.query_one("#prompt", Static)
            await until(pilot, lambda: "authenticator" in str(prompt.render()))
            await pilot.press(*totp(secret, h.clock.now), "enter")
            await table_ready(pilot)


async def test_first_run_asks_for_the_pool_and_saves_the_profile() -> None:
    with harness() as h:
        saved: list[Profile] = []

        def open_session(profile: Profile) -> Session:
            saved.append(profile)
            return Session.open(profile, MemoryStore(), blocking=True)

        app = CognitoApp(None, profile_name="work", open_session=open_session, theme="ansi-dark")
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, SetupScreen))
            await pilot.press(*"not-a-pool", "enter", *h.sandbox.client_id, "enter",
                              *h.sandbox.endpoint, "enter")
            message = app.screen.query_one("#message", Static)
            await until(pilot, lambda: "not a user pool id" in str(message.render()))
            app.screen.query_one("#pool", Input).focus()
            await pilot.press("ctrl+u", *h.sandbox.pool_id, "enter", "enter", "enter")
            await until(pilot, lambda: isinstance(app.screen, SignInScreen))
            assert saved[0].user_pool_id == h.sandbox.pool_id and saved[0].name == "work"


async def test_edit_a_custom_attribute_sends_exactly_one_update() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            await go_to(pilot, screen, "custom:team")
            await pilot.press("enter")
            await until(pilot, lambda: editor_open(app))
            await pilot.press("ctrl+u", *"Tier 3", "enter")
            await until(pilot, lambda: cells(screen, "custom:team")[1] == "Tier 3"
                        and screen.book.rows["custom:team"].state == "")
            assert h.server.stats.by_operation["UpdateUserAttributes"] == 1
            assert h.server_user()["custom:team"] == "Tier 3"


async def test_editor_speaks_before_anything_is_sent() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            await edit(pilot, screen, "email", "not-an-email")
            problem = app.screen.query_one("#problem", Static)
            assert "not an email address" in str(problem.render())
            assert editor_open(app)
            await pilot.press("escape")
            assert "UpdateUserAttributes" not in h.server.stats.by_operation
            # An emptied field never deletes by accident: that is what `d` (with a question)
            # is for.
            await go_to(pilot, screen, "custom:team")
            await pilot.press("e")
            await until(pilot, lambda: editor_open(app))
            await pilot.press("ctrl+u", "enter")
            assert "d deletes" in str(app.screen.query_one("#problem", Static).render())
            assert editor_open(app)
            await pilot.press("escape")
            assert "UpdateUserAttributes" not in h.server.stats.by_operation
            assert h.server_user()["custom:team"] == "Tier 2"


async def test_change_email_wrong_code_then_right_code() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            await edit(pilot, screen, "email", "jd@example.org")
            await until(pilot, lambda: isinstance(app.screen, VerifyScreen))
            where = str(app.screen.query_one("#where", Static).render())
            assert "by email to j***@e***.org" in where
            assert cells(screen, "email")[2] == "pending code"
            assert h.server_user()["email_verified"] == "false"
            wrong = "000000" if h.code("email") != "000000" else "111111"
            await pilot.press(*wrong, "enter")
            message = app.screen.query_one("#message", Static)
            await until(pilot, lambda: "wrong" in str(message.render()))
            await pilot.press(*h.code("email"), "enter")
            await until(pilot, lambda: not isinstance(app.screen, VerifyScreen))
            assert cells(screen, "email") == ["email", "jd@example.org", "verified"]
            assert h.server_user()["email_verified"] == "true"
            assert h.server.stats.by_operation["VerifyUserAttribute"] == 2


async def test_resend_then_later_then_v() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            await edit(pilot, screen, "phone_number", "+447700900123")
            await until(pilot, lambda: isinstance(app.screen, VerifyScreen))
            first = h.code("phone_number")
            app.screen.query_one("#resend").focus()
            await pilot.press("enter")
            message = app.screen.query_one("#message", Static)
            await until(pilot, lambda: "new code" in str(message.render()))
            assert h.server.stats.by_operation["GetUserAttributeVerificationCode"] == 1
            assert len([d for d in h.deliveries if d.attribute == "phone_number"]) == 2
            await pilot.press("escape")  # Later
            await until(pilot, lambda: not isinstance(app.screen, VerifyScreen))
            assert cells(screen, "phone_number")[2] == "pending code"
            await pilot.press("v")
            await until(pilot, lambda: isinstance(app.screen, VerifyScreen))
            assert h.code("phone_number") != first or True  # a fresh code replaces the old
            await pilot.press(*h.code("phone_number"), "enter")
            await until(pilot, lambda: not isinstance(app.screen, VerifyScreen))
            assert cells(screen, "phone_number")[2] == "verified"


async def test_keep_original_mode_shows_the_pending_value() -> None:
    with harness(keep_original=True) as h:
        app = h.app(keep_original=True)
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            await edit(pilot, screen, "email", "jd@example.org")
            await until(pilot, lambda: isinstance(app.screen, VerifyScreen))
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, VerifyScreen))
            assert cells(screen, "email")[1].startswith("jane.doe@example.com → jd@")
            assert h.server_user()["email"] == "jane.doe@example.com"  # Cognito kept it
            await pilot.press("v")
            await until(pilot, lambda: isinstance(app.screen, VerifyScreen))
            app.screen.query_one("#resend").focus()
            await pilot.press("enter")  # keep-original: the update is repeated
            await until(pilot, lambda: h.server.stats.by_operation["UpdateUserAttributes"] == 2)
            assert "GetUserAttributeVerificationCode" not in h.server.stats.by_operation
            app.screen.query_one("#code").focus()
            await pilot.press(*h.code("email"), "enter")
            await until(pilot, lambda: not isinstance(app.screen, VerifyScreen))
            assert cells(screen, "email") == ["email", "jd@example.org", "verified"]


async def test_delete_asks_first() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            await go_to(pilot, screen, "custom:team")
            await pilot.press("d")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("enter")  # the focused answer is No
            await until(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
            assert "DeleteUserAttributes" not in h.server.stats.by_operation
            await pilot.press("d")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await until(pilot, lambda: "custom:team" not in screen.book.rows)
            assert "custom:team" not in h.server_user()
            assert h.server.stats.by_operation["DeleteUserAttributes"] == 1


async def test_failed_update_keeps_the_typed_value_and_r_retries() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            screen.session.client.transport._sleep = _no_wait
            h.server.faults.fail_next = 3  # every attempt of the first save fails
            await edit(pilot, screen, "custom:department", "Night Support")
            await until(pilot, lambda: screen.book.rows["custom:department"].state == "failed")
            assert cells(screen, "custom:department")[1] == "Night Support"
            assert cells(screen, "custom:department")[2].startswith("failed")
            detail = str(screen.query_one("#detail", Static).render())
            assert "HTTP 500" in detail and "r retries" in detail
            assert h.server_user()["custom:department"] == "Customer Support"
            await pilot.press("r")
            await until(pilot, lambda: screen.book.rows["custom:department"].state == "")
            assert h.server_user()["custom:department"] == "Night Support"
            assert h.server.stats.by_operation["UpdateUserAttributes"] == 4


async def test_refused_attribute_becomes_read_only() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            await edit(pilot, screen, "custom:employee_id", "E-9")
            await until(pilot, lambda: screen.book.rows["custom:employee_id"].refused)
            assert screen.book.rows["custom:employee_id"].read_only
            await pilot.press("e")
            assert not editor_open(app)


async def test_expired_token_in_the_middle_of_an_edit_is_refreshed() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            await go_to(pilot, screen, "custom:team")
            await pilot.press("e")
            await until(pilot, lambda: editor_open(app))
            h.clock.now += 3700  # the token expires while the editor is open
            await pilot.press("ctrl+u", *"Tier 4", "enter")
            await until(pilot, lambda: h.server_user()["custom:team"] == "Tier 4")
            assert h.server.stats.by_operation["InitiateAuth"] == 2  # sign-in, then refresh


async def test_revoked_session_asks_to_sign_in_and_finishes_the_edit() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            tokens = screen.session.tokens
            assert tokens is not None
            await screen.session.client.global_sign_out(tokens.access_token)
            await edit(pilot, screen, "custom:team", "Tier 5")
            await until(pilot, lambda: isinstance(app.screen, SignInScreen))
            assert "saving custom:team" in str(app.screen.query_one("#reason").render())
            assert app.screen.query_one("#username", Input).value == "jane.doe"
            await pilot.press(*h.sandbox.password, "enter")
            await until(pilot, lambda: h.server_user()["custom:team"] == "Tier 5")
            await until(pilot, lambda: cells(screen, "custom:team")[1] == "Tier 5")


async def test_throttling_is_retried_quietly() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            screen.session.client.transport._sleep = _no_wait
            h.server.faults.throttle_next = 2
            await edit(pilot, screen, "custom:team", "Tier 6")
            await until(pilot, lambda: h.server_user()["custom:team"] == "Tier 6")
            assert h.server.stats.by_operation["UpdateUserAttributes"] == 3


async def test_a_slow_server_never_freezes_the_keys() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            await go_to(pilot, screen, "custom:team")
            await pilot.press("e")
            await until(pilot, lambda: editor_open(app))
            h.server.faults.latency = 3.0
            await pilot.press("ctrl+u", *"Tier 7", "enter")
            await until(pilot, lambda: cells(screen, "custom:team")[2] == "saving…")
            table = screen.query_one(DataTable)
            before = table.cursor_row
            await pilot.press("up")
            assert table.cursor_row == before - 1  # moved while the call is still out
            assert screen.book.rows["custom:team"].state == "saving"
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            h.server.faults.latency = 0.0
            await until(pilot, lambda: screen.book.rows["custom:team"].state == "")


async def test_two_edits_of_one_row_run_in_order() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            h.server.faults.latency = 0.3
            screen.save("custom:team", "first")
            screen.save("custom:team", "second")
            await until(pilot, lambda: h.server.stats.by_operation.get(
                "UpdateUserAttributes") == 2 and screen.book.rows["custom:team"].state == "")
            assert h.server_user()["custom:team"] == "second"
            assert [e.new for e in screen.book.log] == ["first", "second"]


async def test_add_filter_help_and_log() -> None:
    with harness() as h:
        app = h.app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            await pilot.press("a")
            await until(pilot, lambda: editor_open(app))
            assert app.screen.query_one("#name", Input).value == "custom:"
            await pilot.press("end", *"shift", "enter", *"nights", "enter")
            await until(pilot, lambda: screen.book.rows.get("custom:shift") is not None
                        and screen.book.rows["custom:shift"].state == "")
            assert h.server_user()["custom:shift"] == "nights"

            await pilot.press("slash", *"custom")
            table = screen.query_one(DataTable)
            await until(pilot, lambda: table.row_count == 4)
            await pilot.press("escape")
            await until(pilot, lambda: table.row_count > 10)

            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.press("l")
            assert isinstance(app.screen, LogScreen)
            log = app.screen.query_one(DataTable)
            assert log.row_count == 1
            detail = str(app.screen.query_one("#detail", Static).render())
            assert "custom:shift" in detail and "request id" in detail
            await pilot.press("escape")
            await pilot.press("R")
            await until(pilot, lambda: h.server.stats.by_operation["GetUser"] == 2)
            assert "custom:shift" in screen.book.rows
            await pilot.press("q")
        assert app.return_code in (0, None)


async def test_the_same_flow_against_cognito_local(cl_pool: Pool) -> None:
    """Sign in, change the email, a wrong code, the right code: against a peer we didn't write."""
    profile = Profile("cognito-local", cl_pool.pool_id, cl_pool.client_id,
                      endpoint_url=cl_pool.endpoint, auth_flow="USER_PASSWORD_AUTH")
    app = CognitoApp(Session.open(profile, MemoryStore(), blocking=True),
                     profile_name="cognito-local",
                     theme="ansi-dark")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SignInScreen))
        await pilot.press(*cl_pool.username, "enter", *cl_pool.password, "enter")
        screen = await table_ready(pilot)
        await edit(pilot, screen, "email", "moved@example.org")
        await until(pilot, lambda: isinstance(app.screen, VerifyScreen))
        await pilot.press(*"000000", "enter")
        message = app.screen.query_one("#message", Static)
        await until(pilot, lambda: "wrong" in str(message.render()))
        await pilot.press(*FIXED_CODE, "enter")
        await until(pilot, lambda: not isinstance(app.screen, VerifyScreen))
        assert cells(screen, "email") == ["email", "moved@example.org", "verified"]


async def test_choose_an_mfa_type_then_the_sms_code() -> None:
    with harness() as h:
        cognito = h.server.cognito
        access = await h.access_token()
        cognito.handle("SetUserMFAPreference", {"AccessToken": access,
                                                "SMSMfaSettings": {"Enabled": True},
                                                "EmailMfaSettings": {"Enabled": True}})
        cognito.handle("SetUserPoolMfaConfig", {"UserPoolId": h.sandbox.pool_id,
                                                "MfaConfiguration": "OPTIONAL"})
        app = h.app(signed_in=False)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, SignInScreen))
            await pilot.press(*"jane.doe", "enter", *h.sandbox.password, "enter")
            prompt = app.screen.query_one("#prompt", Static)
            await until(pilot, lambda: "Choose how to get your code" in str(prompt.render()))
            assert "SMS_MFA (SMS)" in str(prompt.render())
            await pilot.press(*"SMS_MFA", "enter")
            await until(pilot, lambda: "Code sent by SMS to +" in str(prompt.render()))
            await pilot.press(*h.code("phone_number"), "enter")
            await table_ready(pilot)


async def test_with_a_stored_token_the_table_is_styled_from_the_first_frame() -> None:
    """The path most users take: a token in the store, so MainScreen is the default screen."""
    from tui.app.widgets.edit_bar import EditBar

    with harness() as h:
        session = await h.signed_in_session()
        h.server.reset_stats()
        app = CognitoApp(session, profile_name="sandbox", theme="ansi-dark")
        async with app.run_test(size=SIZE) as pilot:
            screen = await table_ready(pilot)
            assert app.screen is screen  # no sign-in, no pushed screen
            assert screen.query_one("#detail").region.height == 4  # main_screen.tcss applies
            await go_to(pilot, screen, "custom:team")
            await pilot.press("e")
            bar = screen.query_one(EditBar)
            await until(pilot, lambda: bar.is_open)
            detail = screen.query_one("#detail").region
            # Over the panel's three text lines, under its rule, above the key line.
            assert (bar.region.y, bar.region.height) == (detail.y + 1, 3)
            assert bar.region.bottom == detail.bottom == SIZE[1] - 1
            assert h.server.stats.by_operation == {"GetUser": 1}
