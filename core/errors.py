"""Errors as clients see them: JSON with a stable code, the field at fault and a message.

Every endpoint (the API, feeds, the subscription pages) answers bad input in this one shape.
"""

from django.http import JsonResponse


class ApiError(Exception):
    """A client mistake or a state the client must react to; never a server fault."""

    def __init__(self, code: str, message: str, *, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.status = status

    def response(self) -> JsonResponse:
        return error_response(self.code, self.message, field=self.field, status=self.status)


def error_response(code: str, message: str, *, field: str | None = None, status: int = 400):
    return JsonResponse(
        {"error": {"code": code, "field": field, "message": message}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
