"""One exception hierarchy for everything the Cognito layer can raise.

    CognitoTuiError
    ├── UsageError            bad input caught before any request (ValidationError), bad config
    ├── NotSignedInError      no usable tokens for the profile
    ├── TokenFormatError      a token that is not a JWT
    ├── SignInError           a challenge the app cannot answer
    ├── NetworkError          the request never got an answer (ConnectError, TimeoutError, ...)
    └── CognitoError          Cognito (or something in its place) answered with an error
        ├── one class per documented error code, e.g. NotAuthorizedException
        ├── UnknownCognitoError   a code the model does not document
        └── MalformedResponseError   a body that is not the JSON the model promises

Every CognitoError carries the code, the (redacted) message, the HTTP status and the request id:
support tickets need the request id.
"""

from __future__ import annotations

from typing import ClassVar


class CognitoTuiError(Exception):
    """Base of every error cognito-tui raises on purpose."""

    #: Words a support person understands, with the next step where there is one.
    hint: ClassVar[str] = ""


class UsageError(CognitoTuiError):
    """The user's input or configuration is wrong; nothing was sent."""


class ValidationError(UsageError):
    """Input that the service model says is invalid; nothing was sent."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class ConfigError(UsageError):
    """A profile, endpoint or setting that cannot be used."""


class NotSignedInError(CognitoTuiError):
    hint = "Sign in with `cognito-tui login`."


class TokenFormatError(CognitoTuiError):
    """A token that cannot be decoded. The message never contains the token."""


class SignInError(CognitoTuiError):
    """The sign-in cannot go on: an unsupported challenge, a broken response."""


class NetworkError(CognitoTuiError):
    """No answer came back: connection refused or reset, DNS, TLS, timeout.

    `maybe_sent` is True when the request may have reached Cognito (so a change may have been
    made, or a code sent); False when it surely did not.
    """

    hint = "Check the network or the endpoint, then retry."

    def __init__(self, message: str, *, maybe_sent: bool, attempts: int = 1) -> None:
        super().__init__(message)
        self.maybe_sent = maybe_sent
        self.attempts = attempts


class CognitoError(CognitoTuiError):
    """An error answer. Subclasses are named exactly as Cognito's codes."""

    code: ClassVar[str] = ""
    #: Throttling and Cognito's own faults; the transport also retries any 5xx where it is safe.
    retryable: ClassVar[bool] = False

    def __init__(self, message: str = "", *, code: str | None = None, status: int = 0,
                 request_id: str | None = None, attempts: int = 1) -> None:
        self.error_code = code or self.code
        self.message = message
        self.status = status
        self.request_id = request_id
        self.attempts = attempts
        super().__init__(f"{self.error_code}: {message}" if message else self.error_code)

    def describe(self) -> str:
        """One line for people: the hint if we have one, else Cognito's own message."""
        text = self.message or self.error_code
        if self.hint:
            text = f"{text} ({self.hint})" if self.message else self.hint
        return text


class UnknownCognitoError(CognitoError):
    """A code that botocore's model does not document for these operations."""


class MalformedResponseError(CognitoError):
    """The server answered, but not with the JSON the model promises (an HTML 5xx page...)."""

    code = "MalformedResponse"
    hint = "The server's answer was not Cognito's JSON; check the endpoint or retry later."


class HttpStatusError(CognitoError):
    """An error status with no error code at all (no `__type`, no header)."""

    hint = "The server answered with an HTTP error and no Cognito error code."


def _error(code: str, hint: str, *, retryable: bool = False) -> type[CognitoError]:
    cls = type(code, (CognitoError,), {"code": code, "hint": hint, "retryable": retryable,
                                       "__module__": __name__,
                                       "__doc__": f"Cognito's {code}. {hint}"})
    return cls


# The documented errors of the operations the app uses (botocore's cognito-idp model).
AliasExistsException = _error(
    "AliasExistsException",
    "Another user already uses this email address or phone number.")
CodeDeliveryFailureException = _error(
    "CodeDeliveryFailureException",
    "Cognito could not send the verification code; check the address and try again later.")
CodeMismatchException = _error(
    "CodeMismatchException", "The code is wrong. Check it and type it again.")
ExpiredCodeException = _error(
    "ExpiredCodeException", "The code has expired. Ask for a new one (resend).")
FeatureUnavailableInTierException = _error(
    "FeatureUnavailableInTierException", "The user pool's plan does not include this feature.")
ForbiddenException = _error(
    "ForbiddenException", "AWS WAF blocked the request for this user pool.")
InternalErrorException = _error(
    "InternalErrorException", "Cognito had an internal error; retry in a moment.", retryable=True)
InvalidEmailRoleAccessPolicyException = _error(
    "InvalidEmailRoleAccessPolicyException",
    "The user pool cannot send email (its SES setup is wrong); tell the pool's administrator.")
InvalidLambdaResponseException = _error(
    "InvalidLambdaResponseException",
    "A Lambda trigger of the user pool returned something invalid; tell the administrator.")
InvalidParameterException = _error(
    "InvalidParameterException", "Cognito refused a value; see its message.")
