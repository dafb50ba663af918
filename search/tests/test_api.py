from datetime import timedelta

from django.utils import timezone

from wagtail.models import Locale

import pytest

from events.factories import EventPageFactory
from notices.factories import NoticePageFactory
from services.factories import ServicePageFactory

SEARCH = "/api/v1/search/"
SUGGEST = "/api/v1/search/suggest/"


def found(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("query", ["养老", "養老", "yanglao", "ylfw", "居家养劳"])
def test_search_finds_the_page_by_every_spelling(client, yanglao, query):
    [result] = found(client, q=query)
    assert result["id"] == yanglao.pk
    assert result["type"] == "service"
    assert result["title"] == "居家养老服务站提供助餐助洁服务"


def test_result_carries_summary_and_highlighted_snippet(client, yanglao):
    [result] = found(client, q="助浴")
    assert result["summary"] == yanglao.summary
    assert "<mark>助浴</mark>" in result["snippet"]
    assert "url" not in result


def test_snippet_escapes_html(client, tree):
    ServicePageFactory(parent=tree.a.services, title="助餐", summary="<script>助餐</script>")
    [result] = found(client, q="助餐")
    assert "<script>" not in result["snippet"]


def test_expired_and_future_notices_are_not_found(client, tree):
    now = timezone.now()
    current = NoticePageFactory(parent=tree.a.notices, title="高龄津贴发放通知")
    NoticePageFactory(
        parent=tree.a.notices,
        title="高龄津贴发放通知（旧）",
        valid_from=now - timedelta(days=60),
        valid_until=now - timedelta(days=1),
    )
    NoticePageFactory(
        parent=tree.a.notices, title="高龄津贴发放通知（下月）", valid_from=now + timedelta(days=5)
    )
    assert [r["id"] for r in found(client, q="高龄津贴")] == [current.pk]


def test_drafts_are_not_found(client, yanglao):
    yanglao.unpublish()
    assert found(client, q="养老") == []


def test_type_filter(client, tree):
    ServicePageFactory(parent=tree.a.services, title="重阳节敬老服务")
    event = EventPageFactory(parent=tree.a.events, title="重阳节敬老活动")
    assert [r["id"] for r in found(client, q="重阳节", type="event")] == [event.pk]


def test_community_filter_keeps_street_wide_pages(client, tree):
    own = ServicePageFactory(parent=tree.a.services, title="助餐点（东园）")
    street = ServicePageFactory(parent=tree.street.services, title="助餐点（街道）")
    ServicePageFactory(parent=tree.b.services, title="助餐点（西里）")
    ids = {r["id"] for r in found(client, q="助餐", community="dongyuan")}
    assert ids == {own.pk, street.pk}


def test_resident_category_filter_includes_pages_for_everyone(client, tree):
    elderly = ServicePageFactory(parent=tree.a.services, title="助餐", audience=["elderly"])
    everyone = ServicePageFactory(parent=tree.a.services, title="助餐二", audience=["all"])
    ServicePageFactory(parent=tree.a.services, title="助餐三", audience=["children"])
    ids = {r["id"] for r in found(client, q="助餐", resident_category="elderly")}
    assert ids == {elderly.pk, everyone.pk}


def test_limit_caps_the_results(client, tree):
    for n in range(4):
        ServicePageFactory(parent=tree.a.services, title=f"助餐{n}")
    assert len(found(client, q="助餐", limit=2)) == 2


def test_traditional_readers_get_simplified_pages_converted(client, yanglao):
    [result] = found(client, q="養老", locale="zh-hant")
    assert result["title"] == "居家養老服務站提供助餐助潔服務"
    assert result["machine_converted"] is True
    assert result["locale"] == "zh-hant"


def test_traditional_translation_wins_over_conversion(client, yanglao):
    Locale.objects.get_or_create(language_code="zh-hant")
    translation = yanglao.copy_for_translation(
        Locale.objects.get(language_code="zh-hant"), copy_parents=True
    )
    translation.title = "居家養老服務站"
    translation.save_revision().publish()
    [result] = found(client, q="养老", locale="zh-hant")
    assert result["id"] == translation.pk
    assert result["machine_converted"] is False


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"q": "养老", "type": "video"}, "type", "invalid_choice"),
        ({"q": "养老", "community": "atlantis"}, "community", "invalid_choice"),
        ({"q": "养老", "resident_category": "martians"}, "resident_category", "invalid_choice"),
        ({"q": "养老", "locale": "fr"}, "locale", "invalid_choice"),
        ({"q": "养老", "limit": "ten"}, "limit", "invalid_limit"),
        ({"q": "养老", "limit": "0"}, "limit", "invalid_limit"),
        ({"q": "养老", "limit": "500"}, "limit", "invalid_limit"),
        ({"q": "养老", "bogus": "1"}, "bogus", "unknown_parameter"),
        ({"q": ["养老", "助餐"]}, "q", "repeated_parameter"),
        ({}, "q", "missing_parameter"),
    ],
)
def test_bad_parameters_get_a_json_400(client, tree, params, field, code):
    response = client.get(SEARCH, params)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"养老"',
        "养老 OR 1=1",
        "NOT AND",
        "养老*",
        "😀👵",
        "？",
        "x" * 1000,
        "养" * 1000,
        "'; DROP TABLE wagtailcore_page; --",
        "NEAR(养老 助餐)",
        "\\",
        "%",
        "_",
        "",
    ],
)
def test_odd_queries_get_a_normal_answer(client, yanglao, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_quoted_word_still_finds_the_page(client, yanglao):
    assert [r["id"] for r in found(client, q='"养老"')] == [yanglao.pk]


@pytest.mark.parametrize("prefix", ["居家", "jujia", "jjyl", "yang", "ylfw", "養"])
def test_suggest_offers_titles_by_text_pinyin_and_initials(client, yanglao, prefix):
    response = client.get(SUGGEST, {"q": prefix})
    assert response.status_code == 200
    assert [s["id"] for s in response.json()["suggestions"]] == [yanglao.pk]


def test_suggest_offers_both_readings_of_a_polyphone(client, tree):
    page = ServicePageFactory(parent=tree.a.services, title="长者饭堂")
    for prefix in ("czft", "zzft", "zhangzhe", "changzhe"):
        assert [s["id"] for s in client.get(SUGGEST, {"q": prefix}).json()["suggestions"]] == [
            page.pk
        ]


def test_suggest_sees_new_pages_at_once(client, tree):
    assert client.get(SUGGEST, {"q": "zhuyu"}).json()["suggestions"] == []
    page = ServicePageFactory(parent=tree.a.services, title="助浴服务")
    assert [s["id"] for s in client.get(SUGGEST, {"q": "zhuyu"}).json()["suggestions"]] == [page.pk]


def test_suggest_converts_for_traditional_readers(client, yanglao):
    [suggestion] = client.get(SUGGEST, {"q": "jujia", "locale": "zh-hant"}).json()["suggestions"]
    assert suggestion["title"] == "居家養老服務站提供助餐助潔服務"
    assert suggestion["machine_converted"] is True


@pytest.mark.parametrize("query", ['"', "😀", "x" * 1000, "", "%"])
def test_suggest_survives_odd_input(client, yanglao, query):
    assert client.get(SUGGEST, {"q": query}).status_code == 200


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"q": "yang", "limit": "-1"}, "limit", "invalid_limit"),
        ({"q": "yang", "limit": "21"}, "limit", "invalid_limit"),
        ({"q": "yang", "type": "service"}, "type", "unknown_parameter"),
        ({"limit": "5"}, "q", "missing_parameter"),
    ],
)
def test_suggest_rejects_bad_parameters_naming_the_field(client, tree, params, field, code):
    response = client.get(SUGGEST, params)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field
    assert response.json()["error"]["code"] == code
