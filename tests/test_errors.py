"""Error parsing as botocore does it, every documented code, and any bytes -> a typed result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.cognito import errors
from tui.cognito.wire import clean_error_code, parse_response

OPERATIONS = ["GetUser", "UpdateUserAttributes", "VerifyUserAttribute",
              "GetUserAttributeVerificationCode", "DeleteUserAttributes", "InitiateAuth",
              "RespondToAuthChallenge", "GetTokensFromRefreshToken", "RevokeToken",
              "GlobalSignOut"]

# The seed's list for UpdateUserAttributes, as the issue names it.
UPDATE_USER_ATTRIBUTES_ERRORS = [
    "ResourceNotFoundException", "InvalidParameterException", "CodeMismatchException",
    "ExpiredCodeException", "NotAuthorizedException", "UnexpectedLambdaException",
    "UserLambdaValidationException", "InvalidLambdaResponseException",
    "TooManyRequestsException", "AliasExistsException", "InvalidSmsRoleAccessPolicyException",
    "InvalidSmsRoleTrustRelationshipException", "InvalidEmailRoleAccessPolicyException",
    "CodeDeliveryFailureException", "PasswordResetRequiredException", "UserNotFoundException",
    "UserNotConfirmedException", "InternalErrorException",
]
MODEL = Path(__file__).resolve().parents[2] / "shared" / "cognito-idp" / "service-2.json"


def _documented_codes() -> set[str]:
    if not MODEL.exists():
        return set(UPDATE_USER_ATTRIBUTES_ERRORS)
    model = json.loads(MODEL.read_text())
    return {e["shape"] for op in OPERATIONS for e in model["operations"][op].get("errors", [])}


@pytest.mark.parametrize("code", sorted(_documented_codes() | set(UPDATE_USER_ATTRIBUTES_ERRORS)))
def test_every_documented_code_has_its_class(code: str) -> None:
    body = json.dumps({"__type": code, "message": "something happened"}).encode()
    with pytest.raises(errors.CognitoError) as info:
        parse_response(400, {"x-amzn-RequestId": "rid-1"}, body)
    error = info.value
    assert type(error).__name__ == code
    assert type(error) is errors.ERROR_CLASSES[code]
    assert error.error_code == code and error.message == "something happened"
    assert error.request_id == "rid-1" and error.status == 400
    assert error.hint  # words a support person understands


def test_model_is_read_when_present() -> None:
    # CI lays shared/ beside the checkout; the table above must then cover the whole model.
    if MODEL.exists():
        assert len(_documented_codes()) >= 30


@pytest.mark.parametrize(("raw", "clean"), [
    ("NotAuthorizedException", "NotAuthorizedException"),
    ("com.amazonaws.cognito#NotAuthorizedException", "NotAuthorizedException"),
    ("NotAuthorizedException:http://internal.amazon.com/", "NotAuthorizedException"),
    ("aws#CodeMismatchException:http://x#y", "CodeMismatchException"),
])
def test_type_prefix_and_suffix_are_stripped(raw: str, clean: str) -> None:
    assert clean_error_code(raw) == clean


def test_header_is_the_fallback_for_the_code_and_Message_is_accepted() -> None:
    with pytest.raises(errors.ERROR_CLASSES["TooManyRequestsException"]) as info:
        parse_response(400, {"x-amzn-ErrorType": "TooManyRequestsException:http://x"},
                       b'{"Message": "Rate exceeded"}')
    assert info.value.message == "Rate exceeded"


def test_unknown_code_is_still_typed() -> None:
    with pytest.raises(errors.UnknownCognitoError) as info:
        parse_response(400, {}, b'{"__type": "BrandNewException", "message": "hm"}')
    assert info.value.error_code == "BrandNewException"


def test_html_error_page_gives_a_clear_error() -> None:
    with pytest.raises(errors.HttpStatusError) as info:
        parse_response(502, {"content-type": "text/html"}, b"<html><h1>Bad Gateway</h1></html>")
    assert info.value.status == 502
    assert "text/html" in str(info.value) and "<html>" not in str(info.value)


def test_empty_200_is_an_empty_result_and_garbage_200_is_malformed() -> None:
    assert parse_response(200, {}, b"") == {}
    with pytest.raises(errors.MalformedResponseError):
        parse_response(200, {}, b'{"Username": "trunc')
    with pytest.raises(errors.MalformedResponseError):
        parse_response(200, {}, b"[1, 2]")


def test_server_messages_echoing_a_token_are_redacted() -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl"
    body = json.dumps({"__type": "NotAuthorizedException",
                       "message": f"Invalid token: {token}"}).encode()
    with pytest.raises(errors.CognitoError) as info:
        parse_response(400, {}, body)
    assert token not in str(info.value) and token not in info.value.message


@settings(max_examples=300, deadline=None)
@given(status=st.integers(min_value=100, max_value=599), body=st.binary(max_size=300),
       header=st.one_of(st.none(), st.text(max_size=40)))
def test_any_bytes_give_a_dict_or_a_typed_error(status: int, body: bytes,
                                                header: str | None) -> None:
    headers = {} if header is None else {"x-amzn-ErrorType": header.encode("ascii", "ignore")
                                         .decode()}
    try:
        result = parse_response(status, headers, body)
    except errors.CognitoError:
        return
    assert isinstance(result, dict) and status < 300


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(status=st.sampled_from([200, 400, 403, 500, 503]),
       data=st.dictionaries(st.sampled_from(["__type", "message", "Message", "Username",
                                             "UserAttributes", "x"]), json_values, max_size=4))
def test_any_json_gives_a_dict_or_a_typed_error(status: int, data: dict[str, object]) -> None:
    from tui.cognito.models import parse_auth, parse_deliveries, parse_user

    try:
        result = parse_response(status, {}, json.dumps(data).encode())
        parse_deliveries(result.get("CodeDeliveryDetailsList"))
        parse_user(result, None)
        parse_auth(result, None)
    except errors.CognitoError:
        pass
