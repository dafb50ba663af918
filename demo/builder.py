"""Builds the demo street office from content.json: idempotent, so a second run changes nothing.

Dates in the file are offsets from today, so the demo always has current,
expired, scheduled, past and upcoming content.
"""

import json
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from events.models import EventIndexPage, EventPage
from home.models import (
    CommunityHomePage,
    HoursException,
    OpeningHours,
    Organisation,
    ResidentCategory,
    ServicePoint,
    StreetHomePage,
)
from home.operations import community_provision, index_pages_ensure, street_provision
from notices.models import NoticeIndexPage, NoticePage
from services.models import ServiceCategory, ServiceIndexPage, ServicePage

CONTENT_FILE = Path(__file__).with_name("content.json")

INDEXES = [
    (
        ServiceIndexPage,
        "services",
        "服务目录",
        "在这里能办的事，一项一项写清楚：条件、费用、地点、材料和时限。",
    ),
    (NoticeIndexPage, "notices", "通知公告", "政策、补贴、办理时间和重要提醒。"),
    (EventIndexPage, "events", "文化活动", "讲座、文艺、健身和节日活动。"),
]


@dataclass
class Account:
    username: str
    role: str
    password: str | None = None


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    accounts: list[Account] = field(default_factory=list)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1


def paragraphs(texts: list[str]) -> list[tuple[str, RichText]]:
    return [("paragraph", RichText(f"<p>{escape(text)}</p>")) for text in texts]


