"""Factories for the street office's tree and shared records."""

from wagtail.models import Locale

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from home.models import (
    CommunityHomePage,
    Organisation,
    ResidentCategory,
    ServicePoint,
    StreetHomePage,
)


def resident_categories(*codes: str) -> list[ResidentCategory]:
    """The seeded default-locale resident categories with these codes."""
    found = list(ResidentCategory.objects.filter(code__in=codes, locale=Locale.get_default()))
    if len(found) != len(set(codes)):
        raise LookupError(f"unknown resident category among {codes}")
    return found


class StreetHomePageFactory(wagtail_factories.PageFactory):
    title = "和平街道"
    slug = factory.Sequence(lambda n: f"street-{n}")
    hotline = "010-6512 0000"

    class Meta:
        model = StreetHomePage


class CommunityHomePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"测试{n}社区")
    slug = factory.Sequence(lambda n: f"community-{n}")
    code = factory.Sequence(lambda n: f"community{n}")

    class Meta:
        model = CommunityHomePage


class OrganisationFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"社区服务站{n}")
    kind = Organisation.Kind.STATION
    phone = "010-6512 3456"
    locale = factory.LazyFunction(Locale.get_default)

    class Meta:
        model = Organisation


class ServicePointFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"长者饭堂{n}号店")
    address = factory.Sequence(lambda n: f"和平路{n}号")
    phone = "010-6512 7788"
    locale = factory.LazyFunction(Locale.get_default)

    class Meta:
        model = ServicePoint
