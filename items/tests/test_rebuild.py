"""Rebuilding the read model in batches gives exactly what publishing page by page gives."""

from io import StringIO

from django.core.management import call_command

from wagtail.models import Locale, Page

import pytest

from core.params import encode_cursor
from home.models import ResidentCategory
from items.models import Change, Item
from items.projection import items_project_group
from items.rebuild import batch_render, batch_write, items_rebuild, rebuild_keys
from items.selectors import ItemFilter, content_version, feed_read
from items.tasks import items_reproject_referencing
from notices.models import NoticePage
from services.models import ServicePage

COLUMNS = [f.attname for f in Item._meta.concrete_fields if f.attname != "id"]


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


def _render_all():
    return batch_render(rebuild_keys(), default_locale=Locale.get_default().language_code)


def _write(rendered):
    return batch_write(rendered, default_locale=Locale.get_default().language_code)


def test_a_page_published_between_render_and_write_keeps_what_its_publish_wrote(every_kind):
    # As after a release: every stored item out of date, so the batch rewrites them all.
    Item.objects.update(data="{}", etag="")
    rendered = _render_all()
    notice = NoticePage.objects.get(pk=every_kind["notice"].pk)
    notice.title = "停水通知（改期）"
    notice.save_revision().publish()
    published = {key: row for key, row in stored().items() if key[0] == notice.pk}

    result = _write(rendered)

    after = stored()
    assert {key: row for key, row in after.items() if key[0] == notice.pk} == published
    assert '"title":"停水通知（改期）"' in after[(notice.pk, "zh-hans")]["data"]
    assert result.rendered_again == 1 and result.saved == len(after) - len(published)
    assert after == per_page_items()


def test_a_page_unpublished_between_render_and_write_gets_no_items(every_kind):
    Item.objects.all().delete()
    rendered = _render_all()
    notice = every_kind["notice"]
    # It had no items to remove yet: only its page tells that the render is stale.
    Page.objects.get(pk=notice.pk).unpublish()

    result = _write(rendered)

    assert not Item.objects.filter(page_id=notice.pk).exists()
    assert result.rendered_again == 1
    assert stored() == per_page_items()


def test_a_record_edited_between_render_and_write_keeps_its_new_text(every_kind):
    Item.objects.update(data="{}", etag="")
    rendered = _render_all()
    provider = every_kind["meals"].provider
    provider.name = "和美餐饮（新址）"
    provider.save()
    # As the task queued after the edit does: only the items change, not the pages.
    items_reproject_referencing.enqueue("home", "organisation", provider.pk)

    result = _write(rendered)

    meals = Item.objects.get(page_id=every_kind["meals"].pk, locale="zh-hans")
    assert "和美餐饮（新址）" in meals.data
    assert result.rendered_again >= 1
    assert stored() == per_page_items()
