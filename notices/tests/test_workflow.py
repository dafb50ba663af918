"""A notice goes live only after a street reviewer approves it."""

from django.urls import reverse

from wagtail.models import WorkflowState

from core.testing import post_admin_form, streamfield
from home.factories import resident_categories
from notices.models import NoticePage


def notice_form(**changes):
    return {
        "title": "关于 12 月份失业金发放的通知",
        "slug": "relief-december",
        "summary": "12 月 7 日至 9 日发放失业金，请带银行卡到街道服务大厅 3 号窗口领取。",
        "urgency": NoticePage.Urgency.IMPORTANT,
        "audience": [str(c.pk) for c in resident_categories("job_seeker")],
        "valid_from": "2026-12-01 08:00",
        "valid_until": "2026-12-10 00:00",
        "body": streamfield([]),
        **changes,
    }


def test_an_editor_submits_and_a_reviewer_approves_a_notice(tree, people, client):
    editor, reviewer = people.editor_a, people.reviewer
    client.force_login(editor)
    add = reverse("wagtailadmin_pages:add", args=("notices", "noticepage", tree.a.notices.pk))

    response = post_admin_form(client, add, {**notice_form(), "action-submit": "1"})

    assert response.status_code == 302
    notice = NoticePage.objects.get(slug="relief-december")
    assert not notice.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(notice.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "街道审核"

    client.force_login(reviewer)
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(notice.pk, "approve", state.current_task_state.pk),
    )
    response = client.post(approve, {"comment": "同意发布"})

    assert response.status_code in (200, 302)
    notice.refresh_from_db()
    assert notice.live
    assert notice.community_id == tree.a.page.pk
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_an_editor_cannot_publish_a_notice_directly(tree, people, client):
    editor = people.editor_a
    client.force_login(editor)
    add = reverse("wagtailadmin_pages:add", args=("notices", "noticepage", tree.a.notices.pk))

    post_admin_form(client, add, {**notice_form(), "action-publish": "1"})

    notice = NoticePage.objects.get(slug="relief-december")
    assert not notice.live


def test_a_rejected_notice_stays_off_the_feed(tree, people, client):
    editor, reviewer = people.editor_a, people.reviewer
    client.force_login(editor)
    add = reverse("wagtailadmin_pages:add", args=("notices", "noticepage", tree.a.notices.pk))
    post_admin_form(client, add, {**notice_form(), "action-submit": "1"})
    notice = NoticePage.objects.get(slug="relief-december")
    state = WorkflowState.objects.get(object_id=str(notice.pk))

    client.force_login(reviewer)
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(notice.pk, "reject", state.current_task_state.pk),
        ),
        {"comment": "发放日期写错了"},
    )

    notice.refresh_from_db()
    assert not notice.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
