"""`cognito-tui sandbox serve`, and the in-process sandbox behind `--sandbox`."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable

from tui.cli.output import Output
from tui.cognito.session import Session
from tui.localpool.model import Delivery
from tui.localpool.sandbox import Sandbox, delivery_line, signed_in_session, start_sandbox
from tui.store.memory import MemoryStore


async def sandbox_session(args: argparse.Namespace,
                          on_delivery: Callable[[Delivery], None]) -> tuple[Sandbox, Session]:
    """A signed-in session on a fresh in-process sandbox. Its tokens only ever live in memory."""
    sandbox = start_sandbox(on_delivery=on_delivery, keep_original=args.keep_original)
    session = await signed_in_session(sandbox, MemoryStore(), keep_original=args.keep_original,
                                      request_timeout=args.timeout)
    return sandbox, session


async def serve(args: argparse.Namespace, out: Output) -> int:
    def show(delivery: Delivery) -> None:
        if args.json:
            print(json.dumps({"delivery": {"attribute": delivery.attribute,
                                           "destination": delivery.destination,
                                           "masked": delivery.masked, "medium": delivery.medium,
                                           "code": delivery.code}}), flush=True)
        else:
            print(delivery_line(delivery), flush=True)

    sandbox = start_sandbox(port=args.port, on_delivery=show, keep_original=args.keep_original,
                            access_token_seconds=args.token_lifetime)
    info = {"endpoint": sandbox.endpoint, "user_pool_id": sandbox.pool_id,
            "client_id": sandbox.client_id, "username": sandbox.username,
            "password": sandbox.password}
    if args.json:
        print(json.dumps(info), flush=True)
    else:
        print("cognito-tui sandbox: a local user pool on 127.0.0.1 (Ctrl-C stops it)\n"
              f"  endpoint      {sandbox.endpoint}\n"
              f"  user pool id  {sandbox.pool_id}\n"
              f"  client id     {sandbox.client_id}\n"
              f"  username      {sandbox.username}\n"
              f"  password      {sandbox.password}\n"
              "Try it:\n"
              f"  cognito-tui configure --profile sandbox --user-pool-id {sandbox.pool_id} "
              f"--client-id {sandbox.client_id} --endpoint-url {sandbox.endpoint}\n"
              "  cognito-tui login --profile sandbox --username jane.doe\n"
              "Codes the pool sends are printed here.", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        stop.wait()
    finally:
        sandbox.server.stop()
    sys.stdout.flush()
    return 0
