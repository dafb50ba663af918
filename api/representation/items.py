"""The documented shape of a service, notice or event as kiosks and apps receive it.

Built once per publish (see api.projection), never per request, so it may
follow links and render images freely.
"""

from datetime import datetime
from functools import lru_cache
from html import escape

from django.conf import settings
from django.utils import timezone, translation

from wagtail.models import Page, TranslatableMixin
from wagtail.rich_text import expand_db_html

from api.representation.html import sanitise

IMAGE_SIZES = {"kiosk": "max-1920x1080", "phone": "max-750x750"}
BODY_IMAGE = "max-1080x1080"
TYPE_OF = {"servicepage": "service", "noticepage": "notice", "eventpage": "event"}


def item_type(page: Page) -> str | None:
    """'service', 'notice' or 'event' for content pages, None for anything else."""
    return TYPE_OF.get(page.specific_class._meta.model_name) if page.specific_class else None


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
            self._memo[key] = (
                type(obj)
                .objects.filter(
                    translation_key=obj.translation_key, locale__language_code=self.locale_code
                )
                .first()
            )
        return self._memo[key] or obj

    def prime(self, model: type, objects) -> None:
        """Look up the translations of many `objects` of `model` at once (a rebuild's batch)."""
        keys = {
            obj.translation_key
            for obj in objects
            if obj.locale_id != self.locale_id and (model, obj.translation_key) not in self._memo
        }
        if not keys:
            return
        found = {
            row.translation_key: row
            for row in model.objects.filter(translation_key__in=keys, locale_id=self.locale_id)
        }
        for key in keys:
            self._memo[(model, key)] = found.get(key)


# Translated choice labels by (language, label object). Looking a label up in
# the catalogs is slow enough to matter when a rebuild renders 150,000 items;
# the label is kept in the value so its id cannot be reused by another object.
_LABELS: dict[tuple[str | None, int], tuple[object, str]] = {}


def _label(label) -> str:
    if isinstance(label, str):
        return label
    key = (translation.get_language(), id(label))
    if key not in _LABELS:
        _LABELS[key] = (label, str(label))
    return _LABELS[key][1]


def _choice(value: str, choices) -> dict:
    return {"code": value, "label": _label(dict(choices).get(value, value))}


def _body(stream) -> tuple[str, str]:
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


def _categories(categories, localise) -> list[dict]:
    return [{"code": c.code, "name": localise(c).name} for c in categories]


def organisation_repr(org, localise) -> dict | None:
    if org is None:
        return None
    org = localise(org)
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "phone": org.phone,
        "address": org.address,
    }


def _clock(value) -> str | None:
    return value.strftime("%H:%M") if value else None


def point_repr(point, localise) -> dict | None:
    if point is None:
        return None
    shown = localise(point)
    return {
        "id": point.pk,
        "name": shown.name,
        "address": shown.address,
        "latitude": float(point.latitude) if point.latitude is not None else None,
        "longitude": float(point.longitude) if point.longitude is not None else None,
        "phone": point.phone,
        "accessibility_notes": shown.accessibility_notes,
        "hours": [
            {
                "days": sorted(int(day) for day in hours.days),
                "opens": _clock(hours.opens),
                "closes": _clock(hours.closes),
            }
            for hours in point.opening_hours.all()
        ],
        "exceptions": [
            {
                "date": exception.date.isoformat(),
                "closed": exception.closed,
                "opens": _clock(exception.opens),
                "closes": _clock(exception.closes),
                "note": exception.note,
            }
            for exception in point.hours_exceptions.all()
        ],
    }


def _image(image) -> dict | None:
    if image is None:
        return None
    out = {"alt": image.title}
    for name, spec in IMAGE_SIZES.items():
        rendition = image.get_rendition(spec)
        out[name] = {"url": rendition.url, "width": rendition.width, "height": rendition.height}
    return out


