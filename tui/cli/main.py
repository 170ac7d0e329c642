"""`cognito-tui`: argument parsing and dispatch. Nothing here imports Textual."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from tui import __version__
from tui.cli.output import EXIT_CODES_HELP, EXIT_INTERRUPTED, Output


def _common() -> argparse.ArgumentParser:
    # Given to every sub-command too, so options work before or after the command's name.
    # SUPPRESS keeps a sub-command's absent option from overwriting the main parser's value.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--profile", default=argparse.SUPPRESS,
                        help="profile to use (default: $COGNITO_TUI_PROFILE or 'default')")
    common.add_argument("--endpoint-url", default=argparse.SUPPRESS,
                        help="Cognito endpoint (default: from the profile or the pool's region)")
    common.add_argument("--token-store", default=argparse.SUPPRESS,
                        choices=("auto", "keyring", "kernel", "memory"),
                        help="where tokens live (default: $COGNITO_TUI_TOKEN_STORE or auto)")
    common.add_argument("--timeout", type=float, default=argparse.SUPPRESS,
                        help="seconds to wait for each answer (default 15)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print JSON on stdout (errors too)")
    common.add_argument("--sandbox", action="store_true", default=argparse.SUPPRESS,
                        help="use a fresh local user pool in this process, signed in as a demo "
                             "user (no AWS account needed; tokens stay in memory)")
    common.add_argument("--keep-original", action="store_true", default=argparse.SUPPRESS,
                        help="the pool keeps the old email/phone active until the new one is "
                             "verified (configure: saved in the profile; --sandbox: the demo "
                             "pool works that way)")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="cognito-tui", parents=[common],
        description="View and safely edit a signed-in Amazon Cognito user's attributes.",
        epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"cognito-tui {__version__}")
    parser.add_argument("--no-mouse", action="store_true",
                        default=os.environ.get("COGNITO_TUI_NO_MOUSE") == "1",
                        help="TUI: no mouse reports (fewer redraws on a slow link; "
                             "$COGNITO_TUI_NO_MOUSE=1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help_text, description=help_text,
                              epilog=EXIT_CODES_HELP,
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    p = add("configure", "create or change a profile (user pool id, app client id, endpoint)")
    p.add_argument("--user-pool-id")
    p.add_argument("--client-id")
    p.add_argument("--auth-flow", choices=("USER_SRP_AUTH", "USER_PASSWORD_AUTH"))
    p.add_argument("--client-secret-stdin", action="store_true",
                   help="read the app client's secret from stdin (it is kept with the tokens)")
    p.add_argument("--client-metadata", action="append", metavar="KEY=VALUE",
                   help="ClientMetadata sent with every change (repeatable)")

    p = add("login", "sign in and keep the tokens")
    p.add_argument("--username")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password (then any challenge answers) from stdin, one a line")

    p = add("logout", "revoke the refresh token and forget every saved entry of the profile")
    p.add_argument("--everywhere", action="store_true",
                   help="also sign out of every device (GlobalSignOut)")

    add("whoami", "show the profile, the signed-in user and where tokens are kept")

    p = add("get", "print the user's attributes")
    p.add_argument("names", nargs="*", metavar="NAME", help="only these attributes")

    p = add("set", "change one attribute (one UpdateUserAttributes call)")
    p.add_argument("assignment", metavar="NAME=VALUE")
    p.add_argument("--client-metadata", action="append", metavar="KEY=VALUE",
                   help="ClientMetadata for the Lambda triggers (repeatable)")

    p = add("verify", "confirm an attribute with the code Cognito sent")
    p.add_argument("name", metavar="NAME")
    p.add_argument("code", nargs="?", metavar="CODE", help="asked for when not given")

    p = add("resend", "ask Cognito to send a new verification code")
    p.add_argument("name", metavar="NAME")

    p = add("delete", "delete one attribute")
    p.add_argument("name", metavar="NAME")

    p = add("sandbox", "the local user pool as a standalone server")
    sandbox_sub = p.add_subparsers(dest="sandbox_command", metavar="SUBCOMMAND", required=True)
    serve = sandbox_sub.add_parser("serve", parents=[common], help="serve the demo pool on "
                                   "127.0.0.1 and print the codes it sends")
    serve.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    serve.add_argument("--token-lifetime", type=int, default=3600, metavar="SECONDS",
                       help="access token lifetime (default 3600)")
    return parser


def _defaults(args: argparse.Namespace) -> argparse.Namespace:
    for name, value in (("profile", None), ("endpoint_url", None), ("token_store", None),
                        ("timeout", None), ("json", False), ("sandbox", False),
                        ("keep_original", False)):
        if not hasattr(args, name):
            setattr(args, name, value)
    return args


def no_core_dumps() -> None:
    """A core dump would write the tokens in memory to disk: none while this process lives."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass  # Windows has no core files; a hard limit already lower is fine too


def main(argv: Sequence[str] | None = None) -> int:
    no_core_dumps()
    parser = build_parser()
    args = _defaults(parser.parse_args(argv))
    if args.command is None:
        out = Output(args.json)
        try:
            # The only path that imports Textual: the commands never pay for it.
            from tui.app.run import run_tui

            return run_tui(args)
        except KeyboardInterrupt:
            # Ctrl+C before Textual took the keyboard (while the table was being drawn).
            sys.stderr.write("\ncognito-tui: interrupted\n")
            return EXIT_INTERRUPTED
        except Exception as exc:  # noqa: BLE001 - a clean message, never a traceback
            return out.error(exc)
    if args.command == "sandbox" and args.sandbox:
        parser.error("--sandbox and `sandbox serve` don't go together")
    from tui.cli.commands import COMMANDS
    from tui.cognito.wire import run_blocking

    out = Output(args.json)
    try:
        # Commands use blocking transports: no event loop, no asyncio import (see wire.py).
        result: int = run_blocking(COMMANDS[args.command](args, out))
    except KeyboardInterrupt:
        sys.stderr.write("\ncognito-tui: interrupted\n")
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - every error becomes a message and an exit code
        if os.environ.get("COGNITO_TUI_DEBUG") == "1":
            # Opt-in only: tracebacks can carry values a support person must not paste around.
            traceback.print_exc()
        return out.error(exc)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
