from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from core.testing import post_admin_form, rich_text, streamfield
from home.factories import OrganisationFactory, resident_categories
from notices.models import NoticePage


def notice_form(**changes):
    issuer = OrganisationFactory(name="和平街道民政科")
    return {
        "title": "高龄津贴申领通知",
        "slug": "old-age-allowance",
        "summary": "80 岁以上老人可申领高龄津贴，请在 12 月 31 日前到社区服务站登记。",
        "urgency": NoticePage.Urgency.IMPORTANT,
        "audience": [str(c.pk) for c in resident_categories("elderly", "elderly_alone")],
        "issuer": str(issuer.pk),
        "document_number": "和街发〔2026〕12号",
        "valid_from": "2026-12-01 08:00",
        "valid_until": "2026-12-31 23:59",
        "pinned": "on",
        "body": streamfield([("paragraph", rich_text("<p>请带身份证和户口本。</p>"))]),
        **changes,
    }


def test_a_notice_round_trips_through_the_admin(tree, admin_client):
    add = reverse("wagtailadmin_pages:add", args=("notices", "noticepage", tree.street.notices.pk))

    response = post_admin_form(admin_client, add, {**notice_form(), "action-publish": "1"})

    assert response.status_code == 302, response.context["form"].errors
    notice = NoticePage.objects.get(slug="old-age-allowance")
    assert notice.live and notice.pinned
    assert notice.issuer.name == "和平街道民政科"
    assert notice.valid_until == timezone.make_aware(datetime(2026, 12, 31, 23, 59))
    assert {c.code for c in notice.audience.all()} == {"elderly", "elderly_alone"}
    assert notice.community_id is None

    edit = reverse("wagtailadmin_pages:edit", args=(notice.pk,))
    response = post_admin_form(
        admin_client,
        edit,
        {
            **notice_form(title="高龄津贴申领通知（延期）", valid_until="2027-01-15 23:59"),
            "action-publish": "1",
        },
    )

    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.title == "高龄津贴申领通知（延期）"
    assert notice.valid_until.date().isoformat() == "2027-01-15"


def test_the_admin_names_the_field_of_a_bad_validity_window(tree, admin_client):
    add = reverse("wagtailadmin_pages:add", args=("notices", "noticepage", tree.street.notices.pk))

    response = post_admin_form(
        admin_client, add, {**notice_form(valid_until="2026-11-01 00:00"), "action-publish": "1"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["valid_until"] == ["失效时间必须晚于生效时间。"]
    assert "失效时间必须晚于生效时间。" in response.content.decode()
