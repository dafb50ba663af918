"""seed_bulk adds many pages that Wagtail, the admin and the site treat like hand-made ones."""

from collections import Counter
from io import StringIO
from types import SimpleNamespace

from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Locale, Page, Site

import pytest

from demo.bulk import bulk_split
from events.models import EventPage
from home.models import CommunityHomePage, ResidentCategory
from home.selectors import placement_for_path
from notices.models import NoticePage
from services.models import ServiceIndexPage, ServicePage

PAGES = 60
TYPES = (ServicePage, NoticePage, EventPage)


def counts() -> dict[type, int]:
    return {model: model.objects.count() for model in TYPES}


@pytest.fixture(scope="module")
def bulk(demo_content, django_db_blocker):
    """The demo plus PAGES bulk pages, built once for the module and rolled back after it.

    Loading the demo takes several seconds; the tests below only read, and
    each one still runs in its own savepoint inside this transaction.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        before = counts()
        last_pk = Page.objects.order_by("-pk").values_list("pk", flat=True).first()
        call_command("seed_bulk", pages=PAGES, verbosity=0, stdout=StringIO())
        yield SimpleNamespace(
            before=before,
            after=counts(),
            new=list(Page.objects.filter(pk__gt=last_pk).specific().order_by("pk")),
        )
        transaction.set_rollback(True)
    Site.clear_site_root_paths_cache()


def test_each_page_type_grows_by_its_share_of_the_requested_pages(bulk, db):
    grown = {model: bulk.after[model] - bulk.before[model] for model in TYPES}

    assert grown == bulk_split(count=PAGES)
    assert grown == {ServicePage: 30, NoticePage: 15, EventPage: 15}
    assert Counter(type(page) for page in bulk.new) == grown


def test_every_new_page_is_published_with_its_live_revision(bulk, db):
    now = timezone.now()
    default = Locale.get_default()

    for page in bulk.new:
        assert page.live
        assert not page.has_unpublished_changes
        assert page.first_published_at <= page.last_published_at <= now
        assert page.locale_id == default.pk
        assert page.live_revision_id is not None
        assert page.latest_revision_id == page.live_revision_id
        revision = page.live_revision
        assert revision.object_id == str(page.pk)
        assert revision.as_object().title == page.title


def test_the_tree_has_no_problems_and_urls_follow_it(bulk, db):
    assert Page.find_problems() == ([], [], [], [], [])

    for page in bulk.new:
        parent = page.get_parent()
        assert page.url_path == f"{parent.url_path}{page.slug}/"
        assert page.depth == parent.depth + 1


def test_pages_belong_to_the_community_of_their_list(bulk, db):
    for page in bulk.new:
        street, community = placement_for_path(path=page.path)
        assert (page.street_id, page.community_id) == (street.pk, community and community.pk)

    services = [page for page in bulk.new if isinstance(page, ServicePage)]
    in_community = next(page for page in services if page.community_id)
    community_index = in_community.get_parent().specific
    assert isinstance(community_index, ServiceIndexPage)
    assert (
        CommunityHomePage.objects.parent_of(community_index).get().pk == in_community.community_id
    )
    assert any(page.community_id is None for page in services)


def test_new_pages_pass_their_models_validation(bulk, db):
    default = Locale.get_default()
    sample = [page for model in TYPES for page in bulk.new if type(page) is model][::4]

    for page in sample:
        page.full_clean()
    for service in (page for page in sample if isinstance(page, ServicePage)):
        residents = service.resident_categories.all()
        assert residents and all(category.locale_id == default.pk for category in residents)
        assert all(category.parent_id for category in service.service_categories.all())


def test_notices_and_events_link_their_audience(bulk, db):
    linked = ResidentCategory.objects.filter(
        notices__in=[page for page in bulk.new if isinstance(page, NoticePage)]
    )

    assert linked.exists()
    for event in (page for page in bulk.new if isinstance(page, EventPage)):
        assert event.audience.exists()


def test_the_admin_explorer_lists_bulk_pages(bulk, db, client, django_user_model):
    admin = django_user_model.objects.get(username="admin")
    # A community's list is short enough for the first page of the explorer.
    service = next(page for page in bulk.new if isinstance(page, ServicePage) and page.community_id)
    client.force_login(admin)

    listing = client.get(reverse("wagtailadmin_explore", args=(service.get_parent().pk,)))
    editing = client.get(reverse("wagtailadmin_pages:edit", args=(service.pk,)))

    assert listing.status_code == 200
    assert service.title in listing.content.decode()
    assert editing.status_code == 200


def test_the_site_serves_a_bulk_page_at_its_url(bulk, db, client):
    # Residents read pages from the API's items, which bulk seeding leaves to
    # items_rebuild (no signals fire); and only notices valid now, as the API shows.
    call_command("items_rebuild", stdout=StringIO())
    notice = NoticePage.objects.current().filter(pk__in=[page.pk for page in bulk.new]).first()

    response = client.get(notice.url)

    assert response.status_code == 200
    assert notice.title in response.content.decode()


def test_a_second_run_adds_as_many_again_without_slug_clashes(bulk, db):
    call_command("seed_bulk", pages=PAGES, verbosity=0, stdout=StringIO())

    assert sum(counts().values()) == sum(bulk.after.values()) + PAGES
    rows = Page.objects.filter(depth__gt=1).values_list("path", "slug")
    slugs_per_parent = Counter((path[: -Page.steplen], slug) for path, slug in rows)
    assert max(slugs_per_parent.values()) == 1
    assert Page.find_problems() == ([], [], [], [], [])
