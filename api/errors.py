"""Errors as clients see them: JSON with a stable code, the field at fault and a message."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404

from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApiError, error_response

# Every `error.code` an answer under /api/ may carry; the schema lists them as
# ErrorBody.code's enum, so a new code is added here (and to docs/api.md).
ERROR_CODES = (
    # 400: a parameter, a body or a field of it
    "unknown_parameter",
    "repeated_parameter",
    "missing_parameter",
    "invalid_choice",
    "invalid_limit",
    "invalid_boolean",
    "invalid_datetime",
    "invalid_range",
    "invalid_cursor",
    "invalid_number",
    "invalid_parameter",
    "invalid_text",
    "invalid",
    "invalid_token",
    "invalid_code",
    "consent_required",
    "relationship_required",
    "agreement_required",
    "malformed_request",
    "bad_request",
    # other statuses
    "not_authenticated",
    "authentication_failed",
    "permission_denied",
    "not_found",
    "method_not_allowed",
    "not_acceptable",
    "resync_required",
    "too_large",
    "unsupported_media_type",
    "rate_limited",
    "already_rated",
    "server_error",
    "error",
)

DRF_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
    exceptions.ParseError: "malformed_request",
}


def _first_message(detail) -> str:
    """The first message of a field's errors, however deep (nested objects, list items)."""
    while isinstance(detail, dict | list) and detail:
        detail = next(iter(detail.values())) if isinstance(detail, dict) else detail[0]
    return str(detail)


def body_too_large():
    return error_response(
        "too_large",
        f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.",
        status=413,
    )


def not_found(path: str):
    return error_response(
        "not_found", f"Nothing is published at {path[:200]}; see /api/v1/docs/.", status=404
    )


def exception_handler(exc, context):
    """DRF's handler, reshaped into the `{"error": {...}}` form every endpoint uses."""
    if isinstance(exc, ApiError):
        return exc.response()
    if isinstance(exc, RequestDataTooBig):
        return body_too_large()
    if isinstance(exc, Http404):
        return not_found(context["request"].path)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        field, messages = next(iter(exc.detail.items()))
        return error_response(
            "invalid", _first_message(messages), field=field, status=response.status_code
        )
    code = next((c for kind, c in DRF_CODES.items() if isinstance(exc, kind)), "error")
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    out = error_response(code, str(detail), status=response.status_code)
    for header in ("Retry-After", "WWW-Authenticate", "Allow"):
        if header in response:
            out[header] = response[header]
    return out