InvalidPasswordException = _error(
    "InvalidPasswordException", "The new password does not meet the pool's password rules.")
InvalidSmsRoleAccessPolicyException = _error(
    "InvalidSmsRoleAccessPolicyException",
    "The user pool cannot send SMS (its SNS role is wrong); tell the pool's administrator.")
InvalidSmsRoleTrustRelationshipException = _error(
    "InvalidSmsRoleTrustRelationshipException",
    "The user pool cannot send SMS (its SNS role trust is wrong); tell the administrator.")
InvalidUserPoolConfigurationException = _error(
    "InvalidUserPoolConfigurationException",
    "The user pool is not set up for this kind of sign-in.")
LimitExceededException = _error(
    "LimitExceededException", "Too many attempts. Wait a while (minutes) before trying again.")
MFAMethodNotFoundException = _error(
    "MFAMethodNotFoundException", "The chosen MFA method is not set up for this user.")
NotAuthorizedException = _error(
    "NotAuthorizedException", "Not allowed: wrong credentials, or an expired or revoked token.")
OperationNotEnabledException = _error(
    "OperationNotEnabledException", "This operation is not enabled for the user pool.")
PasswordHistoryPolicyViolationException = _error(
    "PasswordHistoryPolicyViolationException",
    "The new password was used recently; choose another one.")
PasswordResetRequiredException = _error(
    "PasswordResetRequiredException",
    "The user must reset their password before signing in (forgot-password flow).")
RefreshTokenReuseException = _error(
    "RefreshTokenReuseException", "The refresh token was already used; sign in again.")
ResourceNotFoundException = _error(
    "ResourceNotFoundException",
    "The user pool or app client does not exist; check the profile's pool and client ids.")
SoftwareTokenMFANotFoundException = _error(
    "SoftwareTokenMFANotFoundException", "No authenticator app is set up for this user.")
TooManyRequestsException = _error(
    "TooManyRequestsException", "Cognito is throttling requests; wait a moment and retry.",
    retryable=True)
UnauthorizedException = _error(
    "UnauthorizedException", "The app client is not allowed to do this (check its secret).")
UnexpectedLambdaException = _error(
    "UnexpectedLambdaException",
    "A Lambda trigger of the user pool failed; tell the pool's administrator.")
UnsupportedOperationException = _error(
    "UnsupportedOperationException", "The user pool does not support this operation.")
UnsupportedTokenTypeException = _error(
    "UnsupportedTokenTypeException", "This kind of token cannot be revoked.")
UserLambdaValidationException = _error(
    "UserLambdaValidationException",
    "A Lambda trigger of the user pool rejected the change; see its message.")
UserNotConfirmedException = _error(
    "UserNotConfirmedException", "The user has not confirmed their sign-up yet.")
UserNotFoundException = _error(
    "UserNotFoundException", "The user does not exist (or was deleted).")

#: Code -> class, for every documented error of the operations the app uses.
ERROR_CLASSES: dict[str, type[CognitoError]] = {
    cls.code: cls
    for cls in (
        AliasExistsException, CodeDeliveryFailureException, CodeMismatchException,
        ExpiredCodeException, FeatureUnavailableInTierException, ForbiddenException,
        InternalErrorException, InvalidEmailRoleAccessPolicyException,
        InvalidLambdaResponseException, InvalidParameterException, InvalidPasswordException,
        InvalidSmsRoleAccessPolicyException, InvalidSmsRoleTrustRelationshipException,
        InvalidUserPoolConfigurationException, LimitExceededException,
        MFAMethodNotFoundException, NotAuthorizedException, OperationNotEnabledException,
        PasswordHistoryPolicyViolationException, PasswordResetRequiredException,
        RefreshTokenReuseException, ResourceNotFoundException,
        SoftwareTokenMFANotFoundException, TooManyRequestsException, UnauthorizedException,
        UnexpectedLambdaException, UnsupportedOperationException,
        UnsupportedTokenTypeException, UserLambdaValidationException,
        UserNotConfirmedException, UserNotFoundException,
    )
}


def error_for(code: str, message: str, *, status: int, request_id: str | None) -> CognitoError:
    """The typed error for a code; unknown codes still give a typed error carrying the code."""
    cls = ERROR_CLASSES.get(code)
    if cls is None:
        return UnknownCognitoError(message, code=code, status=status, request_id=request_id)
    return cls(message, status=status, request_id=request_id)


def is_token_expired(error: BaseException) -> bool:
    """NotAuthorized because the access token expired (refreshing will help)."""
    return isinstance(error, NotAuthorizedException) and "expired" in error.message.lower()


def is_token_revoked(error: BaseException) -> bool:
    """NotAuthorized because the token was revoked or is invalid (only a new sign-in helps)."""
    if not isinstance(error, NotAuthorizedException):
        return False
    text = error.message.lower()
    return "revoked" in text or "invalid access token" in text or "invalid refresh token" in text


class StoreError(CognitoTuiError):
    """The token store failed (locked keyring, no D-Bus, quota). The session goes on in memory."""