def at_local(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def parse_clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


class DemoBuilder:
    """Creates whatever of the demo is missing; never changes what exists."""

    def __init__(self, *, data: dict, today: date | None = None):
        self.data = data
        self.today = today or timezone.localdate()
        self.report = DemoReport()
        self.locale = Locale.get_default()
        self.organisations: dict[str, Organisation] = {}
        self.points: dict[str, ServicePoint] = {}
        self.communities: dict[str, CommunityHomePage] = {}
        self.indexes: dict[tuple[str | None, type], Page] = {}

    @classmethod
    def from_file(cls, path: Path = CONTENT_FILE, **kwargs) -> "DemoBuilder":
        return cls(data=json.loads(path.read_text(encoding="utf-8")), **kwargs)

    @transaction.atomic
    def build(self, *, password_for=None) -> DemoReport:
        street = self.street()
        for item in self.data["communities"]:
            self.communities[item["code"]] = self.community(street, item)
        self.directory()
        self.attach_halls(street)
        for item in self.data["services"]:
            self.service(item)
        for item in self.data["notices"]:
            self.notice(item)
        for item in self.data["events"]:
            self.event(item)
        self.people(street, password_for=password_for or (lambda: secrets.token_urlsafe(9)))
        return self.report

    # --- tree ---------------------------------------------------------------

    def street(self) -> StreetHomePage:
        spec = self.data["street"]
        street = StreetHomePage.objects.filter(slug=spec["slug"], locale=self.locale).first()
        if street is None:
            root = Page.get_first_root_node()
            # Wagtail's placeholder "Welcome" page goes: the street office is the site.
            for placeholder in root.get_children().filter(
                content_type__app_label="wagtailcore", slug="home"
            ):
                placeholder.delete()
            street = root.add_child(
                instance=StreetHomePage(
                    title=spec["title"],
                    slug=spec["slug"],
                    summary=spec["summary"],
                    hotline=spec["hotline"],
                    locale=self.locale,
                )
            )
            street.save_revision().publish()
            self.report.count("street")
        # The site's host and port are those the hub is served on (`make run`'s HOST:PORT),
        # so Wagtail's own absolute links (page.full_url) name them.
        public = urlsplit(settings.LINLI_PUBLIC_URL)
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "root_page": street,
                "hostname": public.hostname or "localhost",
                "port": public.port or (443 if public.scheme == "https" else 80),
                "site_name": spec["title"],
            },
        )
        self.ensure_indexes(street, None)
        return street

    def community(self, street: StreetHomePage, spec: dict) -> CommunityHomePage:
        community = CommunityHomePage.objects.filter(code=spec["code"], locale=self.locale).first()
        if community is None:
            community = street.add_child(
                instance=CommunityHomePage(
                    title=spec["title"],
                    slug=spec["slug"],
                    code=spec["code"],
                    summary=spec["summary"],
                    hotline=spec["hotline"],
                    households=spec.get("households"),
                )
            )
            community.save_revision().publish()
            self.report.count("community")
        self.ensure_indexes(community, spec["code"])
        return community

    def ensure_indexes(self, parent: Page, community_code: str | None) -> None:
        for model, index in index_pages_ensure(parent=parent).items():
            self.indexes[(community_code, model)] = index

    def parent_for(self, community_code: str | None, model: type) -> Page:
        return self.indexes[(community_code, model)]

    # --- shared records -------------------------------------------------------

    def directory(self) -> None:
        for spec in self.data["organisations"]:
            org = Organisation.objects.filter(name=spec["name"], locale=self.locale).first()
            if org is None:
                org = Organisation(
                    locale=self.locale,
                    name=spec["name"],
                    kind=spec["kind"],
                    description=spec.get("description", ""),
                    contact_person=spec.get("contact_person", ""),
                    phone=spec.get("phone", ""),
                    email=spec.get("email", ""),
                    address=spec.get("address", ""),
                    vetting_status=spec.get("vetting_status") or "",
                    vetted_on=spec.get("vetted_on"),
                )
                org.full_clean()
                org.save()
                self.report.count("organisation")
            self.organisations[spec["key"]] = org
        for spec in self.data["service_points"]:
            point = ServicePoint.objects.filter(name=spec["name"], locale=self.locale).first()
            if point is None:
                point = ServicePoint(
                    locale=self.locale,
                    name=spec["name"],
                    community=self.communities.get(spec.get("community") or ""),
                    address=spec["address"],
                    latitude=Decimal(str(spec["latitude"])) if spec.get("latitude") else None,
                    longitude=Decimal(str(spec["longitude"])) if spec.get("longitude") else None,
                    phone=spec.get("phone", ""),
                    accessibility_notes=spec.get("accessibility_notes", ""),
                )
                point.opening_hours = [
                    OpeningHours(
                        days=hours["days"],
                        opens=parse_clock(hours["opens"]),
                        closes=parse_clock(hours["closes"]),
                    )
                    for hours in spec.get("hours", [])
                ]
                point.hours_exceptions = [
                    HoursException(
                        date=date.fromisoformat(exc["date"]),
                        closed=exc["closed"],
                        opens=parse_clock(exc["opens"]) if exc.get("opens") else None,
                        closes=parse_clock(exc["closes"]) if exc.get("closes") else None,
                        note=exc.get("note", ""),
                    )
                    for exc in spec.get("exceptions", [])
                ]
                point.full_clean()
                point.save()
                self.report.count("service point")
            self.points[spec["key"]] = point

    def attach_halls(self, street: StreetHomePage) -> None:
        pairs = [(street, self.data["street"]["hall"])]
        pairs += [
            (self.communities[spec["code"]], spec["hall"]) for spec in self.data["communities"]
        ]
        for page, key in pairs:
            if page.hall_id is None and key in self.points:
                page.hall = self.points[key]
                page.save_revision().publish()

    def resident_categories(self, codes: list[str]) -> list[ResidentCategory]:
        found = list(ResidentCategory.objects.filter(code__in=codes, locale=self.locale))
        missing = set(codes) - {category.code for category in found}
        if missing:
            raise ValueError(f"unknown resident categories: {sorted(missing)}")
        return found

    def service_categories(self, codes: list[str]) -> list[ServiceCategory]:
        found = list(ServiceCategory.objects.filter(code__in=codes, locale=self.locale))
        missing = set(codes) - {category.code for category in found}
        if missing:
            raise ValueError(f"unknown service categories: {sorted(missing)}")
        return found

    # --- pages ----------------------------------------------------------------

    def _publish_new(self, parent: Page, page: Page, *, go_live_at: datetime | None = None) -> None:
        page.live = False
        page.go_live_at = go_live_at
        parent.add_child(instance=page)
        page.save_revision().publish()

    def _exists(self, model: type[Page], parent: Page, slug: str) -> bool:
        return model.objects.child_of(parent).filter(slug=slug).exists()

    def service(self, spec: dict) -> None:
        parent = self.parent_for(spec.get("community"), ServiceIndexPage)
        if self._exists(ServicePage, parent, spec["slug"]):
            return
        page = ServicePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            search_keywords=spec.get("search_keywords", ""),
            description=paragraphs(spec.get("description", [])),
            kind=spec["kind"],
            eligibility=spec.get("eligibility", ""),
            min_age=spec.get("min_age"),
            max_age=spec.get("max_age"),
            provider=self.organisations.get(spec.get("provider") or ""),
            fee_mode=spec["fee_mode"],
            costs=[
                (
                    "cost",
                    {
                        "amount": Decimal(cost["amount"]),
                        "unit": cost["unit"],
                        "description": cost.get("description", ""),
                    },
                )
                for cost in spec.get("costs", [])
            ],
            delivery_modes=spec["delivery_modes"],
            documents=[
                (
                    "document",
                    {
                        "name": doc["name"],
                        "original": doc.get("original", True),
                        "copies": doc.get("copies"),
                        "note": doc.get("note", ""),
                    },
                )
                for doc in spec.get("documents", [])
            ],
            steps=[
                ("step", {"title": step["title"], "detail": step.get("detail", "")})
                for step in spec.get("steps", [])
            ],
            promised_days=spec.get("promised_days"),
            apply_url=spec.get("apply_url", ""),
            hotline=spec.get("hotline", ""),
            status=spec.get("status", ServicePage.Status.ACTIVE),
            last_verified=date.fromisoformat(spec["last_verified"])
            if spec.get("last_verified")
            else None,
        )
        page.resident_categories = self.resident_categories(spec["resident_categories"])
        page.service_categories = self.service_categories(spec.get("service_categories", []))
        page.service_points = [self.points[key] for key in spec.get("service_points", [])]
        self._publish_new(parent, page)
        self.report.count("service")

    def notice(self, spec: dict) -> None:
        parent = self.parent_for(spec.get("community"), NoticeIndexPage)
        if self._exists(NoticePage, parent, spec["slug"]):
            return
        # Notices valid "from today" are valid from midnight, so the demo looks the same
        # whatever the hour it is loaded at (a notice from 08:00 is missing before dawn).
        starts = time(0, 0) if spec["valid_from_days"] == 0 else time(8, 0)
        valid_from = at_local(self.today + timedelta(days=spec["valid_from_days"]), starts)
        valid_until = None
        if spec.get("valid_until_days") is not None:
            valid_until = at_local(
                self.today + timedelta(days=spec["valid_until_days"]), time(23, 59)
            )
        go_live_at = None
        if spec.get("go_live_days"):
            go_live_at = at_local(self.today + timedelta(days=spec["go_live_days"]), time(8, 0))
            valid_from = max(valid_from, go_live_at)
        page = NoticePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            search_keywords=spec.get("search_keywords", ""),
            body=paragraphs(spec.get("body", [])),
            issuer=self.organisations.get(spec.get("issuer") or ""),
            document_number=spec.get("document_number", ""),
            valid_from=valid_from,
            valid_until=valid_until,
            urgency=spec.get("urgency", NoticePage.Urgency.NORMAL),
            pinned=spec.get("pinned", False),
            notify_subscribers=spec.get("notify_subscribers", True),
        )
        page.audience = self.resident_categories(spec["audience"])
        self._publish_new(parent, page, go_live_at=go_live_at)
        self.report.count("notice")

    def event(self, spec: dict) -> None:
        parent = self.parent_for(spec.get("community"), EventIndexPage)
        if self._exists(EventPage, parent, spec["slug"]):
            return
        starts_at = at_local(
            self.today + timedelta(days=spec["starts_in_days"]), parse_clock(spec["start_time"])
        )
        deadline = None
        if spec.get("registration_deadline_days") is not None:
            deadline = at_local(
                self.today + timedelta(days=spec["registration_deadline_days"]), time(17, 0)
            )
            deadline = min(deadline, starts_at)
        page = EventPage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            search_keywords=spec.get("search_keywords", ""),
            body=paragraphs(spec.get("body", [])),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=spec["duration_minutes"]),
            venue=self.points.get(spec.get("venue") or ""),
            venue_address=spec.get("venue_address", ""),
            organiser=self.organisations.get(spec.get("organiser") or ""),
            event_type=spec["event_type"],
            capacity=spec.get("capacity"),
            registration=spec.get("registration", EventPage.Registration.NONE),
            registration_how=spec.get("registration_how", ""),
            registration_deadline=deadline,
            fee=Decimal(str(spec.get("fee") or "0")),
            fee_note=spec.get("fee_note", ""),
            status=spec.get("status", EventPage.Status.SCHEDULED),
            status_reason=spec.get("status_reason", ""),
        )
        page.audience = self.resident_categories(spec["audience"])
        self._publish_new(parent, page)
        self.report.count("event")

    # --- people ---------------------------------------------------------------

    def people(self, street: StreetHomePage, *, password_for) -> None:
        reviewers = street_provision(street=street)
        self._account("admin", "管理员", password_for, superuser=True)
        self._account("reviewer", "街道审核员", password_for, groups=[reviewers])
        for code, community in self.communities.items():
            group = community_provision(community=community)
            self._account(f"editor_{code}", f"{community.title}编辑", password_for, groups=[group])

    def _account(self, username, role, password_for, *, superuser=False, groups=()) -> None:
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        account = Account(username=username, role=role)
        if user is None:
            account.password = password_for()
            user = User(
                username=username,
                is_staff=superuser,
                is_superuser=superuser,
                first_name=role,
                email=f"{username}@linli.invalid",
            )
            user.set_password(account.password)
            user.save()
            self.report.count("account")
        user.groups.add(*groups)
        self.report.accounts.append(account)
