"""Residents rate services and report wrong guides over the API."""

import datetime

from django.core.signing import get_cookie_signer
from django.test import Client
from django.utils import timezone

import pytest

from core.testing import published
from feedback.models import Case, CaseState, Correction, Rating
from feedback.sealing import unseal
from home.factories import OrganisationFactory
from services.factories import ServicePageFactory


@pytest.fixture
def service(tree):
    provider = OrganisationFactory(name="东园助餐点")
    return published(
        ServicePageFactory, parent=tree.a.services, title="东园长者饭堂", provider=provider
    )


def rate(client, service, **body):
    return client.post(
        f"/api/v1/services/{service.pk}/ratings/",
        {"score": 5, **body},
        content_type="application/json",
    )


def test_a_resident_rates_a_service(service, client):
    response = rate(client, service, score=4, reasons=["waiting"], comment="排队有点久")

    assert response.status_code == 201
    assert response.json() == {"score": 4, "score_label": "满意", "case_opened": False}
    rating = Rating.objects.get()
    assert (rating.service_id, rating.score, rating.reasons) == (service.pk, 4, ["waiting"])
    assert rating.community == "dongyuan"


def test_a_bad_rating_opens_a_case_for_the_provider_with_the_phone_kept_encrypted(service, client):
    response = rate(client, service, score=1, reasons=["not_done"], callback_phone="138 0013 8000")

    assert response.status_code == 201
    assert response.json()["case_opened"] is True
    case = Case.objects.get()
    assert case.provider == service.provider
    assert case.state == CaseState.PENDING
    stored = case.rating.callback_phone
    assert "13800138000" not in stored
    assert unseal(stored) == "+8613800138000"


@pytest.mark.parametrize("score", [0, 6, "five", None, True])
def test_a_score_outside_one_to_five_is_refused_naming_the_field(service, client, score):
    response = rate(client, service, score=score)

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "score"
    assert not Rating.objects.exists()


def test_a_call_back_number_is_refused_with_a_good_score(service, client):
    response = rate(client, service, score=3, callback_phone="13800138000")

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "callback_phone"


def test_a_number_that_is_no_mainland_mobile_is_refused(service, client):
    response = rate(client, service, score=1, callback_phone="12345")

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "callback_phone"


def test_an_unknown_reason_is_refused(service, client):
    response = rate(client, service, reasons=["rude_cat"])

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "reasons"


def test_a_device_rates_a_service_once_a_day(service, client, tree):
    other = published(ServicePageFactory, parent=tree.a.services, title="东园理发")
    assert rate(client, service).status_code == 201

    again = rate(client, service, score=1)

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_rated"
    assert rate(client, other).status_code == 201
    assert Rating.objects.count() == 2


def test_the_cookie_of_yesterday_does_not_count(service, client):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # Signed as HttpResponse.set_signed_cookie signs it.
    signer = get_cookie_signer(salt="linli_rated" + "linli.feedback.rated")
    client.cookies["linli_rated"] = signer.sign(f"{yesterday.isoformat()}:{service.pk}")

    assert rate(client, service).status_code == 201


def test_a_forged_cookie_is_ignored(service, client):
    client.cookies["linli_rated"] = f"{timezone.localdate().isoformat()}:{service.pk}"

    assert rate(client, service).status_code == 201


def test_an_address_past_its_daily_budget_is_refused_even_without_the_cookie(service, settings):
    settings.LINLI_RATINGS_PER_ADDRESS = 2
    answers = [rate(Client(), service).status_code for _ in range(3)]

    assert answers == [201, 201, 429]
    refused = rate(Client(), service)
    assert refused.json()["error"]["code"] == "already_rated"
    assert "Retry-After" in refused


def test_an_unknown_service_is_a_404(tree, client):
    response = client.post(
        "/api/v1/services/999999/ratings/", {"score": 5}, content_type="application/json"
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_resident_reports_a_wrong_phone_number(service, client):
    response = client.post(
        f"/api/v1/services/{service.pk}/corrections/",
        {"reason": "phone", "comment": "打了三次都没人接"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json() == {"reason": "phone", "reason_label": "电话打不通"}
    correction = Correction.objects.get()
    assert (correction.service_id, correction.community) == (service.pk, "dongyuan")


def test_a_correction_without_a_known_reason_is_refused(service, client):
    response = client.post(
        f"/api/v1/services/{service.pk}/corrections/",
        {"reason": "ufo"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "reason"


def test_feedback_from_one_address_is_limited_per_hour(service, settings):
    settings.LINLI_FEEDBACK_RATE_IP = 2
    answers = [
        Client()
        .post(
            f"/api/v1/services/{service.pk}/corrections/",
            {"reason": "hours"},
            content_type="application/json",
        )
        .status_code
        for _ in range(3)
    ]

    assert answers == [201, 201, 429]


def test_a_kiosk_is_one_device_for_many_residents(service, client):
    from kiosks.operations import kiosk_create

    _kiosk, token = kiosk_create(name="服务大厅 1 号机", community="dongyuan")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    answers = [
        client.post(
            f"/api/v1/services/{service.pk}/ratings/",
            {"score": score},
            content_type="application/json",
            **headers,
        ).status_code
        for score in (5, 3)
    ]

    assert answers == [201, 201]
    assert sorted(Rating.objects.values_list("via", flat=True)) == ["kiosk", "kiosk"]
