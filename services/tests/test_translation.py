"""Editors translate content with wagtail-localize; structured data survives the trip."""

from decimal import Decimal

from wagtail.models import Locale
from wagtail_localize.operations import translate_object

from home.factories import OrganisationFactory
from home.models import CommunityHomePage
from services.factories import ServicePageFactory
from services.models import ServicePage


def test_translating_a_service_to_traditional_chinese_keeps_its_structured_fields(tree):
    provider = OrganisationFactory(name="安华里社区服务站")
    page = ServicePageFactory(
        parent=tree.a.services,
        title="长者饭堂助餐",
        provider=provider,
        fee_mode=ServicePage.FeeMode.LOW_COST,
        costs=[("cost", {"amount": Decimal("6.00"), "unit": "份", "description": "套餐"})],
        audience=["elderly"],
        promised_days=0,
    )
    page.save_revision().publish()
    zh_hant = Locale.objects.get(language_code="zh-hant")

    translate_object(page, [zh_hant])

    translated = ServicePage.objects.get(translation_key=page.translation_key, locale=zh_hant)
    assert translated.title == "长者饭堂助餐"  # awaiting the translator's text
    assert translated.costs[0].value["amount"] == Decimal("6.00")
    assert translated.promised_days == 0
    assert [c.code for c in translated.resident_categories.all()] == ["elderly"]
    # The translated page sits in the zh-hant copy of the same community.
    community = CommunityHomePage.objects.get(pk=translated.community_id)
    assert community.locale == zh_hant
    assert community.code == tree.a.page.code
