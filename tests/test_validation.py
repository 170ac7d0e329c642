"""Client-side checks at and past every constraint of the model."""

from __future__ import annotations

import pytest

from tui.cognito import validation as v
from tui.cognito.errors import ValidationError


@pytest.mark.parametrize("name", ["email", "custom:" + "d" * 20, "custom:x", "dev:thing",
                                  "custom:" + "é" * 5, "custom:" + "a" * 20])
def test_valid_names(name: str) -> None:
    assert v.check_attribute_name(name) == name


@pytest.mark.parametrize(("name", "words"), [
    ("", "empty"),
    ("custom:" + "a" * 26, "at most 32"),          # 33 characters
    ("custom:" + "a" * 21, "at most 20"),
    ("custom:", "needs a name"),
    ("department", "custom:department"),
    ("bad\x00name", "U+0000"),
    ("with space", "U+0020"),
])
def test_invalid_names(name: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        v.check_attribute_name(name)
    assert words in str(info.value)


def test_name_length_boundary_is_32() -> None:
    assert v.check_attribute_name("dev:" + "a" * 28)  # 32
    with pytest.raises(ValidationError):
        v.check_attribute_name("dev:" + "a" * 29)  # 33


def test_sub_is_never_writable() -> None:
    with pytest.raises(ValidationError, match="cannot be changed"):
        v.check_writable("sub")


def test_value_length_boundary_is_2048() -> None:
    assert v.check_attribute_value("custom:x", "a" * 2048)
    with pytest.raises(ValidationError, match="2049 characters"):
        v.check_attribute_value("custom:x", "a" * 2049)
    with pytest.raises(ValidationError):
        v.check_attribute_value("custom:x", "a" * 1_000_000)


@pytest.mark.parametrize("value", ["a\x00b", "\x1b[31m", "evil\u202etxt.exe", "x\u2066y"])
def test_control_and_bidi_characters_are_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="U\\+"):
        v.check_attribute_value("custom:x", value)


@pytest.mark.parametrize("value", ["", "emoji 🎉", "日本語", "line\nbreak", "tab\there"])
def test_ordinary_text_is_accepted(value: str) -> None:
    assert v.check_attribute_value("custom:x", value) == value


@pytest.mark.parametrize(("name", "value"), [
    ("email", "not-an-email"), ("email", "a@b"), ("email", "a b@c.com"),
    ("phone_number", "0123456"), ("phone_number", "+1 555 123"), ("phone_number", "+0123"),
    ("email_verified", "yes"),
])
def test_forms_that_cannot_be_right(name: str, value: str) -> None:
    with pytest.raises(ValidationError):
        v.check_attribute_value(name, value)


def test_codes() -> None:
    assert v.check_code(" 123456\n") == "123456"
    with pytest.raises(ValidationError, match="spaces"):
        v.check_code("123 456")
    with pytest.raises(ValidationError, match="empty"):
        v.check_code("   ")
    with pytest.raises(ValidationError):
        v.check_code("1" * 2049)


@pytest.mark.parametrize("pool", ["eu-west-1", "eu-west-1_", "_abc", "eu west_1", "x_" + "a" * 60])
def test_bad_pool_ids(pool: str) -> None:
    with pytest.raises(ValidationError):
        v.check_user_pool_id(pool)


def test_client_ids_and_secrets() -> None:
    assert v.check_client_id("abc+123_x")
    for bad in ("", "a-b", "a" * 129):
        with pytest.raises(ValidationError):
            v.check_client_id(bad)
    with pytest.raises(ValidationError) as info:
        v.check_client_secret("short-secret!")
    assert "short-secret" not in str(info.value)
