"""What the read model's tests share: a hub with every kind of page, records and translations."""

from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from wagtail.models import Locale
from wagtail.rich_text import RichText
from wagtail_localize.operations import translate_object

import pytest
from wagtail_factories import DocumentFactory, ImageFactory

from events.factories import EventPageFactory
from events.models import EventPage
from home.factories import OrganisationFactory, ServicePointFactory
from home.models import HoursException, OpeningHours
from items.tasks import items_reproject_referencing
from notices.factories import NoticePageFactory
from notices.models import NoticeAttachment
from services.factories import ServicePageFactory
from services.models import ServiceCategory, ServicePage


def publish(page):
    page.save_revision().publish()
    return page


def translated(page, code: str, title: str):
    """The live translation of `page` into the locale `code`, retitled as a translator would."""
    locale = Locale.objects.get(language_code=code)
    translate_object(page, [locale])
    copy = type(page).objects.get(translation_key=page.translation_key, locale=locale)
    copy.title = title
    return publish(copy)


@pytest.fixture
def every_kind(tree):
    """Services, notices and events with everything a representation shows, some translated."""
    en = Locale.objects.get(language_code="en")
    canteen = ServicePointFactory(
        name="和平长者饭堂", address="和平路16号", latitude=Decimal("39.9")
    )
    canteen.longitude = Decimal("116.4")
    canteen.save()
    OpeningHours.objects.create(
        point=canteen, days=[0, 1, 2, 3, 4], opens=time(11), closes=time(13)
    )
    OpeningHours.objects.create(point=canteen, days=[5, 6], opens=time(11), closes=time(12))
    HoursException.objects.create(point=canteen, date=date(2027, 1, 1), closed=True, note="元旦")
    provider = OrganisationFactory(name="和美餐饮", kind="enterprise", vetting_status="approved")
    image = ImageFactory(title="饭堂")
    document = DocumentFactory(title="申请表")
    default = Locale.get_default()

    meals = ServicePageFactory(
        parent=tree.a.services,
        live=False,
        title="长者饭堂助餐",
        kind=ServicePage.Kind.COMMERCIAL,
        fee_mode=ServicePage.FeeMode.LOW_COST,
        costs=[("cost", {"amount": Decimal("6.00"), "unit": "份", "description": "套餐"})],
        delivery_modes=["service_point", "home_visit"],
        documents=[("document", {"name": "身份证", "original": True, "copies": 1, "note": ""})],
        steps=[("step", {"title": "登记", "detail": "带身份证。"})],
        provider=provider,
        min_age=60,
        audience=["elderly", "disability"],
        description=[
            ("heading", "怎么吃"),
            (
                "paragraph",
                RichText(f'<p>见<a linktype="page" id="{tree.a.page.pk}">社区</a>。</p>'),
            ),
            ("callout", {"tone": "warning", "text": "节假日休息"}),
            ("image", image),
            ("document", {"document": document, "title": ""}),
        ],
    )
    meals.service_categories = list(
        ServiceCategory.objects.filter(locale=default, parent__isnull=False)[:2]
    )
    meals.service_points = [canteen]
    meals.save()
    publish(meals)
    translated(meals, "zh-hant", "長者飯堂助餐")

    legal = publish(ServicePageFactory(parent=tree.street.services, live=False, audience=["all"]))
    translated(legal, "en", "Legal aid")

    notice = NoticePageFactory(
        parent=tree.b.notices, live=False, urgency="urgent", pinned=True, audience=["elderly"]
    )
    NoticeAttachment.objects.create(page=notice, document=document, title="")
    publish(notice)
    publish(
        NoticePageFactory(
            parent=tree.street.notices,
            live=False,
            valid_until=None,
            body=[("paragraph", RichText("<p>长期有效。</p>"))],
        )
    )

    concert = EventPageFactory(
        parent=tree.a.events,
        live=False,
        venue=canteen,
        venue_address="",
        organiser=provider,
        image=image,
        registration=EventPage.Registration.REQUIRED,
        registration_deadline=timezone.now() + timedelta(days=1),
        capacity=30,
        registration_how="电话报名 010-6512 3456",
        fee=Decimal("5.00"),
        audience=["elderly"],
    )
    publish(concert)
    translated(concert, "en", "Old songs")
    publish(
        EventPageFactory(
            parent=tree.street.events, live=False, status="cancelled", status_reason="下雨"
        )
    )
    ServicePageFactory(parent=tree.b.services, live=False)  # a draft: no item
    # Records translated last (translating a page copies the records it shows), then
    # re-projected as the task queued after an edit to a record does.
    for record, name in [(canteen, "Heping canteen"), (provider, "Hemei Catering")]:
        english = record.get_translation_or_none(en) or record.copy_for_translation(en)
        english.name = name
        english.save()
        items_reproject_referencing.enqueue(
            record._meta.app_label, record._meta.model_name, record.pk
        )
    return {"meals": meals, "legal": legal, "notice": notice, "concert": concert}
