"""What staff and kiosks do with kiosk records."""

from django.core.cache import cache
from django.utils import timezone

from kiosks.models import Kiosk, hash_token

CACHE_SECONDS = 60


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
    """Stop a kiosk's token from working, at once on every server process."""
    kiosk.revoked_at = timezone.now()
    kiosk.save(update_fields=["revoked_at"])
    cache.delete(_cache_key(kiosk.token_hash))


def kiosk_heartbeat(*, kiosk: Kiosk, client_version: str, feed_cursor: str) -> Kiosk:
    """Record that the kiosk is alive, what it runs and how far it has synced."""
    kiosk.last_seen_at = timezone.now()
    kiosk.client_version = client_version[:40]
    kiosk.feed_cursor = feed_cursor[:200]
    kiosk.save(update_fields=["last_seen_at", "client_version", "feed_cursor"])
    return kiosk


def _cache_key(token_hash: str) -> str:
    return f"kiosk:{token_hash}"


def kiosk_for_token(token: str) -> Kiosk | None:
    """The active kiosk with this token, or None; cached briefly so polling costs no query.

    Only kiosks are cached: an unknown token costs a query each time, so random
    tokens cannot fill the cache and push other entries out.
    """
    token_hash = hash_token(token)
    key = _cache_key(token_hash)
    kiosk = cache.get(key)
    if kiosk is None:
        kiosk = Kiosk.objects.active().filter(token_hash=token_hash).first()
        if kiosk is not None:
            cache.set(key, kiosk, CACHE_SECONDS)
    return kiosk or None
