"""The feed's guarantee, tested on random histories.

A client that starts from any cursor (holding exactly what matched its filter
then) and applies the feed ends with exactly the live items that match its
filter now: through publishes, edits, unpublishing, deletion, moves,
scheduled go-live and notices expiring.
"""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Page

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from core.params import encode_cursor
from events.factories import EventIndexPageFactory, EventPageFactory
from home.factories import CommunityHomePageFactory, StreetHomePageFactory
from items.projection import feed_sweep_time_boundaries
from items.selectors import ItemFilter, content_version, feed_read
from notices.factories import NoticeIndexPageFactory, NoticePageFactory
from notices.models import NoticePage
from services.factories import ServiceIndexPageFactory, ServicePageFactory

PLACES = ["street", "a", "b"]
TYPES = ["service", "notice", "event"]
AUDIENCES = [["elderly"], ["disability"], ["all"], ["elderly", "migrant"]]
FILTERS = st.fixed_dictionaries(
    {
        "locale": st.sampled_from(["zh-hans", "zh-hant"]),
        "type": st.sampled_from([None, *TYPES]),
        "community": st.sampled_from([None, "a", "b"]),
        "resident_category": st.sampled_from([None, "elderly", "disability"]),
    }
)


class World:
    """The pages of one history and an independent oracle of what clients should hold."""

    def __init__(self):
        street = StreetHomePageFactory(parent=Page.get_first_root_node())
        self.indexes = {}
        parents = {"street": street}
        for code in ("a", "b"):
            parents[code] = CommunityHomePageFactory(parent=street, code=code, slug=f"c-{code}")
        for place, parent in parents.items():
            self.indexes[(place, "service")] = ServiceIndexPageFactory(parent=parent)
            self.indexes[(place, "notice")] = NoticeIndexPageFactory(parent=parent)
            self.indexes[(place, "event")] = EventIndexPageFactory(parent=parent)
        self.pages: dict[int, Page] = {}  # slot -> page
        self.now = timezone.now()

    def factory(self, kind):
        return {
            "service": ServicePageFactory,
            "notice": NoticePageFactory,
            "event": EventPageFactory,
        }[kind]

    def publish(self, slot, kind, place, audience, validity):
        page = self.pages.get(slot)
        if page is None or not Page.objects.filter(pk=page.pk).exists():
            extra = {}
            if kind == "notice":
                extra = {
                    "valid_from": self.now - timedelta(minutes=1),
                    "valid_until": self.now + timedelta(minutes=validity),
                }
            if kind == "event":
                extra = {"starts_at": self.now + timedelta(days=1)}
            page = self.factory(kind)(
                parent=self.indexes[(place, kind)], live=False, audience=audience, **extra
            )
            self.pages[slot] = page
        page = page.specific
        page.refresh_from_db()
        page.title = f"{page.title}·"
        page.save_revision().publish()

    def unpublish(self, slot):
        if (page := self._existing(slot)) and page.live:
            page.unpublish()

    def delete(self, slot):
        if page := self._existing(slot):
            page.delete()
            del self.pages[slot]

    def move(self, slot, place):
        if page := self._existing(slot):
            kind = {"servicepage": "service", "noticepage": "notice", "eventpage": "event"}[
                page.specific_class._meta.model_name
            ]
            # Fresh from the database: treebeard reads the target's numchild and path,
            # which earlier moves have changed under the kept instance.
            target = Page.objects.get(pk=self.indexes[(place, kind)].pk)
            if page.get_parent().pk != target.pk:
                page.move(target, pos="last-child")

    def schedule(self, slot):
        if page := self._existing(slot):
            page = page.specific
            page.go_live_at = timezone.now() + timedelta(hours=1)
            page.title = f"{page.title}⏰"
            page.save_revision().publish()

    def go_live(self):
        from wagtail.models import Revision

        past = timezone.now() - timedelta(seconds=1)
        for revision in Revision.objects.filter(approved_go_live_at__isnull=False):
            revision.approved_go_live_at = past
            revision.content["go_live_at"] = past.isoformat()
            revision.save()
        call_command("publish_scheduled", verbosity=0)

    def advance(self, minutes):
        self.now += timedelta(minutes=minutes)
        feed_sweep_time_boundaries(now=self.now)

    def _existing(self, slot):
        page = self.pages.get(slot)
        if page is None:
            return None
        return Page.objects.filter(pk=page.pk).first()

    def expected(self, query: dict) -> set[tuple[str, int]]:
        """What a client should hold, from the pages themselves (not the API's read model)."""
        out = set()
        for page in Page.objects.live().specific():
            kind = {"servicepage": "service", "noticepage": "notice", "eventpage": "event"}.get(
                page.specific_class._meta.model_name
            )
            if kind is None or (query["type"] and query["type"] != kind):
                continue
            community = page.community.code if page.community_id else None
            if query["community"] and community not in (None, query["community"]):
                continue
            codes = {
                c.code
                for c in (page.resident_categories if kind == "service" else page.audience).all()
            }
            if query["resident_category"] and not codes & {query["resident_category"], "all"}:
                continue
            if isinstance(page, NoticePage) and not (
                page.valid_from <= self.now
                and (page.valid_until is None or page.valid_until > self.now)
            ):
                continue
            out.add((kind, page.pk))
        return out


