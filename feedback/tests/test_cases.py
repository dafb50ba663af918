"""Every bad rating is verified, rectified and answered on time, with an audit trail."""

import datetime
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.management import call_command

import pytest

from core.testing import published
from feedback.models import Case, CaseState, CaseStep
from feedback.operations import MoveRefused, case_move, cases_sweep, rating_record
from services.factories import ServicePageFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def service(tree):
    return published(ServicePageFactory, parent=tree.a.services, title="东园长者饭堂")


@pytest.fixture
def staff(people):
    people.editor_a.email = "editor_a@example.org"
    people.editor_a.save()
    people.editor_b.email = "editor_b@example.org"
    people.editor_b.save()
    people.reviewer.email = "reviewer@example.org"
    people.reviewer.save()
    return people


def bad_rating(service, when):
    return rating_record(service=service, score=2, reasons=["waiting"], now=when).case


def test_a_case_opened_before_national_day_is_due_after_the_holiday_and_the_make_up_saturday(
    service,
):
    case = bad_rating(service, at(2026, 9, 30))

    # 8, 9, 10 (Saturday, 调休), 12, 13 October.
    assert case.deadline == datetime.date(2026, 10, 13)


def test_the_deadline_follows_the_setting(service, settings):
    settings.LINLI_RECTIFY_WORKING_DAYS = 1

    assert bad_rating(service, at(2026, 9, 30)).deadline == datetime.date(2026, 10, 8)


def test_a_good_rating_opens_no_case(service):
    rating_record(service=service, score=3, reasons=[], now=at(2026, 9, 30))

    assert not Case.objects.exists()


def test_a_case_goes_through_its_states_and_every_step_is_recorded(service, staff):
    case = bad_rating(service, at(2026, 11, 2))

    case_move(case=case, to=CaseState.RECTIFYING, user=staff.editor_a, note="核实属实，已约谈窗口")
    case_move(case=case, to=CaseState.CALLED_BACK, user=staff.editor_a, note="已电话回访")
    case = case_move(case=case, to=CaseState.CLOSED, user=staff.reviewer, note="居民满意")

    assert case.state == CaseState.CLOSED
    trail = [
        (step.from_state, step.to_state, step.user, step.note)
        for step in CaseStep.objects.filter(case=case)
    ]
    assert trail == [
        ("", "pending", None, "差评自动立案"),
        ("pending", "rectifying", staff.editor_a, "核实属实，已约谈窗口"),
        ("rectifying", "called_back", staff.editor_a, "已电话回访"),
        ("called_back", "closed", staff.reviewer, "居民满意"),
    ]
    assert all(step.created_at for step in case.steps.all())


def test_a_case_cannot_skip_a_state(service, staff):
    case = bad_rating(service, at(2026, 11, 2))

    with pytest.raises(MoveRefused):
        case_move(case=case, to=CaseState.CLOSED, user=staff.editor_a)

    assert Case.objects.get().state == CaseState.PENDING
    assert CaseStep.objects.count() == 1


def test_unfounded_needs_a_reason_and_ends_the_case(service, staff):
    case = bad_rating(service, at(2026, 11, 2))

    with pytest.raises(MoveRefused):
        case_move(case=case, to=CaseState.UNFOUNDED, user=staff.editor_a, note="  ")
    case = case_move(
        case=case, to=CaseState.UNFOUNDED, user=staff.editor_a, note="当天未营业，非本服务"
    )

    assert case.state == CaseState.UNFOUNDED
    with pytest.raises(MoveRefused):
        case_move(case=case, to=CaseState.RECTIFYING, user=staff.editor_a)


def test_the_handler_is_reminded_the_working_day_before_the_deadline_once(
    service, staff, django_capture_on_commit_callbacks
):
    case = bad_rating(service, at(2026, 9, 30))  # due Tuesday 13 October

    with django_capture_on_commit_callbacks(execute=True):
        assert cases_sweep(now=at(2026, 10, 9)) == (0, 0)
        assert cases_sweep(now=at(2026, 10, 12)) == (1, 0)
        assert cases_sweep(now=at(2026, 10, 12, 15)) == (0, 0)

    assert [message.to for message in mail.outbox] == [["editor_a@example.org"]]
    assert "东园长者饭堂" in mail.outbox[0].subject
    case.refresh_from_db()
    assert case.reminded_at is not None


def test_an_overdue_case_goes_to_the_street_reviewers_once(
    service, staff, django_capture_on_commit_callbacks
):
    case = bad_rating(service, at(2026, 9, 30))  # due 13 October
    cases_sweep(now=at(2026, 10, 12))

    with django_capture_on_commit_callbacks(execute=True):
        assert cases_sweep(now=at(2026, 10, 13, 23)) == (0, 0)
        assert cases_sweep(now=at(2026, 10, 14)) == (0, 1)
        assert cases_sweep(now=at(2026, 10, 15)) == (0, 0)

    assert [message.to for message in mail.outbox] == [["reviewer@example.org"]]
    case.refresh_from_db()
    assert case.escalated_at is not None
    assert case.steps.last().note == "逾期未办结，已转街道审核员督办"


def test_a_closed_case_is_not_escalated(service, staff):
    case = bad_rating(service, at(2026, 9, 30))
    case_move(case=case, to=CaseState.UNFOUNDED, user=staff.editor_a, note="重复评价")

    assert cases_sweep(now=at(2026, 10, 20)) == (0, 0)


def test_the_scheduler_job_runs_the_sweep(service, staff):
    bad_rating(service, datetime.datetime.now(SHANGHAI) - datetime.timedelta(days=30))

    call_command("feedback_sweep")

    assert Case.objects.get().escalated_at is not None
