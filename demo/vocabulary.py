"""Word lists that the bulk seeder combines into services, notices and events (vocabulary.json).

Placeholders filled in by demo.drafts: {place} (community or street name),
{hall} (its service station or centre), {phone}, {area}, {n}, {price}, {days},
{date}, {until}, {year}, {quarter}, {variant}.
"""

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServiceTopic:
    """One kind of service and what typically goes with it."""

    slug: str
    name: str
    kind: str
    fee_modes: tuple[str, ...]
    categories: tuple[str, ...]
    residents: tuple[str, ...]
    modes: tuple[str, ...]
    summary: str
    eligibility: str = ""
    documents: tuple[str, ...] = ()
    ages: tuple[int | None, int | None] = (None, None)
    price: tuple[int, int, str, str] = (0, 0, "", "")


@dataclass(frozen=True)
class NoticeTopic:
    """One kind of notice, with how urgent it tends to be."""

    slug: str
    title: str
    summary: str
    body: tuple[str, ...]
    residents: tuple[str, ...]
    urgent: bool = False


@dataclass(frozen=True)
class EventTopic:
    """One kind of community event, with its type and usual audience."""

    slug: str
    title: str
    event_type: str
    summary: str
    body: tuple[str, ...]
    residents: tuple[str, ...]
    variants: tuple[str, ...] = ("",)
    fee: tuple[int, ...] = (0,)


def _tuples(value):
    """JSON lists back into the tuples the seeder and the dataclasses expect."""
    if isinstance(value, list):
        return tuple(_tuples(entry) for entry in value)
    if isinstance(value, dict):
        return {key: _tuples(entry) for key, entry in value.items()}
    return value


_DATA = {
    name: _tuples(value)
    for name, value in json.loads(
        Path(__file__).with_name("vocabulary.json").read_text(encoding="utf-8")
    ).items()
}

AREAS = _DATA["areas"]
DOCUMENTS = _DATA["documents"]
SERVICE_TOPICS = tuple(ServiceTopic(**topic) for topic in _DATA["service_topics"])
SERVICE_SUFFIXES = _DATA["service_suffixes"]
STEPS = _DATA["steps"]
SERVICE_PARAGRAPHS = _DATA["service_paragraphs"]
NOTICE_TOPICS = tuple(NoticeTopic(**topic) for topic in _DATA["notice_topics"])
NOTICE_ISSUERS = _DATA["notice_issuers"]
DOCUMENT_NUMBER = _DATA["document_number"]
EVENT_TOPICS = tuple(EventTopic(**topic) for topic in _DATA["event_topics"])
EVENT_VENUE_ADDRESSES = _DATA["event_venue_addresses"]
CANCEL_REASONS = _DATA["cancel_reasons"]
POSTPONE_REASONS = _DATA["postpone_reasons"]
REGISTRATION_HOW = _DATA["registration_how"]
GENERAL_PARAGRAPHS = _DATA["general_paragraphs"]
CALLOUTS = _DATA["callouts"]
