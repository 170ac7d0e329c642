"""Where requests go: the regional endpoint, or an override, and never plain HTTP off loopback.

Precedence follows the AWS SDKs' "service-specific endpoints" convention:
`--endpoint-url` > AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER > AWS_ENDPOINT_URL > the profile's
endpoint > `https://cognito-idp.<region>.<dns suffix>/`. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true
drops the environment and profile overrides, as in the SDKs.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from tui.cognito.errors import ConfigError

ENV_SERVICE = "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"
ENV_GLOBAL = "AWS_ENDPOINT_URL"
ENV_IGNORE = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"


@dataclass(frozen=True)
class Endpoint:
    url: str
    #: Where the URL came from, for `whoami` and error messages.
    source: str


def region_from_pool_id(user_pool_id: str) -> str:
    """`eu-west-1_AbC123` -> `eu-west-1`."""
    region, sep, _ = user_pool_id.partition("_")
    if not sep or not region:
        raise ConfigError(f"cannot tell the region from user pool id '{user_pool_id}'")
    return region


def regional_url(region: str) -> str:
    # The partitions of endpoint-rule-set-1.json: China uses its own DNS suffix.
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"https://cognito-idp.{region}.{suffix}/"


def is_loopback_host(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str, source: str) -> str:
    """A URL tokens may be sent to: https anywhere, http only to a loopback address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"endpoint {url!r} (from {source}) is not an http(s) URL")
    if parts.username or parts.password:
        raise ConfigError(f"endpoint from {source} must not carry a user name or password")
    if parts.query or parts.fragment:
        raise ConfigError(f"endpoint {url!r} (from {source}) must not have a query or fragment")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ConfigError(
            f"endpoint {url!r} (from {source}) is plain http:// to a host that is not loopback; "
            "tokens would cross the network in clear text. Use https://")
    return url if url.endswith("/") else url + "/"


def resolve_endpoint(
    *,
    user_pool_id: str | None,
    cli_url: str | None = None,
    profile_url: str | None = None,
    region: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Endpoint:
    env = os.environ if env is None else env
    ignore_configured = env.get(ENV_IGNORE, "").lower() == "true"
    candidates: list[tuple[str | None, str]] = [(cli_url, "--endpoint-url")]
    if not ignore_configured:
        candidates += [
            (env.get(ENV_SERVICE), ENV_SERVICE),
            (env.get(ENV_GLOBAL), ENV_GLOBAL),
            (profile_url, "the profile"),
        ]
    for url, source in candidates:
        if url:
            return Endpoint(check_url(url, source), source)
    if region is None:
        if not user_pool_id:
            raise ConfigError("no endpoint: give a user pool id or --endpoint-url")
        region = region_from_pool_id(user_pool_id)
    return Endpoint(regional_url(region), f"region {region}")
