from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

import pytest

from notices.factories import NoticePageFactory
from search.models import SearchTerm, SynonymGroup
from services.factories import ServicePageFactory
from services.models import ServicePage

RESIDENT_SPELLINGS = ["养老", "養老", "yanglao", "ylfw", "yanglap"]


@pytest.mark.parametrize("query", RESIDENT_SPELLINGS)
def test_page_search_finds_a_page_by_every_spelling(yanglao, query):
    assert list(Page.objects.live().search(query)) == [yanglao.page_ptr]


@pytest.mark.parametrize("query", RESIDENT_SPELLINGS)
def test_admin_page_search_finds_a_page_by_every_spelling(yanglao, client, query):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    response = client.get("/admin/pages/search/", {"q": query})
    assert response.status_code == 200
    assert "居家养老服务站提供助餐助洁服务" in response.content.decode()


def test_admin_search_finds_drafts_too(yanglao, client):
    yanglao.unpublish()
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    response = client.get("/admin/pages/search/", {"q": "养老"})
    assert "居家养老服务站提供助餐助洁服务" in response.content.decode()
    assert not Page.objects.live().search("养老")


def test_editor_keywords_are_searchable(tree):
    page = ServicePageFactory(
        parent=tree.a.services, title="一键通", search_keywords="紧急呼叫 yjt"
    )
    assert list(ServicePage.objects.search("yjt")) == [page]
    assert list(ServicePage.objects.search("紧急呼叫")) == [page]


def test_exact_word_outranks_homophone_even_in_a_weaker_field(tree):
    homophone = ServicePageFactory(parent=tree.a.services, title="低宝申请指南 低宝申请")
    exact = ServicePageFactory(
        parent=tree.a.services, title="社会救助", summary="困难家庭可以申请低保。"
    )
    assert list(ServicePage.objects.search("低保")) == [exact, homophone]


def test_exact_word_outranks_pinyin_and_synonym_matches(tree):
    synonym = ServicePageFactory(parent=tree.a.services, title="长者活动", summary="长者活动")
    exact = ServicePageFactory(parent=tree.a.services, title="社区服务", summary="欢迎老人参加。")
    assert list(ServicePage.objects.search("老人")) == [exact, synonym]


def test_title_match_outranks_body_match(tree):
    body = ServicePageFactory(parent=tree.a.services, title="社区服务", summary="这里也提供助餐。")
    title = ServicePageFactory(parent=tree.a.services, title="助餐点", summary="每天中午开放。")
    assert list(ServicePage.objects.search("助餐")) == [title, body]


def test_synonym_group_edited_in_the_admin_applies_at_once(tree):
    page = ServicePageFactory(parent=tree.a.services, title="银发课堂", summary="电脑课")
    assert not ServicePage.objects.search("老年大学")
    SynonymGroup.objects.create(words="老年大学，银发课堂")
    assert list(ServicePage.objects.search("老年大学")) == [page]


def test_synonym_match_is_shown_in_the_snippet(tree):
    from search.selectors import search_pages

    ServicePageFactory(parent=tree.a.services, title="用餐服务", summary="长者饭堂提供午餐。")
    [result] = search_pages(query="老人吃饭", limit=5)
    assert "<mark>长者</mark>" in result.snippet


@pytest.mark.parametrize(
    "query",
    ['"', '"养老', "养老 AND", "NOT 养老", "(", "*", "😀", "，", "x" * 1000, "' OR 1=1 --", "\x00"],
)
def test_hostile_queries_return_a_normal_result(yanglao, query):
    # Quotes and operators are read as text: the word still finds the page, nothing else does.
    expected = [yanglao.page_ptr] if "养老" in query else []

    assert list(Page.objects.live().search(query)) == expected
    assert list(Page.objects.live().autocomplete(query)) == expected


def test_removing_a_page_from_the_backend_clears_its_terms(yanglao):
    # Deleting the page fires the same call from modelsearch's post_delete handler.
    get_search_backend().delete(Page.objects.get(pk=yanglao.pk))
    assert not SearchTerm.objects.filter(object_id=yanglao.pk).exists()
    assert not Page.objects.search("养老")


def test_edited_title_is_reindexed(yanglao):
    yanglao.title = "助浴服务"
    yanglao.save_revision().publish()
    assert not ServicePage.objects.search("养老")
    assert list(ServicePage.objects.search("助浴")) == [yanglao]


def test_results_count_and_slices_agree(tree):
    for n in range(5):
        NoticePageFactory(parent=tree.a.notices, title=f"高龄津贴发放通知{n}")
    results = Page.objects.search("高龄津贴")
    assert results.count() == 5
    assert len(results[1:3]) == 2


def test_unordered_search_keeps_the_queryset_order(tree):
    old = NoticePageFactory(
        parent=tree.a.notices, title="助餐通知", valid_from=timezone.now() - timedelta(days=9)
    )
    new = NoticePageFactory(parent=tree.a.notices, title="助餐通知二")
    results = Page.objects.order_by("pk").search("助餐", order_by_relevance=False)
    assert [page.pk for page in results] == sorted([old.pk, new.pk])
