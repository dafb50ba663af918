import io
import json

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Page, Site

import pytest

from events.models import EventPage
from home.models import CommunityHomePage, Organisation, ServicePoint, StreetHomePage
from notices.models import NoticePage
from services.models import ServicePage


@pytest.fixture
def seeded(demo_content, db):
    return demo_content


def counts():
    return {
        "pages": Page.objects.count(),
        "organisations": Organisation.objects.count(),
        "points": ServicePoint.objects.count(),
        "revisions": sum(page.revisions.count() for page in Page.objects.all()),
    }


def test_the_demo_is_a_street_office_with_three_communities_and_real_content(seeded):
    street = StreetHomePage.objects.get()
    services = ServicePage.objects.live()

    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == street.pk
    # Served on the public address (`make run`'s HOST:PORT), not on localhost.
    assert site.root_url == settings.LINLI_PUBLIC_URL == "http://testserver"
    assert CommunityHomePage.objects.child_of(street).count() == 3
    assert services.count() >= 40
    assert {s.kind for s in services} == {"public", "mutual_aid", "volunteer", "commercial"}
    assert Organisation.objects.count() >= 12
    assert ServicePoint.objects.count() >= 10
    assert NoticePage.objects.live().count() >= 15
    assert EventPage.objects.live().count() >= 15


def test_the_demo_has_urgent_expired_and_scheduled_notices(seeded):
    notices = NoticePage.objects.all()

    assert notices.filter(urgency="urgent").live().count() == 1
    assert notices.filter(valid_until__lte=timezone.now()).exists()
    scheduled = notices.filter(live=False)
    assert scheduled.count() == 1
    assert scheduled.get().scheduled_revision is not None


def test_the_demo_has_past_upcoming_and_cancelled_events(seeded):
    events = EventPage.objects.live()

    assert events.filter(ends_at__lt=timezone.now()).exists()
    assert events.filter(ends_at__gte=timezone.now()).count() >= 10
    assert events.filter(status=EventPage.Status.CANCELLED).count() == 1


def test_the_canteen_states_its_real_prices(seeded):
    canteen = ServicePage.objects.filter(title__contains="长者饭堂").first()

    amounts = {str(cost.value["amount"]) for cost in canteen.costs}

    assert {"6.00", "3.00"} <= amounts


def test_the_demo_prints_the_accounts_and_keeps_their_passwords(seeded):
    accounts_file, output = seeded
    accounts = json.loads(accounts_file.read_text())

    accounts.pop("kiosk:服务大厅 1 号机")
    assert set(accounts) == {
        "admin",
        "reviewer",
        "editor_anhuali",
        "editor_liuyinjie",
        "editor_xingfu",
    }
    for username, password in accounts.items():
        assert f"login {username}" in output
        assert password in output


def test_the_demo_prints_a_working_link_for_the_hall_kiosk(seeded, client):
    accounts_file, output = seeded
    token = json.loads(accounts_file.read_text())["kiosk:服务大厅 1 号机"]
    # The token rides in the fragment, which browsers never send to a server.
    assert f"  Kiosk (服务大厅 1 号机): http://testserver/kiosk/#token={token}\n" in output
    assert "?token=" not in output
    beat = client.post(
        "/api/v1/kiosk/heartbeat/",
        {"client_version": "demo"},
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )
    assert beat.status_code == 200
    assert beat.json()["kiosk"]["name"] == "服务大厅 1 号机"


def test_a_second_run_changes_nothing(seeded):
    accounts_file, _output = seeded
    before = counts()
    passwords = accounts_file.read_text()
    output = io.StringIO()

    call_command("seed_demo", accounts_file=accounts_file, stdout=output)

    assert counts() == before
    assert accounts_file.read_text() == passwords
    assert "nothing changed" in output.getvalue()
