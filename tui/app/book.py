"""What the attribute table shows and what the session log records, without any widgets.

The TUI renders an AttributeBook; every change goes through it, so the rules (what is
read-only, what a failed row keeps, what is pending) live in one place and are testable
without a terminal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from tui.cognito.errors import (
    CognitoError,
    CognitoTuiError,
    InvalidParameterException,
    NotAuthorizedException,
)
from tui.cognito.models import ChangeResult, CodeDelivery, User
from tui.cognito.session import Session

VERIFIABLE = ("email", "phone_number")
#: Cognito never lets a user's own token write these.
ALWAYS_READ_ONLY = frozenset({"sub", "email_verified", "phone_number_verified"})


@dataclass
class Row:
    name: str
    value: str
    #: "" (idle), "saving", "failed", "pending"
    state: str = ""
    error: str = ""
    #: The value the user typed that is not (yet) Cognito's: a failed or pending one.
    typed: str | None = None
    delivery: CodeDelivery | None = None
    refused: bool = False
    #: A change the pool keeps waiting for its code (keep-original mode).
    pending_value: str | None = None

    @property
    def read_only(self) -> bool:
        return self.name in ALWAYS_READ_ONLY or self.refused

    @property
    def shown_value(self) -> str:
        return self.typed if self.state == "failed" and self.typed is not None else self.value


@dataclass(frozen=True)
class LogEntry:
    at: float
    action: str
    attribute: str
    old: str | None
    new: str | None
    result: str
    request_id: str | None


def _refused_for_good(error: BaseException) -> bool:
    """Errors that mean "this attribute cannot be written by you", not "try again"."""
    if isinstance(error, NotAuthorizedException):
        return "unauthorized attribute" in error.message
    if isinstance(error, InvalidParameterException):
        text = error.message.lower()
        return "cannot be updated" in text or "immutable" in text
    return False


def error_words(error: BaseException) -> str:
    if isinstance(error, CognitoError):
        return error.describe()
    if isinstance(error, CognitoTuiError):
        return str(error) + (f" ({error.hint})" if error.hint else "")
    return f"unexpected error: {type(error).__name__}"


@dataclass
class AttributeBook:
    keep_original: bool = False
    rows: dict[str, Row] = field(default_factory=dict)
    log: list[LogEntry] = field(default_factory=list)
    username: str = ""

    def load(self, user: User) -> None:
        """Fill from GetUser, keeping what only this session knows (failed, pending rows)."""
        self.username = user.username
        fresh = {a.name: a.value for a in user.attributes}
        old = self.rows
        self.rows = {}
        for name in sorted(fresh, key=_order):
            row = old.get(name) or Row(name, fresh[name])
            row.value = fresh[name]
            self.rows[name] = row
        for name, row in old.items():
            # A failed add or a pending change stays visible even though GetUser lacks it.
            if name not in self.rows and row.state in ("failed", "pending", "saving"):
                self.rows[name] = row

    def status(self, name: str) -> str:
        row = self.rows[name]
        if row.state == "saving":
            return "saving…"
        if row.state == "failed":
            return "failed: " + row.error.split(":")[0][:40]
        if row.state == "pending":
            return "pending code" if row.pending_value is None else "pending (new value)"
        if row.read_only:
            return "read-only"
        if name in VERIFIABLE:
            flag = self.rows.get(f"{name}_verified")
            return "verified" if flag is not None and flag.value == "true" else "not verified"
        return ""

    def begin(self, name: str, value: str) -> Row:
        row = self.rows.get(name)
        if row is None:
            row = self.rows[name] = Row(name, "")
        row.state = "saving"
        row.typed = value
        row.error = ""
        return row

    def saved(self, name: str, value: str, result: ChangeResult) -> CodeDelivery | None:
        row = self.rows[name]
        old = row.value
        delivery = next((d for d in result.deliveries if d.attribute in ("", name)), None)
        row.error = ""
        row.typed = None
        if not value:
            del self.rows[name]
        elif delivery is not None and self.keep_original:
            # The old value stays active until the code is verified; GetUser won't show the new
            # one, so the row remembers it.
            row.pending_value = value
            row.state = "pending"
            row.delivery = delivery
        else:
            row.value = value
            row.state = "pending" if delivery is not None else ""
            row.delivery = delivery
            row.pending_value = None
            if name in VERIFIABLE and value != old:
                self._set_flag(name, "false")
        self.log.append(LogEntry(time.time(), "set", name, old or None, value,
                                 "code sent" if delivery else "saved", result.request_id))
        return delivery

    def failed(self, name: str, value: str, error: BaseException, action: str = "set") -> None:
        row = self.rows.get(name)
        if row is None:
            return
        row.state = "failed"
        row.typed = value
        row.error = error_words(error)
        if _refused_for_good(error):
            row.refused = True
        self.log.append(LogEntry(time.time(), action, name, row.value or None, value,
                                 f"failed: {getattr(error, 'error_code', type(error).__name__)}",
                                 getattr(error, "request_id", None)))

    def verified(self, name: str, result: ChangeResult) -> None:
        row = self.rows[name]
        if row.pending_value is not None:
            row.value = row.pending_value
        row.pending_value = None
        row.state = ""
        row.delivery = None
        self._set_flag(name, "true")
        self.log.append(LogEntry(time.time(), "verify", name, None, row.value, "verified",
                                 result.request_id))

    def verify_failed(self, name: str, error: BaseException) -> None:
        self.log.append(LogEntry(time.time(), "verify", name, None, None,
                                 f"failed: {getattr(error, 'error_code', type(error).__name__)}",
                                 getattr(error, "request_id", None)))

    def resent(self, name: str, delivery: CodeDelivery | None, request_id: str | None) -> None:
        row = self.rows[name]
        row.state = "pending"
        row.delivery = delivery or row.delivery
        self.log.append(LogEntry(time.time(), "resend", name, None, None, "code sent",
                                 request_id))

    def deleted(self, name: str, result: ChangeResult) -> None:
        row = self.rows.pop(name, None)
        if name in VERIFIABLE:
            self.rows.pop(f"{name}_verified", None)
        self.log.append(LogEntry(time.time(), "delete", name, row.value if row else None, None,
                                 "deleted", result.request_id))

    def _set_flag(self, name: str, value: str) -> None:
        flag = f"{name}_verified"
        if flag in self.rows:
            self.rows[flag].value = value
        else:
            self.rows[flag] = Row(flag, value)
            self.rows = {k: self.rows[k] for k in sorted(self.rows, key=_order)}


def _order(name: str) -> tuple[int, str]:
    """Standard attributes first (sub last of them), then custom ones."""
    if name.startswith("custom:"):
        return (2, name)
    if name == "sub":
        return (1, name)
    return (0, name)


# --- the words on the table screen (also drawn before Textual loads: tui/app/first_paint.py)

NAME_WIDTH = 22
VALUE_WIDTH = 32
STATUS_WIDTH = 17

KEYS = (("e", "Edit"), ("a", "Add"), ("d", "Delete"), ("v", "Verify"), ("R", "Reload"),
        ("/", "Filter"), ("l", "Log"), ("?", "Keys"), ("q", "Quit"))
#: The bottom line, short enough for 80 columns.
KEY_LINE = " " + "  ".join(f"{key} {what}" for key, what in KEYS)


def shorten(text: str, width: int) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= width else text[: width - 1] + "…"


def header_text(session: Session) -> str:
    """Two lines: who is signed in to which pool, where the tokens live, when they expire."""
    now = session.now()
    profile = session.profile
    tokens = session.tokens
    user = tokens.claims.username if tokens else "(not signed in)"
    if tokens is None:
        expiry = "no token"
    else:
        left = int(tokens.claims.expires_at - now)
        # UTC: unambiguous on a jump host whatever its time zone, and in a support ticket.
        stamp = time.strftime("%H:%M UTC", time.gmtime(tokens.claims.expires_at))
        expiry = f"expires {stamp} (in {left // 60} min)" if left > 0 else "token expired"
    return (f"{user} · profile {profile.name} · pool {profile.user_pool_id}\n"
            f"tokens: {session.store.description} · {expiry}")


def row_cells(book: AttributeBook, row: Row) -> tuple[str, str, str, str]:
    """A row's name, value and status as the table shows them, and the status's style."""
    status = book.status(row.name)
    style = {"saving…": "italic", "read-only": "dim"}.get(status, "")
    if status.startswith("failed"):
        style = "bold red"
    elif status.startswith("pending") or status == "not verified":
        style = "yellow"
    elif status == "verified":
        style = "green"
    value = row.shown_value
    if row.pending_value is not None:
        value = f"{row.value} → {row.pending_value}"
    return (shorten(row.name, NAME_WIDTH), shorten(value, VALUE_WIDTH),
            shorten(status, STATUS_WIDTH), style)


def detail_text(row: Row | None, filtered: bool = False) -> str:
    """The panel under the table, about the row under the cursor."""
    if row is None:
        return "no attributes" + (" match the filter" if filtered else "")
    if row.state == "saving" and row.typed is not None:
        # The value on its way, as the row shows it; when it lands only line 2 changes.
        return f"{row.name} = {row.typed}\nsaving…"
    if row.state == "failed":
        return f"{row.error}\nr retries, e edits the value again"
    if row.state == "pending":
        return (f"waiting for the code sent to "
                f"{row.delivery.destination if row.delivery else 'the user'}; v enters it")
    if row.read_only:
        return f"{row.name} = {row.value}\nread-only" + (f": {row.error}" if row.error else "")
    return f"{row.name} = {row.value}"
