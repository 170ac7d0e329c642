"""Shared fixtures: an isolated HOME per test, and the real peers started once per run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.peers import Pool, run_cognito_local, run_moto, seed_pool
from tui.localpool.server import LocalPoolServer


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own HOME and config; nothing touches the developer's real files."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("COGNITO_TUI_CONFIG", str(home / ".config" / "cognito-tui" / "config.toml"))
    monkeypatch.setenv("COGNITO_TUI_TOKEN_STORE", "memory")
    for name in ("COGNITO_TUI_PROFILE", "AWS_ENDPOINT_URL",
                 "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "PYTHON_KEYRING_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session")
def cognito_local_url() -> Iterator[str]:
    with run_cognito_local() as url:
        yield url


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    with run_moto() as url:
        yield url


@pytest.fixture
def cl_pool(cognito_local_url: str) -> Pool:
    """A fresh pool, client and user on cognito-local."""
    return seed_pool(cognito_local_url)


@pytest.fixture
def moto_pool(moto_url: str) -> Pool:
    return seed_pool(moto_url)


@pytest.fixture(scope="session")
def local_pool_server() -> Iterator[LocalPoolServer]:
    """The project's own local user pool, on 127.0.0.1, seeded through boto3 like the others."""
    with LocalPoolServer() as server:
        yield server
