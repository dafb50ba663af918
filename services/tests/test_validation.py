from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from home.factories import OrganisationFactory
from home.models import Organisation
from services.factories import ServiceCategoryFactory, ServicePageFactory
from services.models import ServicePage


def errors_of(page) -> dict[str, list[str]]:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        page.full_clean()
    return caught.value.message_dict


@pytest.mark.parametrize("fee_mode", [ServicePage.FeeMode.PAID, ServicePage.FeeMode.LOW_COST])
def test_a_charged_service_without_a_cost_is_refused(tree, fee_mode):
    page = ServicePageFactory.build(fee_mode=fee_mode)

    errors = errors_of(page)

    assert errors["costs"] == ["低偿或有偿服务必须填写收费标准（金额和单位）。"]


def test_a_charged_service_with_a_cost_is_accepted(tree):
    page = ServicePageFactory(
        parent=tree.a.services,
        fee_mode=ServicePage.FeeMode.LOW_COST,
        costs=[("cost", {"amount": Decimal("6.00"), "unit": "份", "description": "持爱心卡九折"})],
    )

    page.full_clean()

    assert page.costs[0].value["amount"] == Decimal("6.00")


def test_a_free_service_with_a_price_is_refused(tree):
    page = ServicePageFactory.build(
        costs=[("cost", {"amount": Decimal("20"), "unit": "次", "description": ""})]
    )

    assert "免费服务不要填写收费标准" in errors_of(page)["costs"][0]


def test_a_summary_longer_than_a_kiosk_tile_is_refused(tree):
    page = ServicePageFactory.build(summary="助" * 81)

    assert errors_of(page)["summary"] == ["确保该变量包含不超过 80 字符 (目前字符数 81)。"]


def test_age_limits_must_be_in_order(tree):
    page = ServicePageFactory.build(min_age=80, max_age=60)

    assert errors_of(page)["max_age"] == ["最高年龄不能小于最低年龄。"]


def test_service_categories_have_two_levels_only(db):
    top = ServiceCategoryFactory()
    second = ServiceCategoryFactory(parent=top)
    third = ServiceCategoryFactory.build(parent=second)

    errors = errors_of(third)

    assert "服务类别只有两级：上级类别必须是一级类别。" in errors["parent"]


def test_a_charged_service_must_cost_something(tree):
    page = ServicePageFactory.build(
        fee_mode=ServicePage.FeeMode.PAID,
        costs=[("cost", {"amount": Decimal("0"), "unit": "次", "description": ""})],
    )

    assert errors_of(page)["costs"] == ["收费标准的金额都是 0：免费服务请把收费方式改为无偿。"]


def test_a_partner_enterprise_that_is_not_approved_cannot_provide_an_active_service(tree):
    suspended = OrganisationFactory(
        kind=Organisation.Kind.ENTERPRISE, vetting_status=Organisation.Vetting.SUSPENDED
    )
    page = ServicePageFactory.build(provider=suspended)

    assert "审核未通过或已暂停" in errors_of(page)["provider"][0]

    page.status = ServicePage.Status.SUSPENDED
    page.full_clean(exclude=["path", "depth"])
