"""The policy notice as a content type: visible within its validity, urgent ones pushed at once."""

from django.utils.translation import gettext_lazy as _

from core import params
from core.content_types import ContentType
from core.representation import choice_repr, iso, related
from home.representation import organisation_repr


def represent(page, localise) -> dict:
    """The notice's own fields of its item."""
    return {
        "issuer": organisation_repr(page.issuer, localise),
        "document_number": page.document_number,
        "valid_from": iso(page.valid_from),
        "valid_until": iso(page.valid_until),
        "urgency": choice_repr(page.urgency, page.Urgency),
        "pinned": page.pinned,
        "attachments": [
            {
                "title": attachment.title or attachment.document.title,
                "url": attachment.document.url,
                "file_extension": attachment.document.file_extension,
            }
            for attachment in related(page, "attachments")
        ],
    }


def columns(page) -> dict:
    """The read model's filter columns a notice fills."""
    return {
        "urgency": page.urgency,
        "pinned": page.pinned,
        "valid_from": page.valid_from,
        "valid_until": page.valid_until,
    }


def window(page) -> tuple:
    """A notice is shown from the start to the end of its validity (the read model's `valid_at`)."""
    return page.valid_from, page.valid_until


def current(at):
    from notices.models import valid_at

    return valid_at(at)


def filters() -> dict:
    """The notice list's own query parameters."""
    from notices.models import NoticePage

    return {
        "urgency": params.choice({c for c, _ in NoticePage.Urgency.choices}),
        "current": params.boolean,
        "pinned": params.boolean,
    }


def lookups(query: dict) -> dict:
    """Item lookups for the notice list's parameters (`current` widens the window instead)."""
    return {name: query[name] for name in ("urgency", "pinned") if name in query}


def gone(item, now) -> bool:
    """A notice whose validity has ended is no longer worth a message."""
    return bool(item.valid_until and item.valid_until <= now)


NOTICE = ContentType(
    code="notice",
    plural="notices",
    label=_("通知公告"),
    model="notices.NoticePage",
    index_model="notices.NoticeIndexPage",
    audience_field="audience",
    body_field="body",
    represent=represent,
    columns=columns,
    prefetch=lambda: (["issuer"], ["audience", "attachments__document"]),
    window=window,
    current=current,
    filters=filters,
    lookups=lookups,
    listing_current=True,
    orderings={
        "-valid_from": ("valid_from", True),
        "-last_published_at": ("last_published_at", True),
        "valid_until": ("valid_until", False),
    },
    default_ordering="-valid_from",
    index_title="通知公告",
    index_intro="政策、补贴、办理时间和重要提醒。",
    reviewed=True,
    list_doc="Notices valid now (or, with current=false, also expired and future ones).",
    detail_doc="One notice by id or slug.",
    author_field="issuer",
    expires=lambda page: page.valid_until,
    urgent=lambda page: page.urgency == "urgent",
    gone=gone,
    withdrawn_reason="withdrawn",
)
