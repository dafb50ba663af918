"""Cases and correction tasks in the admin, each community's editors seeing their own."""

import datetime
from importlib import import_module

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

import pytest

from core.testing import published
from feedback.models import CaseState, CorrectionState
from feedback.operations import correction_report, rating_record
from services.factories import ServicePageFactory


@pytest.fixture
def cases(tree):
    a = published(ServicePageFactory, parent=tree.a.services, title="东园长者饭堂")
    b = published(ServicePageFactory, parent=tree.b.services, title="西里理发室")
    return {
        "a": rating_record(service=a, score=1, reasons=[], callback_phone="+8613800138000").case,
        "b": rating_record(service=b, score=2, reasons=["fees"]).case,
    }


def test_a_community_editor_lists_only_their_communitys_cases(cases, people, client):
    client.force_login(people.editor_a)

    response = client.get(reverse("feedback_cases:index"))

    assert response.status_code == 200
    assert "东园长者饭堂" in response.content.decode()
    assert "西里理发室" not in response.content.decode()


def test_a_community_editor_cannot_open_another_communitys_case(cases, people, client):
    client.force_login(people.editor_a)

    response = client.get(reverse("feedback_cases:inspect", args=(cases["b"].pk,)))

    assert response.status_code == 404


def test_a_street_reviewer_lists_every_case(cases, people, client):
    client.force_login(people.reviewer)

    page = client.get(reverse("feedback_cases:index")).content.decode()

    assert "东园长者饭堂" in page
    assert "西里理发室" in page


def test_the_handler_reads_the_call_back_number_and_moves_the_case(cases, people, client):
    client.force_login(people.editor_a)
    url = reverse("feedback_cases:inspect", args=(cases["a"].pk,))

    assert "+8613800138000" in client.get(url).content.decode()
    response = client.post(
        reverse("feedback_cases:move", args=(cases["a"].pk,)),
        {"to": "rectifying", "note": "已核实，窗口整改"},
    )

    assert response.status_code == 302
    cases["a"].refresh_from_db()
    assert cases["a"].state == CaseState.RECTIFYING
    step = cases["a"].steps.last()
    assert (step.user, step.note) == (people.editor_a, "已核实，窗口整改")
    assert "已核实，窗口整改" in client.get(url).content.decode()


def test_an_editor_cannot_move_another_communitys_case(cases, people, client):
    client.force_login(people.editor_a)

    response = client.post(
        reverse("feedback_cases:move", args=(cases["b"].pk,)), {"to": "rectifying"}
    )

    assert response.status_code == 404
    cases["b"].refresh_from_db()
    assert cases["b"].state == CaseState.PENDING


def test_nobody_adds_or_deletes_a_case_by_hand(cases, admin_client):
    with pytest.raises(NoReverseMatch):
        reverse("feedback_cases:add")
    with pytest.raises(NoReverseMatch):
        reverse("feedback_cases:delete", args=(cases["a"].pk,))
    assert admin_client.get(reverse("feedback_cases:index")).status_code == 200


def test_an_editor_closes_a_correction_as_unfounded_with_a_reason(tree, people, client):
    service = published(ServicePageFactory, parent=tree.a.services, title="东园长者饭堂")
    correction = correction_report(service=service, reason="hours")
    client.force_login(people.editor_a)

    client.post(
        reverse("feedback_corrections:close", args=(correction.pk,)),
        {"to": "unfounded", "note": "营业时间核对无误"},
    )

    correction.refresh_from_db()
    assert correction.state == CorrectionState.UNFOUNDED
    assert correction.closed_by == people.editor_a


def test_a_correction_is_fixed_only_by_a_publish_after_the_report(tree, people, client):
    service = published(ServicePageFactory, parent=tree.a.services, title="东园长者饭堂")
    correction = correction_report(service=service, reason="phone")
    client.force_login(people.editor_a)
    close = reverse("feedback_corrections:close", args=(correction.pk,))

    client.post(close, {"to": "fixed"})
    correction.refresh_from_db()
    assert correction.state == CorrectionState.OPEN

    service.hotline = "010-6512 0000"
    revision = service.save_revision(user=people.editor_a)
    revision.publish()
    client.post(close, {"to": "fixed"})

    correction.refresh_from_db()
    assert correction.state == CorrectionState.FIXED
    assert correction.revision == revision


def test_overdue_cases_are_listed_on_the_dashboard_of_those_who_handle_them(tree, people, client):
    a = published(ServicePageFactory, parent=tree.a.services, title="东园长者饭堂")
    long_ago = timezone.now() - datetime.timedelta(days=30)
    rating_record(service=a, score=1, reasons=[], now=long_ago)

    client.force_login(people.reviewer)
    assert "逾期未办结的差评（1）" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(people.editor_b)
    assert "逾期未办结的差评" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_groups_made_before_feedback_existed_are_granted_cases_and_corrections(db):
    from django.apps import apps
    from django.contrib.auth.models import Group

    grant = import_module("feedback.migrations.0002_grant_editors_and_reviewers")
    editors = Group.objects.create(name="社区编辑 · 东园社区")
    reviewers = Group.objects.create(name="街道审核员")
    other = Group.objects.create(name="访客")

    grant.grant_editors_and_reviewers(apps, None)

    expected = ["change_case", "change_correction", "view_case", "view_correction"]
    for group in (editors, reviewers):
        assert sorted(group.permissions.values_list("codename", flat=True)) == expected
    assert not other.permissions.exists()
