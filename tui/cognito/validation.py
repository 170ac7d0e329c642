"""Client-side checks from botocore's cognito-idp model, run before anything is sent.

The model's patterns use \\p{..} classes that Python's `re` lacks, so they are checked with
unicodedata categories. Each check raises ValidationError with words a support person can act
on; a request that the model says is invalid is never sent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from tui.cognito.errors import ValidationError

ATTRIBUTE_NAME_MAX = 32          # AttributeNameType: min 1, max 32
ATTRIBUTE_VALUE_MAX = 2048       # AttributeValueType: max 2048
CODE_MAX = 2048                  # ConfirmationCodeType: min 1, max 2048, [\S]+
CUSTOM_PREFIX = "custom:"
CUSTOM_NAME_MAX = 20             # Cognito's limit on a custom attribute's own name
STRING_MAX = 131072              # StringType, used by ClientMetadata keys and values

#: Cognito's standard attributes (OIDC), as GetUser names them.
STANDARD_ATTRIBUTES = frozenset({
    "address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name",
    "locale", "middle_name", "name", "nickname", "phone_number", "phone_number_verified",
    "picture", "preferred_username", "profile", "sub", "updated_at", "website", "zoneinfo",
})
#: Attributes no user-side call can ever write.
NEVER_WRITABLE = frozenset({"sub"})
#: Set by Cognito through verification, not written by the user's app client by default.
VERIFIED_FLAGS = frozenset({"email_verified", "phone_number_verified"})

_POOL_ID = re.compile(r"[\w-]+_[0-9a-zA-Z]+")
_CLIENT_ID = re.compile(r"[\w+]+")
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
# Deliberately loose: one @, something before it, a dot in the domain, no spaces.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
# Bidirectional overrides and isolates can make a value display as something it is not.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _in_classes(ch: str, extra: str = "") -> bool:
    # [\p{L}\p{M}\p{S}\p{N}\p{P}] plus `extra`: letters, marks, symbols, numbers, punctuation.
    return ch in extra or unicodedata.category(ch)[0] in "LMSNP"


def check_attribute_name(name: str) -> str:
    """AttributeNameType: 1-32 characters of letters, marks, symbols, numbers, punctuation."""
    if not name:
        raise ValidationError("name", "an attribute name cannot be empty")
    if len(name) > ATTRIBUTE_NAME_MAX:
        raise ValidationError(
            "name", f"{len(name)} characters; an attribute name has at most {ATTRIBUTE_NAME_MAX}")
    bad = next((ch for ch in name if not _in_classes(ch)), None)
    if bad is not None:
        raise ValidationError("name", f"the character {_show_char(bad)} is not allowed in a name")
    if name.startswith(CUSTOM_PREFIX):
        own = name[len(CUSTOM_PREFIX):]
        if not own:
            raise ValidationError("name", "a custom attribute needs a name after 'custom:'")
        if len(own) > CUSTOM_NAME_MAX:
            raise ValidationError(
                "name", f"a custom attribute's name has at most {CUSTOM_NAME_MAX} characters "
                        f"after 'custom:'")
    elif ":" not in name and name not in STANDARD_ATTRIBUTES:
        raise ValidationError(
            "name", f"'{name}' is not a standard attribute; custom attributes are written "
                    f"'custom:{name}'")
    return name


def check_writable(name: str) -> str:
    """A name this app may try to write. `sub` is assigned by Cognito and never changes."""
    check_attribute_name(name)
    if name in NEVER_WRITABLE:
        raise ValidationError("name", f"'{name}' is assigned by Cognito and cannot be changed")
    return name


def check_attribute_value(name: str, value: str) -> str:
    """AttributeValueType (at most 2048), plus the forms Cognito would refuse anyway."""
    if len(value) > ATTRIBUTE_VALUE_MAX:
        raise ValidationError(
            "value", f"{len(value)} characters; a value has at most {ATTRIBUTE_VALUE_MAX}")
    bad = next((ch for ch in value if _is_control(ch)), None)
    if bad is not None:
        raise ValidationError("value", f"the value contains the control character "
                                       f"{_show_char(bad)}; remove it")
    if name == "email" and value and not _EMAIL.fullmatch(value):
        raise ValidationError("value", "this is not an email address (name@example.com)")
    if name == "phone_number" and value and not _E164.fullmatch(value):
        raise ValidationError(
            "value", "a phone number is written in E.164 form: + and country code, digits only "
                     "(+15551234567)")
    if name in VERIFIED_FLAGS and value not in ("true", "false"):
        raise ValidationError("value", f"'{name}' is either true or false")
    return value


def check_code(code: str) -> str:
    """ConfirmationCodeType: 1-2048 characters, none of them white space.

    Surrounding white space (a paste with a newline) is dropped; inner spaces are an error, as
    they are likely a mistyped code rather than something to guess at.
    """
    code = code.strip()
    if not code:
        raise ValidationError("code", "the code is empty")
    if len(code) > CODE_MAX:
        raise ValidationError("code", f"a code has at most {CODE_MAX} characters")
    if any(ch.isspace() for ch in code):
        raise ValidationError("code", "the code has spaces in it; type it without spaces")
    return code


def check_user_pool_id(pool_id: str) -> str:
    if not (1 <= len(pool_id) <= 55) or not _POOL_ID.fullmatch(pool_id):
        raise ValidationError(
            "user pool id", f"'{pool_id}' is not a user pool id (region_id, like "
                            "eu-west-1_AbCdEf123)")
    return pool_id


def check_client_id(client_id: str) -> str:
    if not (1 <= len(client_id) <= 128) or not _CLIENT_ID.fullmatch(client_id):
        raise ValidationError("client id", "an app client id is 1-128 letters, digits, _ or +")
    return client_id


def check_client_secret(secret: str) -> str:
    if not (24 <= len(secret) <= 64) or not _CLIENT_ID.fullmatch(secret):
        # Never echo the secret itself.
        raise ValidationError("client secret", "an app client secret is 24-64 letters, digits, "
                                               "_ or +")
    return secret


def check_client_metadata(metadata: Mapping[str, str]) -> dict[str, str]:
    """ClientMetadataType: a map of StringType (at most 131072 characters each)."""
    out: dict[str, str] = {}
    for key, value in metadata.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ValidationError("client metadata", "keys and values must be text")
        if len(key) > STRING_MAX or len(value) > STRING_MAX:
            raise ValidationError("client metadata", f"'{key[:20]}' is too long")
        out[key] = value
    return out


def _is_control(ch: str) -> bool:
    # Tabs and newlines are legitimate in an address attribute; NUL and friends never are.
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS


def _show_char(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")
