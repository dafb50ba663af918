"""Providers' receipts: the id a provider gave a message, then the carrier's report on it."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from subscriptions.models import Receipt


def receipt_accepted(*, delivery_id: int, provider: str, provider_id: str) -> None:
    """The provider took the message: keep its id, to match the report that follows."""
    Receipt.objects.update_or_create(
        delivery_id=delivery_id,
        defaults={
            "provider": provider,
            "provider_id": provider_id,
            "status": Receipt.Status.ACCEPTED,
            "code": "",
            "reported_at": None,
        },
    )


@dataclass(frozen=True)
class Report:
    """One status report from a provider's callback (a text message's, or a call's)."""

    provider_id: str
    phone: str  # E.164, or "" when the report gave none
    delivered: bool
    code: str
    reported_at: datetime.datetime | None = None


def receipts_report(*, channel: str, provider: str, reports: list[Report]) -> int:
    """Record status reports; returns how many matched a message the hub sent.

    A report matches by the provider's id for the message and, where the
    delivery still knows its number, by the number too, so a forged report
    naming someone else's message changes nothing. Reports may come twice:
    recording one again changes nothing. Only the channel's receipts match:
    a call's report never touches a text message's.
    """
    now = timezone.now()
    matched = 0
    for report in reports:
        receipts = Receipt.objects.filter(
            provider=provider, provider_id=report.provider_id, delivery__channel=channel
        ).select_related("delivery__address")
        for receipt in receipts:
            address = receipt.delivery.address
            if report.phone and address is not None and address.address != report.phone:
                continue
            receipt.status = Receipt.Status.DELIVERED if report.delivered else Receipt.Status.FAILED
            receipt.code = report.code[:64]
            receipt.reported_at = report.reported_at or now
            receipt.save(update_fields=["status", "code", "reported_at"])
            matched += 1
    return matched
