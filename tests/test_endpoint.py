from __future__ import annotations

import pytest

from tui.cognito.endpoint import resolve_endpoint
from tui.cognito.errors import ConfigError


def test_region_comes_from_the_pool_id() -> None:
    ep = resolve_endpoint(user_pool_id="eu-central-1_AbC", env={})
    assert ep.url == "https://cognito-idp.eu-central-1.amazonaws.com/"
    assert resolve_endpoint(user_pool_id="cn-north-1_X", env={}).url.endswith(".com.cn/")


def test_precedence_follows_the_sdk_convention() -> None:
    env = {"AWS_ENDPOINT_URL": "https://global.example/",
           "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": "https://service.example/"}
    assert resolve_endpoint(user_pool_id="eu-west-1_A", cli_url="https://cli.example",
                            profile_url="https://profile.example", env=env).url \
        == "https://cli.example/"
    assert resolve_endpoint(user_pool_id="eu-west-1_A", profile_url="https://profile.example",
                            env=env).url == "https://service.example/"
    del env["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"]
    assert resolve_endpoint(user_pool_id="eu-west-1_A", profile_url="https://profile.example",
                            env=env).source == "AWS_ENDPOINT_URL"
    assert resolve_endpoint(user_pool_id="eu-west-1_A", profile_url="https://profile.example",
                            env={}).source == "the profile"
    ignored = {**env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}
    assert resolve_endpoint(user_pool_id="eu-west-1_A", profile_url="https://p.example",
                            env=ignored).url.startswith("https://cognito-idp.eu-west-1")


@pytest.mark.parametrize("url", ["http://127.0.0.1:9229", "http://localhost:1/",
                                 "http://[::1]:8080", "https://cognito.example.com"])
def test_loopback_http_and_any_https_are_allowed(url: str) -> None:
    assert resolve_endpoint(user_pool_id=None, cli_url=url, env={}).url.startswith(url[:10])


@pytest.mark.parametrize("url", ["http://cognito.example.com", "http://10.0.0.5:9229",
                                 "http://127.0.0.1.nip.io", "ftp://127.0.0.1",
                                 "https://user:pw@host.example", "https://h.example/?a=1"])
def test_plain_http_off_loopback_and_odd_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigError):
        resolve_endpoint(user_pool_id=None, cli_url=url, env={})
