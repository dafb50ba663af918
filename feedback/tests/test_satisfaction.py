"""满意率 is published on a service's item once enough residents rated it, and reported monthly."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.utils import timezone

import pytest

from core.testing import published
from feedback.operations import rating_record, satisfaction_refresh_all
from services.factories import ServicePageFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def service(tree):
    return published(ServicePageFactory, parent=tree.a.services, title="东园长者饭堂")


def rate(service, *scores, when=None):
    for score in scores:
        rating_record(service=service, score=score, reasons=[], now=when or timezone.now())


def item(client, service, locale="zh-hans"):
    return client.get(f"/api/v1/services/{service.pk}/", {"locale": locale}).json()


def test_below_the_threshold_the_item_shows_no_rate(service, client, settings):
    settings.LINLI_RATINGS_MIN_PUBLIC = 5
    rate(service, 5, 5, 4, 1)

    assert item(client, service)["satisfaction"] is None


def test_from_the_threshold_the_item_shows_the_rate_of_satisfied_ratings(service, client, settings):
    settings.LINLI_RATINGS_MIN_PUBLIC = 5
    rate(service, 5, 4, 3, 2, 1, 5)

    # 非常满意 + 满意 + 基本满意 = 4 of 6.
    assert item(client, service)["satisfaction"] == {"count": 6, "rate": 0.667}
    assert item(client, service, "zh-hant")["satisfaction"] == {"count": 6, "rate": 0.667}


def test_the_rate_reaches_the_change_feed(service, client, settings):
    settings.LINLI_RATINGS_MIN_PUBLIC = 1
    cursor = client.get("/api/v1/feed/").json()["next"]

    rate(service, 5)

    entries = client.get("/api/v1/feed/", {"cursor": cursor}).json()["entries"]
    updated = [entry["item"] for entry in entries if entry["id"] == service.pk]
    assert updated and updated[0]["satisfaction"] == {"count": 1, "rate": 1.0}


def test_ratings_older_than_a_year_leave_the_rate(service, client, settings):
    settings.LINLI_RATINGS_MIN_PUBLIC = 2
    rate(service, 1, 1, when=timezone.now() - datetime.timedelta(days=400))
    rate(service, 5, 5)
    assert item(client, service)["satisfaction"] == {"count": 2, "rate": 1.0}

    assert satisfaction_refresh_all() == 0  # nothing changed since


def test_the_rate_is_recounted_as_ratings_age(service, client, settings):
    settings.LINLI_RATINGS_MIN_PUBLIC = 2
    rate(service, 5, 5, when=timezone.now() - datetime.timedelta(days=360))
    assert item(client, service)["satisfaction"] == {"count": 2, "rate": 1.0}

    assert satisfaction_refresh_all(now=timezone.now() + datetime.timedelta(days=10)) == 1
    assert item(client, service)["satisfaction"] is None


def test_the_monthly_report_ends_with_the_totals(service, tree):
    other = published(ServicePageFactory, parent=tree.b.services, title="西里理发室")
    october = datetime.datetime(2026, 10, 20, 10, tzinfo=SHANGHAI)
    rate(service, 5, 4, 2, when=october)
    rate(other, 1, when=october)
    rate(other, 5, when=datetime.datetime(2026, 11, 2, 10, tzinfo=SHANGHAI))
    out = StringIO()

    call_command("satisfaction_report", "--month", "2026-10", stdout=out)

    lines = out.getvalue().splitlines()
    assert any("东园长者饭堂" in line and "\t3\t0.667\t1/1/0/1/0\t" in line for line in lines)
    # Both cases are past their deadline by now (December 2026).
    assert lines[-1] == "ratings=4 rate=0.500 cases_open=2 cases_overdue=2"


def test_the_report_refuses_a_month_it_cannot_read(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("satisfaction_report", "--month", "October")
