"""The verification modal: where the code went, the code, and what to do when it fails."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.app.book import error_words
from tui.app.widgets.steady_input import SteadyInput
from tui.cognito import validation as v
from tui.cognito.errors import (
    CodeMismatchException,
    CognitoTuiError,
    ExpiredCodeException,
    LimitExceededException,
    ValidationError,
)
from tui.cognito.models import CodeDelivery

Verify = Callable[[str], Awaitable[None]]
Resend = Callable[[], Awaitable[CodeDelivery | None]]


def where(delivery: CodeDelivery | None, attribute: str) -> str:
    if delivery is None:
        return f"A code was sent to verify {attribute}."
    how = {"EMAIL": "by email", "SMS": "by SMS"}.get(delivery.medium, delivery.medium.lower())
    return f"A code for {attribute} was sent {how} to {delivery.destination}."


class VerifyScreen(ModalScreen[bool]):
    """Dismisses with True once verified, False for "Later"."""

    CSS_PATH = "verify.tcss"
    BINDINGS = [Binding("escape", "later", "Later")]

    def __init__(self, attribute: str, delivery: CodeDelivery | None, *, verify: Verify,
                 resend: Resend) -> None:
        super().__init__()
        self.attribute = attribute
        self.delivery = delivery
        self._verify = verify
        self._resend = resend

    def compose(self) -> ComposeResult:
        with Vertical(id="verify"):
            yield Label(f"Verify {self.attribute}", id="title", markup=False)
            yield Static(where(self.delivery, self.attribute), id="where", markup=False)
            yield Label("Code")
            yield SteadyInput(id="code", compact=True, placeholder="the code from the message")
            yield Static("", id="message", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Verify (Enter)", id="verify-button", variant="primary",
                             compact=True)
                yield Button("Resend", id="resend", compact=True)
                yield Button("Later (Esc)", id="later", compact=True)

    def on_mount(self) -> None:
        self.query_one("#code", Input).focus()

    def say(self, text: str, kind: str = "error") -> None:
        message = self.query_one("#message", Static)
        message.set_classes(kind)
        message.update(text)

    def on_input_submitted(self) -> None:
        self.run_verify()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "verify-button":
            self.run_verify()
        elif event.button.id == "resend":
            self.run_resend()
        else:
            self.action_later()

    def action_later(self) -> None:
        self.dismiss(False)

    @work(exclusive=True, group="verify")
    async def run_verify(self) -> None:
        try:
            code = v.check_code(self.query_one("#code", Input).value)
        except ValidationError as exc:
            self.say(exc.reason)
            return
        self.say("checking…", "busy")
        try:
            await self._verify(code)
        except ExpiredCodeException:
            self.say("This code has expired. Press Resend for a new one.")
            self.query_one("#resend", Button).focus()
            return
        except LimitExceededException:
            self.say("Too many attempts: wait a few minutes before trying again.")
            return
        except CodeMismatchException:
            self.say("That code is wrong. Check it and type it again.")
            self.query_one("#code", Input).value = ""
            return
        except CognitoTuiError as exc:
            self.say(error_words(exc))
            return
        self.dismiss(True)

    @work(exclusive=True, group="verify")
    async def run_resend(self) -> None:
        self.say("asking for a new code…", "busy")
        try:
            delivery = await self._resend()
        except LimitExceededException:
            self.say("Too many codes asked for: wait a few minutes before trying again.")
            return
        except CognitoTuiError as exc:
            self.say(error_words(exc))
            return
        self.delivery = delivery or self.delivery
        self.query_one("#where", Static).update(where(self.delivery, self.attribute))
        self.say("A new code is on its way.", "ok")
        self.query_one("#code", Input).focus()
