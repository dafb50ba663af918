"""Pieces every item representation is made of: translations of related rows, dates, choices, bodies, images.

Representations are built once per publish (see the read model's projection),
never per request, so they may follow links and render images freely.
"""

from datetime import datetime
from html import escape

from django.utils import timezone

from wagtail.models import TranslatableMixin
from wagtail.rich_text import expand_db_html

from core.html import sanitise

IMAGE_SIZES = {"kiosk": "max-1920x1080", "phone": "max-750x750"}
BODY_IMAGE = "max-1080x1080"


def iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


class Localiser:
    """Finds the translation of related records in the reading locale, falling back to the original."""

    def __init__(self, locale_code: str):
        from wagtail.models import Locale

        self.locale_code = locale_code
        self.locale_id = (
            Locale.objects.filter(language_code=locale_code).values_list("id", flat=True).first()
        )
        self._memo: dict[tuple[type, object], object] = {}

    def __call__(self, obj):
        if obj is None or not isinstance(obj, TranslatableMixin):
            return obj
        if obj.locale_id == self.locale_id:
            return obj
        key = (type(obj), obj.translation_key)
        if key not in self._memo:
            translated = (
                type(obj)
                .objects.filter(
                    translation_key=obj.translation_key, locale__language_code=self.locale_code
                )
                .first()
            )
            self._memo[key] = translated or obj
        return self._memo[key]


def choice_repr(value: str, choices) -> dict:
    """A stored choice as clients read it: its code and its label in the active language."""
    return {"code": value, "label": str(dict(choices).get(value, value))}


def body_repr(stream) -> tuple[str, str]:
    """A StreamField body as sanitised HTML and plain text."""
    parts: list[str] = []
    for block in stream or []:
        value = block.value
        if block.block_type == "heading":
            parts.append(f"<h2>{escape(value)}</h2>")
        elif block.block_type == "paragraph":
            parts.append(expand_db_html(value.source))
        elif block.block_type == "callout":
            parts.append(
                f'<aside class="callout-{escape(value["tone"])}"><p>{escape(value["text"])}</p></aside>'
            )
        elif block.block_type == "image":
            rendition = value.get_rendition(BODY_IMAGE)
            alt = escape(getattr(value, "contextual_alt_text", "") or value.title, quote=True)
            parts.append(
                f'<figure><img src="{rendition.url}" alt="{alt}" '
                f'width="{rendition.width}" height="{rendition.height}"></figure>'
            )
        elif block.block_type == "document":
            document = value["document"]
            title = escape(value["title"] or document.title)
            parts.append(f'<p><a href="{document.url}">{title}</a></p>')
    return sanitise("".join(parts))


def image_repr(image) -> dict | None:
    if image is None:
        return None
    out = {"alt": image.title}
    for name, spec in IMAGE_SIZES.items():
        rendition = image.get_rendition(spec)
        out[name] = {"url": rendition.url, "width": rendition.width, "height": rendition.height}
    return out
