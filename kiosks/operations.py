"""What staff and kiosks do with kiosk records."""

from django.utils import timezone

from kiosks.models import Kiosk, hash_token


def kiosk_create(
    *, name: str, community: str = "", location: str = "", locale: str = "zh-hans"
) -> tuple[Kiosk, str]:
    """Register a kiosk; returns it and its token, which is shown once and never stored."""
    kiosk = Kiosk(name=name, community=community, location=location, locale=locale)
    token = kiosk.issue_token()
    kiosk.full_clean()
    kiosk.save()
    return kiosk, token


def kiosk_revoke(*, kiosk: Kiosk) -> None:
    """Stop a kiosk's token from working, at once on every server process.

    Nothing to forget anywhere: every request looks its token up afresh.
    """
    kiosk.revoked_at = timezone.now()
    kiosk.save(update_fields=["revoked_at"])


def kiosk_heartbeat(*, kiosk: Kiosk, client_version: str, feed_cursor: str) -> Kiosk:
    """Record that the kiosk is alive, what it runs and how far it has synced."""
    kiosk.last_seen_at = timezone.now()
    kiosk.client_version = client_version[:40]
    kiosk.feed_cursor = feed_cursor[:200]
    kiosk.save(update_fields=["last_seen_at", "client_version", "feed_cursor"])
    return kiosk


def kiosk_for_token(token: str) -> Kiosk | None:
    """The active kiosk with this token, or None.

    Asked on every request, never cached: a revocation or an edit made by any
    server process counts from the next request. It is one lookup on the
    unique index of `token_hash`, cheaper than the rest of any kiosk request.
    """
    return Kiosk.objects.active().filter(token_hash=hash_token(token)).first()
