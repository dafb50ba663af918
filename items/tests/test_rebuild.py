"""Rebuilding the read model in batches gives exactly what publishing page by page gives."""

from datetime import date, time, timedelta
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Locale, Page
from wagtail.rich_text import RichText
from wagtail_localize.operations import translate_object

import pytest
from wagtail_factories import DocumentFactory, ImageFactory

from core.params import encode_cursor
from events.factories import EventPageFactory
from events.models import EventPage
from home.factories import OrganisationFactory, ServicePointFactory
from home.models import HoursException, OpeningHours, ResidentCategory
from items.models import Change, Item
from items.projection import items_project_group
from items.rebuild import items_rebuild
from items.selectors import ItemFilter, content_version, feed_read
from items.tasks import items_reproject_referencing
from notices.factories import NoticePageFactory
from notices.models import NoticeAttachment
from services.factories import ServicePageFactory
from services.models import ServiceCategory, ServicePage

COLUMNS = [f.attname for f in Item._meta.concrete_fields if f.attname != "id"]


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


def stored() -> dict:
    """Every item as stored, by page and locale, every column but the row id."""
    return {
        (row["page_id"], row["locale"]): row for row in Item.objects.values(*COLUMNS).order_by()
    }


def per_page_items() -> dict:
    """The items publishing writes, one translation group at a time."""
    Item.objects.all().delete()
    keys = set(Page.objects.live().values_list("translation_key", flat=True))
    for key in keys:
        items_project_group(translation_key=key, reason="published")
    return stored()


def test_a_batched_rebuild_writes_byte_for_byte_what_publishing_writes(every_kind):
    expected = per_page_items()
    Item.objects.all().delete()

    result = items_rebuild(batch_size=3)

    rebuilt = stored()
    assert rebuilt.keys() == expected.keys()
    for key, row in expected.items():
        assert rebuilt[key] == row, key
    # Three pages per type at least, in all three reading locales.
    assert {row["type"] for row in rebuilt.values()} == {"service", "notice", "event"}
    assert len(rebuilt) == 3 * 6 and result.saved == 18
    meals = every_kind["meals"]
    assert rebuilt[(meals.pk, "zh-hans")]["is_fallback"] is False
    translation = ServicePage.objects.get(
        translation_key=meals.translation_key, locale__language_code="zh-hant"
    )
    assert rebuilt[(translation.pk, "zh-hant")]["title"] == "長者飯堂助餐"
    english = rebuilt[(meals.pk, "en")]["data"]
    assert "Hemei Catering" in english and "Heping canteen" in english
    assert '"opens":"11:00"' in english and '"note":"元旦"' in english


def test_a_rebuild_that_changes_nothing_logs_nothing_and_keeps_every_row(every_kind):
    before = {(row.page_id, row.locale): (row.pk, row.etag) for row in Item.objects.all()}
    changes = Change.objects.count()

    result = items_rebuild(batch_size=2)

    assert result.saved == result.deleted == result.changes == 0
    assert Change.objects.count() == changes
    after = {(row.page_id, row.locale): (row.pk, row.etag) for row in Item.objects.all()}
    assert after == before


def test_changed_items_are_replaced_in_place_and_reach_a_syncing_kiosk(every_kind):
    query = ItemFilter(locale="zh-hans", type=None, community=None, resident_category=None)
    cursor = {"m": "d", "c": content_version()}
    meals = every_kind["meals"]
    # As after a release that changed how items look: every stored item is now out of date.
    Item.objects.filter(locale="zh-hans").update(data="{}", etag="")
    ids = dict(Item.objects.values_list("page_id", "id").filter(locale="zh-hans"))

    result = items_rebuild(batch_size=4)

    assert result.saved == result.changes == len(ids) and result.deleted == 0
    assert dict(Item.objects.values_list("page_id", "id").filter(locale="zh-hans")) == ids
    feed = feed_read(query=query, cursor=cursor, limit=100)
    assert {(op, page_id) for op, _kind, page_id, _data in feed.entries} == {
        ("updated", page_id) for page_id in ids
    }
    detail = next(data for _op, _k, page_id, data in feed.entries if page_id == meals.pk)
    assert '"title":"长者饭堂助餐"' in detail
    assert encode_cursor(cursor) != feed.next_cursor


def test_an_interrupted_rebuild_run_again_finishes_without_duplicates(every_kind):
    expected = stored()
    Item.objects.all().delete()
    logged = Change.objects.count()

    def stop_after_first_batch(done):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        items_rebuild(batch_size=3, progress=stop_after_first_batch)
    halfway = Item.objects.count()
    items_rebuild(batch_size=3)

    assert 0 < halfway < len(expected)
    assert stored() == expected
    assert Change.objects.count() - logged == len(expected)  # each item logged once, in total


def test_items_of_pages_gone_without_a_signal_are_removed(every_kind):
    legal = every_kind["legal"]
    # Unpublished behind the projection's back (a raw update, as a bad migration might).
    Page.objects.filter(translation_key=legal.translation_key).update(live=False)

    result = items_rebuild()

    assert not Item.objects.filter(translation_key=legal.translation_key).exists()
    assert result.deleted == 3
    assert set(Change.objects.filter(reason="rebuild").values_list("page_id", flat=True)) >= {
        legal.pk
    }


def test_a_record_translation_shows_in_its_locale_only(every_kind):
    elderly_en = ResidentCategory.objects.get(code="elderly", locale__language_code="en")
    meals = every_kind["meals"]

    items_rebuild()

    english = Item.objects.get(page_id=meals.pk, locale="en").data
    assert f'"name":"{elderly_en.name}"' in english
    assert elderly_en.name not in Item.objects.get(page_id=meals.pk, locale="zh-hans").data


def test_the_command_reports_what_it_did_and_stays_quiet_without_a_terminal(every_kind):
    Item.objects.all().delete()
    out, err = StringIO(), StringIO()

    call_command("items_rebuild", "--batch-size", "2", stdout=out, stderr=err)

    assert "18 items written, 0 removed, 18 changes logged" in out.getvalue()
    assert err.getvalue() == ""
