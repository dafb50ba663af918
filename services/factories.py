"""Factories for the service catalog."""

from wagtail.models import Locale

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from home.factories import resident_categories
from services.models import ServiceCategory, ServiceIndexPage, ServicePage


class ServiceCategoryFactory(DjangoModelFactory):
    code = factory.Sequence(lambda n: f"category{n}")
    name = factory.Sequence(lambda n: f"类别{n}")
    locale = factory.LazyFunction(Locale.get_default)

    class Meta:
        model = ServiceCategory


class ServiceIndexPageFactory(wagtail_factories.PageFactory):
    title = "服务目录"
    slug = "services"

    class Meta:
        model = ServiceIndexPage


class ServicePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"长者助餐服务{n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    summary = "为 60 岁以上老人提供午餐，可以堂食，也可以送餐上门。"
    kind = ServicePage.Kind.PUBLIC
    fee_mode = ServicePage.FeeMode.FREE
    delivery_modes = factory.LazyFunction(lambda: [ServicePage.DeliveryMode.SERVICE_POINT])

    class Meta:
        model = ServicePage
        skip_postgeneration_save = True

    @factory.post_generation
    def audience(obj, create, extracted, **kwargs):
        obj.resident_categories = resident_categories(*(extracted or ["all"]))
        if create:
            obj.save()
