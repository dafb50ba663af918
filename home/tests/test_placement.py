from home.operations import placement_refresh_subtree
from notices.factories import NoticePageFactory
from services.factories import ServicePageFactory
from services.models import ServicePage


def test_community_content_knows_its_community(tree):
    service = ServicePageFactory(parent=tree.a.services)

    assert service.community_id == tree.a.page.pk
    assert service.street_id == tree.street.page.pk


def test_street_wide_content_has_no_community(tree):
    notice = NoticePageFactory(parent=tree.street.notices)

    assert notice.community_id is None
    assert notice.street_id == tree.street.page.pk


def test_a_community_sees_its_own_and_street_wide_content_only(tree):
    own = ServicePageFactory(parent=tree.a.services)
    street_wide = ServicePageFactory(parent=tree.street.services)
    ServicePageFactory(parent=tree.b.services)

    visible = set(ServicePage.objects.for_community(tree.a.page))

    assert visible == {own, street_wide}


def test_moving_a_list_to_another_community_moves_its_content(tree):
    service = ServicePageFactory(parent=tree.a.services)
    tree.b.services.delete()

    tree.a.services.move(tree.b.page, pos="last-child")

    service.refresh_from_db()
    assert service.community_id == tree.b.page.pk
    assert set(ServicePage.objects.for_community(tree.b.page)) == {service}
    assert placement_refresh_subtree(page=tree.b.page) == 0
