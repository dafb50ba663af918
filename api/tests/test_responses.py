"""Representative answers, committed: any change to what clients receive shows up as a diff.

After a deliberate change run `UPDATE_RESPONSES=1 make test PYTEST_ARGS="-k responses"`
and review the JSON under api/tests/responses/.
"""

import json
import os
from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest

from events.factories import EventPageFactory
from home.factories import OrganisationFactory, ServicePointFactory
from home.models import OpeningHours
from notices.factories import NoticePageFactory
from notices.models import NoticePage
from services.factories import ServicePageFactory
from services.models import ServiceCategory, ServicePage

RESPONSES = Path(__file__).parent / "responses"
VOLATILE = {
    "id",
    "first_published_at",
    "last_published_at",
    "valid_from",
    "valid_until",
    "starts_at",
    "ends_at",
    "deadline",
    "next",
}


def stable(value, key=None):
    """The answer with ids and times replaced, so it can be compared across runs."""
    if key in VOLATILE and value is not None:
        return f"<{key}>"
    if key == "translations":
        return {locale: "<id>" if page_id else None for locale, page_id in value.items()}
    if isinstance(value, dict):
        return {name: stable(entry, name) for name, entry in value.items()}
    if isinstance(value, list):
        return [stable(entry, key) for entry in value]
    return value


def matches_committed(name: str, answer) -> None:
    path = RESPONSES / f"{name}.json"
    normalised = stable(answer)
    if os.environ.get("UPDATE_RESPONSES"):
        path.write_text(
            json.dumps(normalised, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    committed = json.loads(path.read_text(encoding="utf-8"))
    assert normalised == committed, f"{name}: the answer changed; see the module docstring"


@pytest.fixture
def content(tree):
    canteen = ServicePointFactory(name="和平长者饭堂", address="和平路16号", phone="010-64026688")
    OpeningHours.objects.create(
        point=canteen, days=[0, 1, 2, 3, 4, 5, 6], opens=time(11), closes=time(13)
    )
    provider = OrganisationFactory(
        name="和美餐饮管理有限公司",
        kind="enterprise",
        vetting_status="approved",
        vetted_on="2026-03-01",
    )
    service = ServicePageFactory(
        parent=tree.street.services,
        live=False,
        title="长者饭堂助餐",
        slug="elderly-canteen",
        summary="60岁以上老人到长者饭堂吃午饭，每份6元，持爱心卡九折。",
        kind=ServicePage.Kind.COMMERCIAL,
        fee_mode=ServicePage.FeeMode.LOW_COST,
        costs=[
            ("cost", {"amount": Decimal("6.00"), "unit": "份", "description": "标准套餐"}),
            ("cost", {"amount": Decimal("5.40"), "unit": "份", "description": "持爱心卡九折"}),
        ],
        delivery_modes=["service_point", "home_visit"],
        documents=[("document", {"name": "身份证", "original": True, "copies": 0, "note": ""})],
        steps=[("step", {"title": "到饭堂登记", "detail": "带身份证到前台办卡。"})],
        promised_days=0,
        provider=provider,
        eligibility="本街道60岁以上老人。",
        min_age=60,
        audience=["elderly"],
    )
    service.service_categories = [ServiceCategory.objects.get(code="meals", locale=service.locale)]
    service.service_points = [canteen]
    service.save()
    service.save_revision().publish()
    notice = NoticePageFactory(
        parent=tree.a.notices,
        live=False,
        title="12月7日至9日发放失业金",
        slug="relief-december",
        summary="请带银行卡到街道服务大厅3号窗口领取。",
        urgency=NoticePage.Urgency.IMPORTANT,
        document_number="和街发〔2026〕12号",
        audience=["job_seeker"],
    )
    notice.save_revision().publish()
    event = EventPageFactory(
        parent=tree.a.events,
        live=False,
        title="老歌大家唱",
        slug="sing-old-songs",
        summary="每周三下午一起唱老歌。",
        venue=canteen,
        venue_address="",
        audience=["elderly"],
    )
    event.save_revision().publish()
    return service, notice, event


# Each committed answer: its file name under responses/, and the request it answers.
EXAMPLES = [
    ("service", "/api/v1/services/elderly-canteen/", {}),
    ("service-zh-hant", "/api/v1/services/elderly-canteen/", {"locale": "zh-hant"}),
    ("notice", "/api/v1/notices/relief-december/", {}),
    ("event", "/api/v1/events/sing-old-songs/", {}),
    ("service-list", "/api/v1/services/", {"limit": 1}),
]


@pytest.mark.parametrize(("name", "url", "query"), EXAMPLES)
def test_answers_match_the_committed_examples(content, client, name, url, query):
    response = client.get(url, query)

    assert response.status_code == 200
    matches_committed(name, response.json())