def sync(query: dict, cursor: str | None, held: set, now) -> tuple[str, set]:
    """Apply the feed from `cursor` until it has nothing more, as a kiosk would."""
    from core.params import cursor as parse_cursor

    held = set(held)
    while True:
        page = feed_read(
            query=ItemFilter(**query),
            cursor=parse_cursor("cursor", cursor) if cursor else None,
            limit=3,
            now=now,
        )
        for op, kind, page_id, _data in page.entries:
            if op == "updated":
                held.add((kind, page_id))
            else:
                held.discard((kind, page_id))
        cursor = page.next_cursor
        if not page.has_more:
            return cursor, held


OPERATIONS = st.one_of(
    st.tuples(
        st.just("publish"),
        st.integers(0, 4),
        st.sampled_from([*TYPES, "notice"]),
        st.sampled_from(PLACES),
        st.sampled_from(AUDIENCES),
        st.integers(1, 60),
    ),
    st.tuples(st.just("unpublish"), st.integers(0, 4)),
    st.tuples(st.just("delete"), st.integers(0, 4)),
    st.tuples(st.just("move"), st.integers(0, 4), st.sampled_from(PLACES)),
    st.tuples(st.just("schedule"), st.integers(0, 4)),
    st.tuples(st.just("go_live")),
    st.tuples(st.just("advance"), st.integers(30, 120)),
    st.tuples(st.just("client"), FILTERS),
    st.tuples(st.just("sync")),
)


class FeedGuaranteeTest(TestCase):
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        st.lists(OPERATIONS, min_size=3, max_size=14),
        st.lists(FILTERS, min_size=1, max_size=3),
    )
    def test_clients_from_any_cursor_end_with_exactly_the_matching_live_items(
        self, operations, snapshot_filters
    ):
        world = World()
        # Clients that synced before anything was published, and others later.
        empty = encode_cursor({"m": "d", "c": content_version()})
        clients = [(query, empty, set()) for query in snapshot_filters]
        for operation in operations:
            name, *args = operation
            if name == "client":
                query = args[0]
                # A client that synced at this moment holds exactly what matched.
                cursor = encode_cursor({"m": "d", "c": content_version()})
                clients.append((query, cursor, world.expected(query)))
            elif name == "sync" or name == "advance":
                # Kiosks poll while the history goes on, and hold what they got while time passes.
                clients = [(q, *sync(q, c, held, world.now)) for q, c, held in clients]
                if name == "advance":
                    world.advance(*args)
            else:
                getattr(world, name)(*args)
        for query, cursor, held in clients:
            _cursor, final = sync(query, cursor, held, world.now)
            assert final == world.expected(query), (query, operations)
        for query in snapshot_filters:
            _cursor, final = sync(query, None, set(), world.now)
            assert final == world.expected(query), (query, operations)
