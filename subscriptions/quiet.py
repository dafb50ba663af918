"""Quiet hours in Beijing time: is now inside them, and when do they end."""

import datetime

from django.utils import timezone


def in_quiet_hours(start, end, at: datetime.datetime) -> bool:
    if start is None or end is None or start == end:
        return False
    now = timezone.localtime(at).time()
    if start < end:
        return start <= now < end
    return now >= start or now < end


def quiet_until(start, end, at: datetime.datetime) -> datetime.datetime | None:
    """When a message held at `at` may go, or None if `at` is outside the quiet hours."""
    if not in_quiet_hours(start, end, at):
        return None
    local = timezone.localtime(at)
    release = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if release <= local:
        release += datetime.timedelta(days=1)
    return release
