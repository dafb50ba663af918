"""Recognises kiosks by their bearer token on API requests."""

from kiosks.operations import kiosk_for_token


class KioskTokenMiddleware:
    """Sets `request.kiosk` (or None) from `Authorization: Bearer <token>` on /api/ requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.kiosk = None
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if request.path.startswith("/api/") and header.startswith("Bearer "):
            request.kiosk = kiosk_for_token(header[7:].strip())
            request.kiosk_token_given = True
        return self.get_response(request)
