"""The Cognito layer: wire client, errors, sign-in, tokens, profiles. Knows nothing of Textual."""

import sys

# httpx imports its own command-line tool when imported, which pulls in rich and click: about
# 50 ms of every command's start-up, for code this program never runs. A None entry makes that
# one import fail, and httpx falls back to its stub (`pip install 'httpx[cli]'` message). It
# sits here because every module that imports httpx is under this package.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
