"""When publishing tells residents something: one notification per revision, corrections after.

Called from page signals inside the publishing transaction. A notification is
keyed by its revision, so a signal sent twice or a publish repeated finds the
existing one; planning is enqueued only after the transaction commits.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.models import Locale, Page

from core.content_types import content_type, content_type_of
from subscriptions.announcements import announcement_refusal
from subscriptions.models import Delivery, Notification

_suppressed: ContextVar[bool] = ContextVar("notifications_suppressed", default=False)


@contextmanager
def notifications_suppressed():
    """Publish without telling anyone (demo seeding, bulk imports)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def page_facts(page: Page) -> dict | None:
    """What matching and messages need to know about a page, or None for non-content pages."""
    content_type = content_type_of(page)
    if content_type is None:
        return None
    page = page.specific
    return {
        "type": content_type.code,
        "title": page.title,
        "community": page.community.code if page.community_id else "",
        "audience": sorted({category.code for category in content_type.audience(page)}),
        "urgent": content_type.urgent(page),
        "expires_at": content_type.expires(page),
        "visible_from": content_type.window(page)[0],
        "translation_key": page.translation_key,
    }


def _is_source(page: Page) -> bool:
    """Only the default-locale page announces; its translations are what readers of other locales get."""
    default = Locale.get_default()
    if page.locale_id == default.pk:
        return True
    return not Page.objects.filter(translation_key=page.translation_key, locale=default).exists()


def _create(kind: str, key: str, **fields) -> Notification | None:
    try:
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                kind=kind, key=key, defaults={**fields, "planning_touched_at": timezone.now()}
            )
    except IntegrityError:  # created meanwhile by a concurrent signal
        return None
    if not created:
        return None
    from subscriptions.tasks import notification_plan

    transaction.on_commit(lambda: notification_plan.enqueue(notification.pk))
    return notification


def _announced(translation_key) -> Notification | None:
    return (
        Notification.objects.filter(
            translation_key=translation_key, kind=Notification.Kind.PUBLISHED
        )
        .order_by("-pk")
        .first()
    )


def _correct(page: Page, facts: dict, reason: str, key: str) -> Notification | None:
    original = _announced(facts["translation_key"])
    if original is None:
        return None
    already = Notification.objects.filter(
        translation_key=facts["translation_key"],
        kind=Notification.Kind.CORRECTION,
        reason=reason,
        pk__gt=original.pk,
    ).exists()
    if already:
        return None
    # What was not sent yet is not sent at all, digests included.
    Delivery.objects.filter(
        notification__translation_key=facts["translation_key"],
        notification__kind=Notification.Kind.PUBLISHED,
        status__in=[*Delivery.DUE, Delivery.Status.WAITING],
    ).update(status=Delivery.Status.CANCELLED, last_error=f"superseded: {reason}")
    return _create(
        Notification.Kind.CORRECTION,
        key,
        page=page,
        reason=reason,
        corrects=original,
        **facts,
    )


def notification_for_publish(page: Page, revision) -> Notification | None:
    """The notification this publish causes, if any (None when it causes none or exists)."""
    if _suppressed.get() or revision is None:
        return None
    if not page.live:
        # Scheduled: Wagtail sends the signal now and again at go-live, with the
        # same revision. Announced then, when residents can open the link.
        return None
    facts = page_facts(page)
    if facts is None or not _is_source(page):
        return None
    specific = page.specific
    if reason := content_type(facts["type"]).correction(specific):
        return _correct(page, facts, reason, f"{revision.pk}:{reason}")
    if not getattr(specific, "notify_subscribers", True):
        return None
    if announcement_refusal(specific, revision.user):
        # Announced within the day and no reviewer confirmed: the box unticks, nothing is sent.
        _untick(specific, revision)
        return None
    notification = _create(Notification.Kind.PUBLISHED, str(revision.pk), page=page, **facts)
    if notification is not None:
        _untick(specific, revision)
    return notification


def notification_for_withdrawal(page: Page) -> Notification | None:
    """A correction for a notice or event taken down after it was announced."""
    if _suppressed.get():
        return None
    facts = page_facts(page)
    if facts is None or not _is_source(page):
        return None
    reason = content_type(facts["type"]).withdrawn_reason
    if reason is None:
        return None
    return _correct(page, facts, reason, f"unpublished:{page.pk}:{timezone.now().isoformat()}")


def _untick(page, revision) -> None:
    """The box means "tell subscribers about this publish"; the next edit starts unticked."""
    if not getattr(page, "notify_subscribers", False):
        return
    type(page).objects.filter(pk=page.pk).update(notify_subscribers=False)
    content = dict(revision.content or {})
    if content.get("notify_subscribers"):
        content["notify_subscribers"] = False
        type(revision).objects.filter(pk=revision.pk).update(content=content)
