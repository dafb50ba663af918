"""Pieces every item representation is made of: translations of related rows, dates, choices, bodies, images.

Representations are built once per publish (see the read model's projection),
never per request, so they may follow links and render images freely.
"""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from html import escape

from django.utils import timezone, translation

from wagtail.models import TranslatableMixin
from wagtail.rich_text import expand_db_html

from core.html import sanitise

IMAGE_SIZES = {"kiosk": "max-1920x1080", "phone": "max-750x750"}
BODY_IMAGE = "max-1080x1080"
_PAGE_LINK = re.compile(r"""linktype\s*=\s*["']?page""")


def iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


# What a page or record shows the same in every reading locale (its URL, its
# body, opening hours), worked out once while its items are rendered rather
# than once per locale. Values are shared between items, so never mutated.
_shared: ContextVar[dict | None] = ContextVar("shared_representation", default=None)


@contextmanager
def sharing() -> Iterator[None]:
    """Within this block, `shared` pieces are computed once (kept if a block is already open)."""
    if _shared.get() is not None:
        yield
        return
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def shared(obj, name: object, compute: Callable[[], object]):
    """`compute()`, once per `obj` and `name` inside a `sharing` block; every time outside one."""
    memo = _shared.get()
    if memo is None:
        return compute()
    key = (type(obj), obj.pk, name)
    try:
        return memo[key]
    except KeyError:
        memo[key] = value = compute()
        return value


def related(obj, name: str) -> list:
    """The rows of `obj`'s many-to-many or child relation `name`, as `.all()` gives them.

    Rows prefetched (a rebuild's batch) are read straight from the prefetch:
    `.all()` on a cluster model's relation (a page's) first builds Django's
    related manager, which costs more than the rows. Rows held in memory by
    a cluster model (a revision being previewed) still come from `.all()`.
    """
    prefetched = getattr(obj, "_prefetched_objects_cache", None)
    if (
        prefetched
        and name in prefetched
        and name not in getattr(obj, "_cluster_related_objects", ())
    ):
        return list(prefetched[name])
    return list(getattr(obj, name).all())


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


# Label objects by choice, per choices class (a class's `.choices` is a new list each time).
_CHOICES: dict[type, dict] = {}


def choice_repr(value: str, choices) -> dict:
    """A stored choice as clients read it: its code and its label in the active language.

    `choices` is a Django choices class or a list of (code, label) pairs.
    """
    if isinstance(choices, type):
        if choices not in _CHOICES:
            _CHOICES[choices] = dict(choices.choices)
        labels = _CHOICES[choices]
    else:
        labels = dict(choices)
    return {"code": value, "label": _label(labels.get(value, value))}


def links_pages(stream) -> bool:
    """Whether a StreamField body links to a page (whose URL then depends on the active language)."""
    return any(
        block.block_type == "paragraph" and _PAGE_LINK.search(block.value.source)
        for block in stream or []
    )


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
