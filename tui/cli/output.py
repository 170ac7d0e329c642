"""What the commands print, for people and for scripts (`--json`), and their exit codes."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from tui.cognito.errors import (
    CognitoError,
    CognitoTuiError,
    NetworkError,
    NotSignedInError,
    SignInError,
    UsageError,
)

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_NOT_SIGNED_IN = 3
EXIT_COGNITO = 4
EXIT_NETWORK = 5
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = """exit codes:
  0  done
  1  internal error (a bug: please report it)
  2  usage: bad arguments, invalid input or profile (nothing was sent)
  3  not signed in, or the session ended: run `cognito-tui login`
  4  Cognito refused the request (the error code says why)
  5  network: no answer from the endpoint (the change may not have been made)
"""


def exit_code_for(error: BaseException) -> int:
    if isinstance(error, UsageError):
        return EXIT_USAGE
    if isinstance(error, NotSignedInError | SignInError):
        return EXIT_NOT_SIGNED_IN
    if isinstance(error, CognitoError):
        return EXIT_COGNITO
    if isinstance(error, NetworkError):
        return EXIT_NETWORK
    return EXIT_INTERNAL


def error_kind(error: BaseException) -> str:
    return {EXIT_USAGE: "usage", EXIT_NOT_SIGNED_IN: "not_signed_in", EXIT_COGNITO: "cognito",
            EXIT_NETWORK: "network"}.get(exit_code_for(error), "internal")


def error_payload(error: BaseException) -> dict[str, Any]:
    payload: dict[str, Any] = {"type": error_kind(error), "message": str(error)}
    if isinstance(error, CognitoError):
        payload.update(code=error.error_code, message=error.message, status=error.status,
                       request_id=error.request_id, attempts=error.attempts)
    if isinstance(error, NetworkError):
        payload.update(maybe_sent=error.maybe_sent, attempts=error.attempts)
    if isinstance(error, CognitoTuiError) and error.hint:
        payload["hint"] = error.hint
    return payload


def describe_error(error: BaseException) -> str:
    """One or two lines for people; never a traceback."""
    if isinstance(error, CognitoError):
        line = f"{error.error_code}: {error.message}" if error.message else error.error_code
        if error.hint:
            line += f"\n  {error.hint}"
        if error.request_id:
            line += f"\n  request id {error.request_id}"
        return line
    if isinstance(error, NetworkError):
        sent = ("the request may have reached Cognito: check before repeating a change"
                if error.maybe_sent else "nothing reached Cognito")
        return f"network error: {error} ({sent})"
    if isinstance(error, CognitoTuiError):
        return str(error) + (f"\n  {error.hint}" if error.hint else "")
    return f"internal error: {type(error).__name__} (set COGNITO_TUI_DEBUG=1 for details)"


class Output:
    def __init__(self, as_json: bool, out: TextIO | None = None,
                 err: TextIO | None = None) -> None:
        self.as_json = as_json
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def result(self, data: dict[str, Any], human: str) -> None:
        if self.as_json:
            json.dump(data, self.out, ensure_ascii=False, indent=2)
            self.out.write("\n")
        elif human:
            self.out.write(human + "\n")
        self.out.flush()

    def error(self, error: BaseException) -> int:
        if self.as_json:
            json.dump({"error": error_payload(error)}, self.out, ensure_ascii=False, indent=2)
            self.out.write("\n")
            self.out.flush()
        self.err.write(f"cognito-tui: {describe_error(error)}\n")
        self.err.flush()
        return exit_code_for(error)

    def notice(self, text: str) -> None:
        """Side remarks go to stderr, so `--json` output stays parseable."""
        self.err.write(f"cognito-tui: note: {text}\n")
        self.err.flush()


def attribute_table(attributes: dict[str, str], width: int = 100) -> str:
    if not attributes:
        return "(no attributes)"
    name_width = max(len(n) for n in attributes)
    lines = []
    for name, value in attributes.items():
        shown = value.replace("\n", "\\n")
        if len(shown) > width:
            shown = shown[: width - 1] + "…"
        lines.append(f"{name.ljust(name_width)}  {shown}")
    return "\n".join(lines)
