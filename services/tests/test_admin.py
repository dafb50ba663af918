from decimal import Decimal

from django.urls import reverse

from core.testing import post_admin_form, streamfield
from home.factories import resident_categories
from services.models import ServiceCategory, ServicePage


def service_form(**changes):
    """What an editor types into a new service page, StreamFields included."""
    elderly = resident_categories("elderly")[0]
    meals = ServiceCategory.objects.get(code="meals")
    return {
        "title": "长者饭堂助餐",
        "slug": "canteen-meals",
        "summary": "60 岁以上老人可以在长者饭堂吃午饭，也可以送餐上门。",
        "kind": ServicePage.Kind.COMMERCIAL,
        "fee_mode": ServicePage.FeeMode.LOW_COST,
        "resident_categories": [str(elderly.pk)],
        "service_categories": [str(meals.pk)],
        "delivery_modes": ["service_point", "home_visit"],
        "description": streamfield([]),
        "costs": streamfield(
            [("cost", {"amount": "6.00", "unit": "份", "description": "持爱心卡九折"})]
        ),
        "documents": streamfield(
            [("document", {"name": "身份证", "original": "on", "copies": "1", "note": ""})]
        ),
        "steps": streamfield([("step", {"title": "到饭堂登记", "detail": "带身份证到前台。"})]),
        "promised_days": "0",
        **changes,
    }


def test_an_editor_creates_and_publishes_a_service(tree, admin_client):
    url = reverse("wagtailadmin_pages:add", args=("services", "servicepage", tree.a.services.pk))

    response = post_admin_form(admin_client, url, {**service_form(), "action-publish": "1"})

    assert response.status_code == 302, response.context["form"].errors
    page = ServicePage.objects.get(slug="canteen-meals")
    assert page.live
    assert page.community_id == tree.a.page.pk
    assert page.costs[0].value["amount"] == Decimal("6.00")
    assert page.documents[0].value["name"] == "身份证"
    assert page.delivery_modes == ["service_point", "home_visit"]
    assert [c.code for c in page.resident_categories.all()] == ["elderly"]


def test_an_editor_changes_a_price_and_the_new_price_is_live(tree, admin_client):
    add = reverse("wagtailadmin_pages:add", args=("services", "servicepage", tree.a.services.pk))
    post_admin_form(admin_client, add, {**service_form(), "action-publish": "1"})
    page = ServicePage.objects.get(slug="canteen-meals")
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))

    changed = service_form(
        costs=streamfield([("cost", {"amount": "5.40", "unit": "份", "description": "爱心卡价"})])
    )
    response = post_admin_form(admin_client, edit, {**changed, "action-publish": "1"})

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.costs[0].value["amount"] == Decimal("5.40")
    assert page.revisions.count() == 2


def test_a_paid_service_without_a_price_is_sent_back_with_a_chinese_message(tree, admin_client):
    url = reverse("wagtailadmin_pages:add", args=("services", "servicepage", tree.a.services.pk))

    response = post_admin_form(
        admin_client, url, {**service_form(costs=streamfield([])), "action-publish": "1"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["costs"] == [
        "低偿或有偿服务必须填写收费标准（金额和单位）。"
    ]
    assert not ServicePage.objects.filter(slug="canteen-meals").exists()


def test_the_preview_shows_what_a_resident_will_read(tree, admin_client):
    url = reverse("wagtailadmin_pages:add", args=("services", "servicepage", tree.a.services.pk))
    post_admin_form(admin_client, url, {**service_form(), "action-publish": "1"})
    page = ServicePage.objects.get(slug="canteen-meals")

    response = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=(page.pk,)))

    text = response.content.decode()
    assert response.status_code == 200
    assert "6.00 元/份 持爱心卡九折" in text
    assert "身份证" in text
    assert "当场办结" in text
