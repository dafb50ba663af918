"""Drafts of bulk pages: what each generated service, notice and event says, before it is written."""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.html import escape

from wagtail.models import Locale, Page

from demo import vocabulary as words
from events.models import EventPage
from home.models import Organisation, ResidentCategory
from home.models.snippets import ServicePoint
from notices.models import NoticePage
from services.models import ServiceCategory, ServicePage

DOCUMENT_KEYS = ("name", "original", "copies", "note")


class BulkSeedError(Exception):
    """The database lacks what bulk pages need: index pages or reference categories."""


@dataclass
class Place:
    """An index page that receives bulk pages, with the placement and names its pages share."""

    index: Page
    street_id: int
    community_id: int | None
    name: str
    hall: str
    phone: str
    short: str
    points: list[ServicePoint]
    next_step: int
    slugs: set[str]
    added: int = 0

    def claim(self, base_slug: str) -> tuple[str, str]:
        """The treebeard path and a sibling-unique slug for the next child of this index."""
        step = self.next_step
        if len(Page._int2str(step)) > Page.steplen:
            raise BulkSeedError(f"{self.index.url_path} cannot take more children")
        self.next_step += 1
        self.added += 1
        slug = f"{base_slug}-{step}"
        while slug in self.slugs:
            slug += "-b"
        self.slugs.add(slug)
        return Page._get_path(self.index.path, self.index.depth + 1, step), slug


@dataclass
class Draft:
    """One page about to be written, with the ids of its many-to-many links."""

    page: Page
    place: Place
    links: dict[str, list[int]] = field(default_factory=dict)


