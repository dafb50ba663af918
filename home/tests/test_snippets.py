from datetime import time

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from home.factories import OrganisationFactory, ServicePointFactory
from home.models import HoursException, OpeningHours, Organisation, ResidentCategory


def errors_of(obj) -> dict[str, list[str]]:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def test_the_resident_categories_are_seeded_with_their_stable_codes(db):
    codes = list(ResidentCategory.objects.in_default_locale().values_list("code", flat=True))

    assert codes == [
        "elderly",
        "elderly_alone",
        "disability",
        "entitled",
        "children",
        "low_income",
        "job_seeker",
        "migrant",
        "all",
    ]
    sensitive = ResidentCategory.objects.in_default_locale().filter(is_sensitive=True)
    assert {category.code for category in sensitive} >= {"disability", "low_income"}


def test_every_resident_category_is_readable_in_three_languages(db):
    elderly = ResidentCategory.objects.in_default_locale().get(code="elderly")

    names = {
        translation.locale.language_code: translation.name
        for translation in elderly.get_translations(inclusive=True)
    }

    assert names == {"zh-hans": "老年人", "zh-hant": "老年人", "en": "Older people"}


def test_a_partner_enterprise_needs_its_vetting_status(db):
    org = OrganisationFactory.build(kind=Organisation.Kind.ENTERPRISE, vetting_status="")

    assert errors_of(org)["vetting_status"] == ["加盟企业必须填写审核状态。"]


def test_an_approved_enterprise_needs_the_date_of_approval(db):
    org = OrganisationFactory.build(
        kind=Organisation.Kind.ENTERPRISE, vetting_status=Organisation.Vetting.APPROVED
    )

    assert errors_of(org)["vetted_on"] == ["审核已通过的企业必须填写审核日期。"]


def test_only_enterprises_carry_a_vetting_status(db):
    org = OrganisationFactory.build(vetting_status=Organisation.Vetting.PENDING)

    assert "只有加盟企业" in errors_of(org)["vetting_status"][0]


def test_opening_hours_must_close_after_they_open(db):
    point = ServicePointFactory()
    hours = OpeningHours(point=point, days=[0, 1], opens=time(11, 30), closes=time(8, 30))

    assert errors_of(hours)["closes"] == ["关门时间要晚于开门时间。"]


def test_a_day_of_special_hours_needs_its_times(db):
    point = ServicePointFactory()
    exception = HoursException(point=point, date="2027-01-01", closed=False)

    assert "开门和关门时间" in errors_of(exception)["opens"][0]


def test_opening_hours_refuse_an_unknown_weekday(db):
    point = ServicePointFactory()
    hours = OpeningHours(point=point, days=[7], opens=time(8), closes=time(9))

    assert "未知的选项" in errors_of(hours)["days"][0]
