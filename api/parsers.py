"""JSON request bodies, refused at the door when a later step could not handle them."""

from django.utils.translation import gettext_lazy as _

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from core.errors import ApiError
from core.params import valid_text

# No request of ours nests deeper than web_push.keys (three levels); this leaves room.
MAX_DEPTH = 32


def _first_bad_text(data) -> tuple[bool, str | None]:
    """Whether `data` holds text with NUL or a lone surrogate, and the top-level field holding it.

    Walked without recursion, so depth is bounded by MAX_DEPTH and not by the stack.
    """
    stack = [(data, None, 0)]
    while stack:
        value, field, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(_("JSON 正文嵌套太深（最多 {depth} 层）。").format(depth=MAX_DEPTH))
        if isinstance(value, str):
            if not valid_text(value):
                return True, field
        elif isinstance(value, dict):
            for key, entry in value.items():
                name = field if depth else key
                if not valid_text(key):
                    return True, field
                stack.append((entry, name, depth + 1))
        elif isinstance(value, list):
            stack.extend((entry, field, depth + 1) for entry in value)
    return False, None


class JSONBodyParser(JSONParser):
    """DRF's JSON parser, plus what it lets through and the rest of the stack cannot take.

    A body nested thousands deep (Python's parser recurses), text with NUL (PostgreSQL refuses it) or a lone surrogate (`"\\ud800"`, valid
    JSON but no Unicode, so no database or hash takes it) are a 400 or 415 here
    rather than a 500 later.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                _("JSON 正文嵌套太深（最多 {depth} 层）。").format(depth=MAX_DEPTH)
            ) from None
        bad, field = _first_bad_text(data)
        if bad:
            raise ApiError(
                "invalid_text",
                str(_("文字里不能有 NUL 字符或不成对的代理码位（如 \\ud800）。")),
                field=field,
            )
        return data
