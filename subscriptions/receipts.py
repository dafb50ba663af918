"""Providers' receipts: the id a provider gave a message, then the carrier's report on it."""

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from subscriptions.models import Receipt

IDS_PER_QUERY = 500


def receipt_accepted(*, delivery_id: int, provider: str, provider_id: str) -> None:
    """The provider took the message: keep its id, to match the report that follows."""
    receipts_accepted(provider=provider, accepted=[(delivery_id, provider_id)])


def receipts_accepted(*, provider: str, accepted: list[tuple[int, str]]) -> None:
    """The provider took these (delivery id, provider's id) messages, in one statement.

    One call to a provider may carry many numbers under one id (Aliyun's BizId
    for SendBatchSms): each delivery keeps that id on its own receipt, and a
    report on it names the number too. A message sent again replaces the
    receipt of the last try.
    """
    if not accepted:
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    status = Receipt.Status.ACCEPTED
    with connection.cursor() as cursor:
        cursor.executemany(
            _accepted_sql(),
            [(pk, provider, provider_id, status, "", None, now) for pk, provider_id in accepted],
        )


@functools.cache
def _accepted_sql() -> str:
    """Insert a receipt, or start the one of an earlier try afresh (its creation time stays).

    Plain SQL: the ORM's bulk_create cost half a millisecond of CPU a row."""
    quote = connection.ops.quote_name
    names = ("delivery", "provider", "provider_id", "status", "code", "reported_at", "created_at")
    columns = [quote(Receipt._meta.get_field(name).column) for name in names]
    fresh = ", ".join(f"{column} = excluded.{column}" for column in columns[1:6])
    # Table and column names come from the model; every value is a parameter.
    return (
        f"INSERT INTO {quote(Receipt._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({columns[0]}) DO UPDATE SET {fresh}"
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
    # One query for the whole push: a BizId may stand for a hundred numbers.
    by_id = defaultdict(list)
    ids = list({report.provider_id for report in reports})
    for start in range(0, len(ids), IDS_PER_QUERY):
        for receipt in Receipt.objects.filter(
            provider=provider,
            provider_id__in=ids[start : start + IDS_PER_QUERY],
            delivery__channel=channel,
        ).select_related("delivery__address"):
            by_id[receipt.provider_id].append(receipt)
    with transaction.atomic():
        for report in reports:
            matched += _report(report, by_id[report.provider_id], now)
    return matched


def _report(report: Report, receipts: list[Receipt], now) -> int:
    matched = 0
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
