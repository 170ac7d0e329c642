"""Sign-in: user name and password (never echoed), then whatever challenge Cognito asks."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from tui.app.book import error_words
from tui.app.widgets.steady_input import SteadyInput
from tui.cognito import validation as v
from tui.cognito.errors import CognitoTuiError, SignInError
from tui.cognito.secrets import Secret
from tui.cognito.session import Session
from tui.cognito.signin import Challenge, SignIn
from tui.cognito.tokens import TokenSet

PASSWORD_RULES = ("at least 8 characters with upper and lower case letters, a digit and a "
                  "symbol (the pool's own rules may differ)")


class SignInScreen(Screen[TokenSet | None]):
    """Dismisses with the tokens of a finished sign-in, or None when the user gives up."""

    CSS_PATH = "signin.tcss"
    BINDINGS = [Binding("escape", "give_up", "Cancel")]

    def __init__(self, session: Session, *, reason: str = "", username: str = "") -> None:
        super().__init__()
        self.session = session
        self.reason = reason
        self.username = username
        self.signin: SignIn | None = None
        self.challenge: Challenge | None = None

    def compose(self) -> ComposeResult:
        profile = self.session.profile
        with Vertical(id="signin"):
            yield Label("Sign in", id="title")
            yield Static(f"profile {profile.name} · pool {profile.user_pool_id} · "
                         f"{self.session.endpoint.url}", id="where", markup=False)
            if self.reason:
                yield Static(self.reason, id="reason", markup=False)
            with Vertical(id="credentials"):
                yield Label("User name")
                yield SteadyInput(self.username, id="username", compact=True)
                yield Label("Password")
                yield SteadyInput(id="password", password=True, compact=True)
                if profile.has_client_secret and self.session.client_secret is None:
                    yield Label("App client secret")
                    yield SteadyInput(id="client-secret", password=True, compact=True)
            with Vertical(id="challenge"):
                yield Static("", id="prompt", markup=False)
                yield SteadyInput(id="answer", compact=True)
                yield Vertical(id="attributes")
            yield Static("", id="message", markup=False)
            yield Button("Sign in (Enter)", id="go", variant="primary", compact=True)
            yield Static("Esc cancels", id="keys")

    def on_mount(self) -> None:
        self.query_one("#challenge").display = False
        self.query_one("#password" if self.username else "#username", Input).focus()

    def say(self, text: str) -> None:
        self.query_one("#message", Static).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "username":
            self.query_one("#password", Input).focus()
        else:
            self.submit()

    def on_button_pressed(self) -> None:
        self.submit()

    def action_give_up(self) -> None:
        self.dismiss(None)

    @work(exclusive=True, group="signin")
    async def submit(self) -> None:
        self.say("signing in…")
        try:
            if self.challenge is None:
                step = await self._start()
            else:
                step = await self._answer(self.challenge)
        except SignInError as exc:
            self.say(str(exc))
            return
        except CognitoTuiError as exc:
            self.say(error_words(exc))
            return
        if isinstance(step, TokenSet):
            self.dismiss(step)
        else:
            self._show_challenge(step)

    async def _start(self) -> TokenSet | Challenge:
        secrets = self.query("#client-secret")
        if secrets:
            secret = v.check_client_secret(secrets.first(Input).value.strip())
            self.session.set_client_secret(Secret(secret))
        username = self.query_one("#username", Input).value.strip()
        password = Secret(self.query_one("#password", Input).value)
        self.signin = self.session.new_sign_in()
        return await self.signin.start(username, password)

    async def _answer(self, challenge: Challenge) -> TokenSet | Challenge:
        assert self.signin is not None
        answer = self.query_one("#answer", Input).value
        attributes = {inp.name or "": inp.value for inp in self.query("#attributes Input")
                      .results(Input)}
        if challenge.kind == "new_password":
            return await self.signin.answer(Secret(answer), attributes)
        return await self.signin.answer(answer.strip(), attributes)

    def _show_challenge(self, challenge: Challenge) -> None:
        self.challenge = challenge
        self.query_one("#credentials").display = False
        self.query_one("#challenge").display = True
        prompt = challenge.prompt
        if challenge.kind == "new_password":
            prompt += f"\nRules: {challenge.rules or PASSWORD_RULES}"
        self.query_one("#prompt", Static).update(prompt)
        answer = self.query_one("#answer", Input)
        answer.password = challenge.secret
        answer.value = ""
        box = self.query_one("#attributes", Vertical)
        box.remove_children()
        for name in challenge.required_attributes:
            box.mount(Label(f"Value for {name}"), SteadyInput(name=name, compact=True))
        self.say("")
        answer.focus()
