"""Uploaded documents and images are public only once a live page uses them."""

import importlib

from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve, reverse

from wagtail.models import Collection, WorkflowState
from wagtail.rich_text import RichText

import pytest
import wagtail_factories

from core.testing import admin_form, post_admin_form, published, streamfield
from events.factories import EventPageFactory
from home.factories import resident_categories
from notices.factories import NoticePageFactory
from notices.models import NoticeAttachment, NoticePage


@pytest.fixture(autouse=True)
def media_on_disk(settings, tmp_path):
    """Files on disk, as `make run` keeps them, so documents are served the way they are there."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def attachment(people):
    """A policy original uploaded by the community's editor into the community's collection."""
    collection = Collection.objects.get(name="东园社区")
    return wagtail_factories.DocumentFactory(
        title="失业金发放名单",
        collection=collection,
        file__filename="relief-list.pdf",
        file__data=b"%PDF-1.4 names and amounts",
    )


def download(client, document):
    return client.get(document.url)


def listed(client, endpoint: str) -> set[int]:
    return {row["id"] for row in client.get(f"/api/wagtail/v2/{endpoint}/").json()["items"]}


def notice_submitted(client, tree, editor, document) -> NoticePage:
    """The editor writes a notice with the document attached and submits it for review."""
    client.force_login(editor)
    add = reverse("wagtailadmin_pages:add", args=("notices", "noticepage", tree.a.notices.pk))
    post_admin_form(
        client,
        add,
        {
            "title": "关于 12 月份失业金发放的通知",
            "slug": "relief-december",
            "summary": "12 月 7 日至 9 日发放失业金。",
            "urgency": NoticePage.Urgency.NORMAL,
            "audience": [str(c.pk) for c in resident_categories("job_seeker")],
            "valid_from": "2026-12-01 08:00",
            "body": streamfield([]),
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-document": str(document.pk),
            "attachments-0-title": "发放名单",
            "attachments-0-ORDER": "1",
            "action-submit": "1",
        },
    )
    client.logout()
    return NoticePage.objects.get(slug="relief-december")


def test_a_notices_attachment_is_private_until_the_notice_is_approved(
    tree, people, client, attachment
):
    notice = notice_submitted(client, tree, people.editor_a, attachment)
    assert not notice.live and notice.attachments.get().document == attachment

    # Anyone: the file, its listing and its detail in Wagtail's API are not there.
    assert download(client, attachment).status_code == 404
    assert attachment.pk not in listed(client, "documents")
    assert client.get(f"/api/wagtail/v2/documents/{attachment.pk}/").status_code == 404
    # The reviewer opens it while reviewing.
    client.force_login(people.reviewer)
    opened = download(client, attachment)
    assert opened.status_code == 200
    assert b"".join(opened.streaming_content) == b"%PDF-1.4 names and amounts"
    assert "Cookie" in opened["Vary"]

    state = WorkflowState.objects.get(object_id=str(notice.pk))
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(notice.pk, "approve", state.current_task_state.pk),
        ),
        {"comment": "同意"},
    )
    client.logout()

    assert download(client, attachment).status_code == 200
    assert attachment.pk in listed(client, "documents")

    notice.refresh_from_db()
    notice.unpublish()
    assert download(client, attachment).status_code == 404


def test_an_approved_notices_attachment_is_public_with_it_before_any_worker_runs(
    tree, settings, client
):
    # Tasks wait for a worker that has not run yet (Wagtail indexes references in one).
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }
    document = wagtail_factories.DocumentFactory(file__filename="list.pdf")
    notice = NoticePageFactory(parent=tree.a.notices, live=False)
    NoticeAttachment.objects.create(page=notice, document=document)

    notice.save_revision().publish()

    assert client.get(f"/api/v1/notices/{notice.pk}/").status_code == 200
    assert download(client, document).status_code == 200


def test_documents_in_a_live_pages_text_are_public(tree, client):
    linked = wagtail_factories.DocumentFactory(file__filename="form.pdf")
    block = wagtail_factories.DocumentFactory(file__filename="map.pdf")
    link = f'<p>下载<a linktype="document" id="{linked.pk}">申请表</a></p>'
    assert download(client, linked).status_code == 404
    assert download(client, block).status_code == 404

    published(
        EventPageFactory,
        parent=tree.a.events,
        body=[
            ("paragraph", RichText(link)),
            ("document", {"document": block, "title": "路线图"}),
        ],
    )

    assert download(client, linked).status_code == 200
    assert download(client, block).status_code == 200


def test_an_editor_marks_a_document_public_without_a_page(tree, people, client, attachment):
    edit = reverse("wagtaildocs:edit", args=[attachment.pk])
    client.force_login(people.editor_a)
    form = admin_form(client, edit, form_id="w-editor-form")
    assert "public" not in form  # unticked: nothing but live pages makes it public

    form["public"] = "on"
    client.post(edit, dict(form.lists()))
    client.logout()
    assert download(client, attachment).status_code == 200
    assert attachment.pk in listed(client, "documents")

    client.force_login(people.editor_a)
    form = admin_form(client, edit, form_id="w-editor-form")
    assert "public" in form  # ticked
    del form["public"]
    client.post(edit, dict(form.lists()))
    client.logout()
    assert download(client, attachment).status_code == 404


def test_images_are_listed_only_once_a_live_page_uses_them(tree, client):
    used = wagtail_factories.ImageFactory(title="健步走海报")
    unused = wagtail_factories.ImageFactory(title="未发布的海报")
    published(EventPageFactory, parent=tree.a.events, image=used)

    assert listed(client, "images") == {used.pk}
    assert client.get(f"/api/wagtail/v2/images/{unused.pk}/").status_code == 404


def test_make_runs_media_folder_serves_images_but_not_documents(settings):
    import config.urls

    try:
        with override_settings(DEBUG=True):
            importlib.reload(config.urls)
            clear_url_caches()
            resolve("/media/images/poster.max-750x750.jpg")
            with pytest.raises(Resolver404):
                resolve("/media/documents/relief-list.pdf")
    finally:
        importlib.reload(config.urls)
        clear_url_caches()
