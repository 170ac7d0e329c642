"""Profiles: the non-secret settings of each user pool the app talks to, in one TOML file.

    [profiles.default]
    user_pool_id = "eu-west-1_AbCdEf123"
    client_id = "1example23456789"
    endpoint_url = "https://..."          # optional
    auth_flow = "USER_SRP_AUTH"            # or USER_PASSWORD_AUTH
    has_client_secret = false              # the secret itself lives with the tokens
    keep_original = false                  # the pool's "keep original value" update mode
    [profiles.default.client_metadata]     # optional, sent with every change

The file lives at $COGNITO_TUI_CONFIG, else $XDG_CONFIG_HOME/cognito-tui/config.toml (or
%APPDATA%\\cognito-tui\\config.toml on Windows). Secrets never go here.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from tui.cognito import validation as v
from tui.cognito.endpoint import check_url
from tui.cognito.errors import ConfigError, ValidationError

# The sign-in flows a profile can choose (signin.py runs them; defined here so that loading a
# profile does not load SRP's machinery: a command like `get` never signs in).
SRP = "USER_SRP_AUTH"
PASSWORD = "USER_PASSWORD_AUTH"
AUTH_FLOWS = (SRP, PASSWORD)

ENV_CONFIG = "COGNITO_TUI_CONFIG"
ENV_PROFILE = "COGNITO_TUI_PROFILE"
DEFAULT_PROFILE = "default"


@dataclass(frozen=True)
class Profile:
    name: str
    user_pool_id: str
    client_id: str
    endpoint_url: str | None = None
    auth_flow: str = SRP
    has_client_secret: bool = False
    client_metadata: Mapping[str, str] = field(default_factory=dict)
    #: The pool keeps the old email/phone active until the new one is verified
    #: (UserAttributeUpdateSettings); GetUser can't tell, so the profile says it.
    keep_original: bool = False

    def validate(self) -> Profile:
        try:
            v.check_user_pool_id(self.user_pool_id)
            v.check_client_id(self.client_id)
            v.check_client_metadata(self.client_metadata)
        except ValidationError as exc:
            raise ConfigError(f"profile '{self.name}': {exc}") from None
        if self.auth_flow not in AUTH_FLOWS:
            raise ConfigError(f"profile '{self.name}': auth_flow must be one of "
                              f"{', '.join(AUTH_FLOWS)}")
        if self.endpoint_url:
            check_url(self.endpoint_url, f"profile '{self.name}'")
        return self

    def to_toml(self) -> dict[str, Any]:
        data = {k: val for k, val in asdict(self).items() if k != "name"}
        data["client_metadata"] = dict(self.client_metadata)
        return {k: val for k, val in data.items() if val not in (None, {})}


def config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get(ENV_CONFIG):
        return Path(env[ENV_CONFIG])
    if sys.platform == "win32" and env.get("APPDATA"):
        base = Path(env["APPDATA"])
    elif env.get("XDG_CONFIG_HOME"):
        base = Path(env["XDG_CONFIG_HOME"])
    else:
        base = Path(env.get("HOME") or Path.home()) / ".config"
    return base / "cognito-tui" / "config.toml"


def choose_profile_name(cli_name: str | None, env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return cli_name or env.get(ENV_PROFILE) or DEFAULT_PROFILE


class ProfileFile:
    """Reads and writes the profiles file. A corrupt file is a clear ConfigError, not a crash."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_path()

    def _read(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read {self.path}: {exc}") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{self.path} is not valid TOML ({exc}); fix or remove it") from None
        profiles = data.get("profiles", {})
        if not isinstance(profiles, dict):
            raise ConfigError(f"{self.path}: 'profiles' must be a table")
        return data

    def names(self) -> list[str]:
        return sorted(self._read().get("profiles", {}))

    def get(self, name: str) -> Profile | None:
        raw = self._read().get("profiles", {}).get(name)
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise ConfigError(f"{self.path}: profile '{name}' must be a table")
        try:
            metadata = raw.get("client_metadata", {})
            profile = Profile(
                name=name,
                user_pool_id=str(raw["user_pool_id"]),
                client_id=str(raw["client_id"]),
                endpoint_url=str(raw["endpoint_url"]) if raw.get("endpoint_url") else None,
                auth_flow=str(raw.get("auth_flow", SRP)),
                has_client_secret=bool(raw.get("has_client_secret", False)),
                keep_original=bool(raw.get("keep_original", False)),
                client_metadata={str(k): str(val) for k, val in metadata.items()}
                if isinstance(metadata, dict) else {},
            )
        except KeyError as exc:
            raise ConfigError(f"{self.path}: profile '{name}' has no {exc.args[0]}") from None
        return profile.validate()

    def save(self, profile: Profile) -> None:
        profile.validate()
        data = self._read()
        data.setdefault("profiles", {})[profile.name] = profile.to_toml()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".toml.tmp")
        # Write then rename, so a crash never leaves half a file.
        tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
        os.replace(tmp, self.path)
