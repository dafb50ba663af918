"""Each community's editors work inside their own part of the tree, and notices need review."""

from django.contrib.auth.models import Group
from django.urls import reverse

from core.testing import post_admin_form
from notices.factories import NoticePageFactory
from services.factories import ServicePageFactory


def test_an_editor_edits_pages_of_their_own_community(tree, people, client):
    editor_a = people.editor_a
    service = ServicePageFactory(parent=tree.a.services)
    client.force_login(editor_a)

    response = client.get(reverse("wagtailadmin_pages:edit", args=(service.pk,)))

    assert response.status_code == 200


def test_an_editor_cannot_open_another_communitys_page(tree, people, client):
    editor_a = people.editor_a
    service = ServicePageFactory(parent=tree.b.services)
    client.force_login(editor_a)

    response = client.get(reverse("wagtailadmin_pages:edit", args=(service.pk,)))

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/admin/" in response["Location"]


def test_an_editor_cannot_add_pages_in_another_community_or_street_wide(tree, people, client):
    editor_a = people.editor_a
    client.force_login(editor_a)

    for parent in (tree.b.notices, tree.street.notices):
        url = reverse("wagtailadmin_pages:add", args=("notices", "noticepage", parent.pk))
        response = client.get(url)
        assert response.status_code in (302, 403), parent


def test_editors_publish_services_but_not_notices(tree, people):
    editor_a = people.editor_a

    assert tree.a.services.permissions_for_user(editor_a).can_publish_subpage()
    assert tree.a.events.permissions_for_user(editor_a).can_publish_subpage()
    assert not tree.a.notices.permissions_for_user(editor_a).can_publish_subpage()
    assert tree.a.notices.permissions_for_user(editor_a).can_add_subpage()


def test_a_street_reviewer_can_publish_anywhere_in_the_street(tree, people):
    reviewer = people.reviewer
    notice = NoticePageFactory(parent=tree.b.notices)

    assert notice.permissions_for_user(reviewer).can_publish()
    assert tree.street.notices.permissions_for_user(reviewer).can_publish_subpage()


def test_a_community_created_in_the_admin_gets_its_lists_and_editor_group(
    tree, client, django_user_model
):
    client.force_login(django_user_model.objects.create_superuser("root", "r@linli.invalid", "x"))
    url = reverse("wagtailadmin_pages:add", args=("home", "communityhomepage", tree.street.page.pk))

    response = post_admin_form(
        client,
        url,
        {"title": "南苑社区", "slug": "nanyuan", "code": "nanyuan", "action-publish": "1"},
    )

    assert response.status_code == 302
    community = tree.street.page.get_children().get(slug="nanyuan")
    assert [child.slug for child in community.get_children()] == ["services", "notices", "events"]
    editor = django_user_model.objects.create_user("nanyuan_editor", password="x")
    editor.groups.add(Group.objects.get(name="社区编辑 · 南苑社区"))
    services, notices = (community.get_children().get(slug=s) for s in ("services", "notices"))
    assert services.permissions_for_user(editor).can_publish_subpage()
    assert notices.permissions_for_user(editor).can_add_subpage()
    assert not notices.permissions_for_user(editor).can_publish_subpage()
