"""Factories for policy notices."""

from datetime import timedelta

from django.utils import timezone

import factory
import wagtail_factories

from home.factories import resident_categories
from notices.models import NoticeIndexPage, NoticePage


class NoticeIndexPageFactory(wagtail_factories.PageFactory):
    title = "通知公告"
    slug = "notices"

    class Meta:
        model = NoticeIndexPage


class NoticePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"关于发放高龄津贴的通知（{n}）")
    slug = factory.Sequence(lambda n: f"notice-{n}")
    summary = "本月 7 日至 9 日发放高龄津贴，请持卡到银行领取。"
    valid_from = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    valid_until = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    urgency = NoticePage.Urgency.NORMAL

    class Meta:
        model = NoticePage
        skip_postgeneration_save = True

    @factory.post_generation
    def audience(obj, create, extracted, **kwargs):
        obj.audience = resident_categories(*(extracted or ["elderly"]))
        if create:
            obj.save()