class PageMaker:
    """Invents realistic, valid services, notices and events from the word lists."""

    def __init__(self, *, rng: random.Random, locale: Locale, now: datetime):
        self.rng = rng
        self.locale = locale
        self.now = now
        self.today = timezone.localdate(now)
        residents = ResidentCategory.objects.filter(locale=locale)
        self.residents = {category.code: category for category in residents}
        subcategories = ServiceCategory.objects.filter(locale=locale, parent__isnull=False)
        self.categories = {category.code: category for category in subcategories}
        self.organisations: dict[str, list[Organisation]] = {}
        for org in Organisation.objects.filter(locale=locale).order_by("pk"):
            if org.kind != Organisation.Kind.ENTERPRISE or org.vetting_status == "approved":
                self.organisations.setdefault(org.kind, []).append(org)
        self._check_vocabulary()

    def _check_vocabulary(self) -> None:
        wanted = {code for topic in words.SERVICE_TOPICS for code in topic.categories}
        missing = wanted - set(self.categories)
        for topic in (*words.SERVICE_TOPICS, *words.NOTICE_TOPICS, *words.EVENT_TOPICS):
            missing |= set(topic.residents) - set(self.residents)
        if missing:
            raise BulkSeedError(f"categories missing in the default locale: {sorted(missing)}")

    # --- helpers --------------------------------------------------------------

    def block(self, kind: str, value: object) -> dict:
        """One StreamField block in its stored JSON form."""
        return {"type": kind, "value": value, "id": str(uuid.uuid4())}

    def some(self, pool: tuple | list, *, most: int = 3) -> list:
        """Between one and `most` distinct items of `pool`, always including its first."""
        rest = list(pool[1:])
        return [pool[0], *self.rng.sample(rest, self.rng.randint(0, min(most - 1, len(rest))))]

    def words_for(self, place: Place, **extra: object) -> dict[str, object]:
        """Placeholder values for one page: its place's names, one area and one number."""
        values: dict[str, object] = {
            "place": place.name,
            "hall": place.hall,
            "phone": place.phone,
            "area": self.rng.choice(words.AREAS),
            "n": self.rng.randint(1, 24),
            "year": self.today.year,
        }
        values.update(extra)
        return values

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """An aware datetime at a local clock time."""
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def body(self, values: dict[str, object], texts: tuple[str, ...] | list[str]) -> list:
        """A body stream: the given paragraphs, sometimes a heading and a callout, then contact lines."""
        blocks = []
        if self.rng.random() < 0.3:
            blocks.append(self.block("heading", "具体安排"))
        for text in texts:
            blocks.append(self.block("paragraph", f"<p>{escape(text.format(**values))}</p>"))
        if self.rng.random() < 0.25:
            tone = self.rng.choice(["info", "warning"])
            blocks.append(
                self.block("callout", {"tone": tone, "text": self.rng.choice(words.CALLOUTS)})
            )
        for text in self.rng.sample(words.GENERAL_PARAGRAPHS, self.rng.randint(1, 2)):
            blocks.append(self.block("paragraph", f"<p>{escape(text.format(**values))}</p>"))
        return blocks

    def published(self, *, earliest: datetime, latest: datetime) -> tuple[datetime, datetime]:
        """First and last publication times between `earliest` and `latest`, never in the future."""
        latest = min(latest, self.now)
        earliest = min(earliest, latest)
        span = int((latest - earliest).total_seconds())
        first = earliest + timedelta(seconds=self.rng.randint(0, span))
        edited = self.rng.random() < 0.3
        last = first + timedelta(seconds=self.rng.randint(0, int((latest - first).total_seconds())))
        return first, (last if edited else first)

    def organisation(self, *kinds: str) -> Organisation | None:
        """A random organisation of one of `kinds`, if there is any."""
        pool = [org for kind in kinds for org in self.organisations.get(kind, [])]
        return self.rng.choice(pool) if pool else None

    # --- page types -------------------------------------------------------------

    def service(self, place: Place) -> Draft:
        """A service in the catalog of `place`."""
        rng = self.rng
        topic = rng.choice(words.SERVICE_TOPICS)
        fee_mode = rng.choice(topic.fee_modes)
        costs = []
        price = ""
        if fee_mode != ServicePage.FeeMode.FREE:
            low, high, unit, note = topic.price
            amount = Decimal(rng.randint(low * 2, high * 2)) / 2
            price = f"{amount:g}"
            costs.append(
                self.block("cost", {"amount": f"{amount:.2f}", "unit": unit, "description": note})
            )
            if rng.random() < 0.5:
                discount = (amount * Decimal("0.9")).quantize(Decimal("0.01"))
                costs.append(
                    self.block(
                        "cost",
                        {"amount": f"{discount:.2f}", "unit": unit, "description": "持爱心卡九折"},
                    )
                )
        steps_kind = {"commercial": "book", "volunteer": "help", "mutual_aid": "help"}.get(
            topic.kind, "apply"
        )
        days = rng.choice([0, 1, 3, 5, 10, 15, 20])
        values = self.words_for(place, price=price, days=days, topic=topic.name)
        title = topic.name + rng.choice(words.SERVICE_SUFFIXES).format(**values)
        all_steps = words.STEPS[steps_kind]
        steps = [
            self.block("step", {"title": step, "detail": detail.format(**values)})
            for step, detail in all_steps[: rng.randint(2, len(all_steps))]
        ]
        documents = [
            self.block("document", dict(zip(DOCUMENT_KEYS, words.DOCUMENTS[key], strict=True)))
            for key in topic.documents[: rng.randint(1, max(1, len(topic.documents)))]
        ]
        providers = {
            "commercial": ("enterprise",),
            "volunteer": ("volunteer_team", "station"),
            "mutual_aid": ("committee", "volunteer_team"),
        }.get(topic.kind, ("government", "station"))
        first, last = self.published(earliest=self.now - timedelta(days=720), latest=self.now)
        page = ServicePage(
            title=f"{place.name}{title}" if rng.random() < 0.6 else title,
            summary=topic.summary.format(**values)[:80],
            description=self.body(values, rng.sample(words.SERVICE_PARAGRAPHS, rng.randint(1, 3))),
            kind=topic.kind,
            eligibility=topic.eligibility,
            min_age=topic.ages[0],
            max_age=topic.ages[1],
            provider=self.organisation(*providers),
            fee_mode=fee_mode,
            costs=costs,
            delivery_modes=self.some(topic.modes),
            documents=documents,
            steps=steps,
            promised_days=days if steps_kind == "apply" else None,
            apply_url=f"https://zwfw.example.gov.cn/{topic.slug}"
            if "online" in topic.modes
            else "",
            hotline=place.phone,
            status=rng.choices(["active", "suspended", "discontinued"], weights=[92, 5, 3])[0],
            last_verified=self.today - timedelta(days=rng.randint(0, 365)),
        )
        residents = [self.residents[code] for code in self.some(topic.residents)]
        categories = [self.categories[code] for code in self.some(topic.categories, most=2)]
        points = rng.sample(place.points, min(len(place.points), rng.randint(0, 2)))
        page.resident_categories = residents
        page.service_categories = categories
        page.service_points = points
        self.stamp(page, place, topic.slug, first, last)
        return Draft(
            page,
            place,
            {
                "resident_categories": [c.pk for c in residents],
                "service_categories": [c.pk for c in categories],
                "service_points": [p.pk for p in points],
            },
        )

    def notice(self, place: Place) -> Draft:
        """A notice of `place`: expired, current or coming, some of them urgent."""
        rng = self.rng
        topic = rng.choice(words.NOTICE_TOPICS)
        when = rng.choices(["expired", "current", "coming"], weights=[35, 55, 10])[0]
        if when == "expired":
            valid_from = self.at(self.today - timedelta(days=rng.randint(30, 400)), 8)
            valid_until = valid_from + timedelta(days=rng.randint(1, 28), hours=15, minutes=59)
        elif when == "current":
            valid_from = self.at(self.today - timedelta(days=rng.randint(1, 30)), 8)
            # Only notices that never name an end date may run open-ended.
            open_ended = rng.random() < 0.2 and "{until}" not in topic.summary
            valid_until = (
                None
                if open_ended
                else self.at(self.today + timedelta(days=rng.randint(1, 90)), 23, 59)
            )
        else:
            valid_from = self.at(self.today + timedelta(days=rng.randint(1, 14)), 8)
            valid_until = valid_from + timedelta(days=rng.randint(3, 60))
        if topic.urgent:
            urgency = rng.choices(["urgent", "important"], weights=[60, 40])[0]
        else:
            urgency = rng.choices(["normal", "important"], weights=[75, 25])[0]
        values = self.words_for(
            place,
            date=f"{valid_from.month}月{valid_from.day}日",
            until=f"{valid_until.month}月{valid_until.day}日" if valid_until else "另行通知",
            year=valid_from.year,
            quarter=(valid_from.month - 1) // 3 + 1,
            short=place.short,
        )
        first, last = self.published(
            earliest=min(valid_from - timedelta(days=5), self.now - timedelta(days=3)),
            latest=valid_from + timedelta(hours=2),
        )
        issuers = ("committee", "station") if place.community_id else ("government",)
        page = NoticePage(
            title=topic.title.format(**values),
            summary=topic.summary.format(**values)[:140],
            body=self.body(values, topic.body),
            issuer=self.organisation(*issuers),
            document_number=words.DOCUMENT_NUMBER.format(**values) if rng.random() < 0.4 else "",
            valid_from=valid_from,
            valid_until=valid_until,
            urgency=urgency,
            pinned=urgency == "urgent" and when == "current",
        )
        audience = [self.residents[code] for code in self.some(topic.residents)]
        page.audience = audience
        self.stamp(page, place, topic.slug, first, last)
        return Draft(page, place, {"audience": [c.pk for c in audience]})

    def event(self, place: Place) -> Draft:
        """An event of `place`, past or upcoming, a few postponed or cancelled with a reason."""
        rng = self.rng
        topic = rng.choice(words.EVENT_TOPICS)
        values = self.words_for(place, variant=rng.choice(topic.variants))
        day = self.today + timedelta(
            days=rng.randint(-180, -1) if rng.random() < 0.4 else rng.randint(0, 90)
        )
        starts_at = self.at(day, rng.choice([9, 10, 14, 15, 19]), rng.choice([0, 30]))
        status = rng.choices(["scheduled", "postponed", "cancelled"], weights=[90, 3, 7])[0]
        reasons = {"cancelled": words.CANCEL_REASONS, "postponed": words.POSTPONE_REASONS}
        registration = "required" if rng.random() < 0.4 else "none"
        deadline = None
        if registration == "required" and rng.random() < 0.7:
            deadline = self.at(day - timedelta(days=rng.randint(1, 5)), 17)
        fee = Decimal(rng.choice(topic.fee))
        venue = rng.choice(place.points) if place.points and rng.random() < 0.7 else None
        first, last = self.published(
            earliest=min(starts_at - timedelta(days=30), self.now - timedelta(days=14)),
            latest=starts_at - timedelta(days=1),
        )
        if status != "scheduled":
            # Postponing or cancelling is an edit published after the first announcement.
            last = min(self.now, max(last, first + timedelta(days=rng.randint(1, 10))))
        page = EventPage(
            title=f"{place.name}{topic.title.format(**values)}（第{rng.randint(1, 30)}期）",
            summary=topic.summary.format(**values)[:140],
            body=self.body(values, topic.body),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=rng.choice([60, 90, 120, 180])),
            venue=venue,
            venue_address="" if venue else rng.choice(words.EVENT_VENUE_ADDRESSES).format(**values),
            organiser=self.organisation("committee", "station", "volunteer_team"),
            event_type=topic.event_type,
            capacity=rng.choice([20, 30, 40, 60, 100]) if registration == "required" else None,
            registration=registration,
            registration_how=rng.choice(words.REGISTRATION_HOW).format(**values)
            if registration == "required"
            else "",
            registration_deadline=deadline,
            fee=fee,
            fee_note="材料费，当场交" if fee else "",
            status=status,
            status_reason=rng.choice(reasons[status]) if status in reasons else "",
        )
        audience = [self.residents[code] for code in self.some(topic.residents)]
        page.audience = audience
        self.stamp(page, place, topic.slug, first, last)
        return Draft(page, place, {"audience": [c.pk for c in audience]})

    def stamp(
        self, page: Page, place: Place, base_slug: str, first: datetime, last: datetime
    ) -> None:
        """Give `page` its place in the tree and the state of a page published at `first`/`last`."""
        page.path, page.slug = place.claim(base_slug)
        page.depth = place.index.depth + 1
        page.numchild = 0
        page.url_path = f"{place.index.url_path}{page.slug}/"
        page.street_id = place.street_id
        page.community_id = place.community_id
        page.locale = self.locale
        # Not drawn from the seeded generator: a second run with the same seed
        # must not repeat keys, which are unique per locale.
        page.translation_key = uuid.uuid4()
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = first
        page.last_published_at = last
        page.latest_revision_created_at = last
