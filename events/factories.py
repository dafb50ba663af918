"""Factories for cultural events."""

from datetime import timedelta

from django.utils import timezone

import factory
import wagtail_factories

from events.models import EventIndexPage, EventPage
from home.factories import resident_categories


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "文化活动"
    slug = "events"

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"老歌大家唱（第{n}期）")
    slug = factory.Sequence(lambda n: f"event-{n}")
    summary = "一起唱老歌，欢迎居民参加。"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    venue_address = "和平路 12 号社区活动室"
    event_type = EventPage.EventType.ARTS

    class Meta:
        model = EventPage
        skip_postgeneration_save = True

    @factory.post_generation
    def audience(obj, create, extracted, **kwargs):
        obj.audience = resident_categories(*(extracted or ["all"]))
        if create:
            obj.save()
