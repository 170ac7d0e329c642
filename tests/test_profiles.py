from __future__ import annotations

from pathlib import Path

import pytest

from tui.cognito.errors import ConfigError
from tui.cognito.profiles import Profile, ProfileFile, choose_profile_name, config_path


def test_round_trip(tmp_path: Path) -> None:
    file = ProfileFile(tmp_path / "c.toml")
    profile = Profile("support eu", "eu-west-1_AbC123", "client1",
                      endpoint_url="https://x.example/", client_metadata={"ticket": "a\"b"})
    file.save(profile)
    assert file.get("support eu") == profile
    assert file.names() == ["support eu"]


def test_config_path_and_profile_choice(isolated_home: Path) -> None:
    assert config_path({"XDG_CONFIG_HOME": "/x"}) == Path("/x/cognito-tui/config.toml")
    assert config_path({"COGNITO_TUI_CONFIG": "/y.toml"}) == Path("/y.toml")
    assert choose_profile_name(None, {"COGNITO_TUI_PROFILE": "p2"}) == "p2"
    assert choose_profile_name("p1", {"COGNITO_TUI_PROFILE": "p2"}) == "p1"
    assert choose_profile_name(None, {}) == "default"


@pytest.mark.parametrize("text", ["[profiles.default\nuser_pool_id=", "profiles = 3",
                                  "[profiles.default]\nclient_id = 'c'",
                                  "[profiles.default]\nuser_pool_id='bad'\nclient_id='c'",
                                  "[profiles.default]\nuser_pool_id='eu-west-1_A'\n"
                                  "client_id='c'\nendpoint_url='http://evil.example'"])
def test_corrupt_or_invalid_profiles_are_clear_errors(tmp_path: Path, text: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError):
        ProfileFile(path).get("default")
