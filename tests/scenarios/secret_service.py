"""Run inside `dbus-run-session` with an unlocked gnome-keyring (see tests/test_store.py).

Prints one JSON object describing what happened; the test asserts on it.
  roundtrip: configure, login, get and logout as separate processes through the Secret Service
  locked:    lock the login collection, then see what cognito-tui chooses and says
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import secretstorage

from tests.cli import run_cli, run_json


def entries(service: str) -> int:
    conn = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(conn)
        return len(list(collection.search_items({"service": service})))
    finally:
        conn.close()


def roundtrip() -> dict[str, Any]:
    env = {"COGNITO_TUI_TOKEN_STORE": "auto", "COGNITO_TUI_PROFILE": "ss"}
    result: dict[str, Any] = {}
    configure = run_cli("configure", "--user-pool-id", os.environ["T_POOL"], "--client-id",
                        os.environ["T_CLIENT"], "--endpoint-url", os.environ["T_ENDPOINT"],
                        "--auth-flow", "USER_PASSWORD_AUTH", env=env)
    result["configure"] = configure.returncode
    result["login"] = run_json("login", "--username", os.environ["T_USER"], "--password-stdin",
                               stdin=os.environ["T_PASSWORD"] + "\n", env=env)
    result["entries_after_login"] = entries("cognito-tui:ss")
    result["whoami"] = run_json("whoami", env=env)
    result["get"] = run_json("get", env=env)
    result["logout"] = run_json("logout", env=env)
    result["entries_after_logout"] = entries("cognito-tui:ss")
    return result


def locked() -> dict[str, Any]:
    conn = secretstorage.dbus_init()
    collection = secretstorage.get_default_collection(conn)
    collection.lock()
    result: dict[str, Any] = {"locked": collection.is_locked()}
    conn.close()
    from tui.store.choose import choose_store

    for choice in ("auto", "keyring"):
        chosen = choose_store(choice)
        result[choice] = {"store": chosen.store.description, "notices": chosen.notices}
    return result


if __name__ == "__main__":
    mode = sys.argv[1]
    print(json.dumps(roundtrip() if mode == "roundtrip" else locked()))