def _service(page, localise) -> dict:
    return {
        "kind": _choice(page.kind, page.Kind.choices),
        "service_categories": [
            {
                "code": c.code,
                "name": localise(c).name,
                "parent": c.parent.code if c.parent_id else None,
            }
            for c in page.service_categories.all()
        ],
        "eligibility": page.eligibility,
        "min_age": page.min_age,
        "max_age": page.max_age,
        "provider": organisation_repr(page.provider, localise),
        "fee_mode": _choice(page.fee_mode, page.FeeMode.choices),
        "costs": [block.block.get_api_representation(block.value) for block in page.costs],
        "delivery_modes": [
            _choice(mode, page.DeliveryMode.choices) for mode in page.delivery_modes
        ],
        "service_points": [point_repr(point, localise) for point in page.service_points.all()],
        "documents": [block.block.get_api_representation(block.value) for block in page.documents],
        "steps": [block.block.get_api_representation(block.value) for block in page.steps],
        "promised_days": page.promised_days,
        "apply_url": page.apply_url,
        "hotline": page.hotline,
        "status": _choice(page.status, page.Status.choices),
        "last_verified": page.last_verified.isoformat() if page.last_verified else None,
    }


def _notice(page, localise) -> dict:
    return {
        "issuer": organisation_repr(page.issuer, localise),
        "document_number": page.document_number,
        "valid_from": iso(page.valid_from),
        "valid_until": iso(page.valid_until),
        "urgency": _choice(page.urgency, page.Urgency.choices),
        "pinned": page.pinned,
        "attachments": [
            {
                "title": attachment.title or attachment.document.title,
                "url": attachment.document.url,
                "file_extension": attachment.document.file_extension,
            }
            for attachment in page.attachments.all()
        ],
    }


def _event(page, localise) -> dict:
    return {
        "starts_at": iso(page.starts_at),
        "ends_at": iso(page.ends_at),
        "venue": point_repr(page.venue, localise),
        "venue_address": page.venue_address or (localise(page.venue).address if page.venue else ""),
        "organiser": organisation_repr(page.organiser, localise),
        "event_type": _choice(page.event_type, page.EventType.choices),
        "capacity": page.capacity,
        "registration": {
            "required": page.registration == page.Registration.REQUIRED,
            "how": page.registration_how,
            "deadline": iso(page.registration_deadline),
        },
        "fee": str(page.fee),
        "fee_note": page.fee_note,
        "status": _choice(page.status, page.Status.choices),
        "status_reason": page.status_reason,
        "image": _image(page.image),
    }


BUILDERS = {
    "service": (_service, "description"),
    "notice": (_notice, "body"),
    "event": (_event, "body"),
}


def represent_page(
    page: Page,
    *,
    locale: str,
    translations: dict[str, int | None],
    localise: Localiser | None = None,
) -> dict:
    """The item for `page` as read in `locale` (the page's own locale, or a fallback to it)."""
    page = page.specific
    kind = item_type(page)
    build, body_field = BUILDERS[kind]
    localise = localise or Localiser(locale)
    with translation.override(locale):
        body_html, body_text = _body(getattr(page, body_field))
        community = page.community
        item = {
            "id": page.pk,
            "type": kind,
            "locale": locale,
            "content_locale": page.locale.language_code,
            "fallback": page.locale.language_code != locale,
            "translations": translations,
            "slug": page.slug,
            "title": page.title,
            "summary": page.summary,
            "community": community.code if community else None,
            "audience": _categories(
                page.resident_categories.all() if kind == "service" else page.audience.all(),
                localise,
            ),
            "first_published_at": iso(page.first_published_at),
            "last_published_at": iso(page.last_published_at),
            "web_url": page.get_url(),
            "body_html": body_html,
            "body_text": body_text,
            "machine_converted": False,
            **build(page, localise),
        }
    if item["fallback"] and locale == "zh-hant":
        # Traditional-script readers get the simplified text converted, not as is.
        item = _converted(item)
        item["machine_converted"] = True
    return item


# Identifiers and addresses of resources stay exactly as they are.
UNCONVERTED = {"slug", "web_url", "url", "code", "parent", "apply_url", "locale", "content_locale"}


@lru_cache(maxsize=4096)
def _traditional(text: str, variant: str) -> str:
    # Names, labels and addresses repeat across thousands of items.
    from search.chinese import to_traditional

    return to_traditional(text, variant=variant)


def _converted(value, key: str | None = None, variant: str | None = None):
    if variant is None:
        from search.chinese import default_variant

        variant = default_variant()
    if isinstance(value, str):
        return value if key in UNCONVERTED else _traditional(value, variant)
    if isinstance(value, list):
        return [_converted(entry, key, variant) for entry in value]
    if isinstance(value, dict):
        return {name: _converted(entry, name, variant) for name, entry in value.items()}
    return value


def reading_locales() -> list[str]:
    """Every locale clients may ask for, default first."""
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
