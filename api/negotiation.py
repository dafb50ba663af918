"""Content negotiation with its refusals in the API's error shape."""

from rest_framework.negotiation import DefaultContentNegotiation

from core.errors import ApiError


class JsonNegotiation(DefaultContentNegotiation):
    """DRF's negotiation; an unknown `?format=` is a 400 naming the field, not an empty 404."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            known = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise ApiError(
                "invalid_choice",
                f"'{format[:40]}' is not a format of this endpoint. Known: {known}.",
                field=self.settings.URL_FORMAT_OVERRIDE,
            )
        return matching
