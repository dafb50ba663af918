"""The resident's phone pages: the tree's pages served from the API's items, search, and item links.

Every page is rendered on the server from the API's representation (see
front/reading.py and docs/resident-pages.md), works without JavaScript and
answers with a short max-age and an ETag.
"""

import json

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils import timezone

from core.content_types import content_type, content_type_of, content_type_of_index
from core.errors import ApiError
from core.http import Answer, answer_send, strong_etag
from front.paths import DEFAULT_LOCALE, bare_path, language_links, path_in, reading_locale
from front.present import detail_view
from front.reading import community_of, directory, home_view, item_read, list_read
from front.structured import json_for_script, structured_data
from front.texts import resident_labels, resident_words
from items.models import Item
from search.selectors import search_pages

MAX_AGE = 60
SEARCH_LIMIT = 20
MAX_QUERY_LENGTH = 100


def _base_context(request: HttpRequest, locale: str) -> dict:
    words = resident_words(locale)
    home = path_in(locale, "/")
    return {
        "t": words,
        "lang": locale,
        "home_url": home,
        "search_url": path_in(locale, "/search/"),
        "subscribe_url": path_in(locale, "/subscribe/"),
        "languages": language_links(request.path, request.META.get("QUERY_STRING", ""), locale),
    }


def list_heading(type: str, words: dict) -> str:
    """The heading of a content type's list: its own word, else the type's label."""
    listed = content_type(type)
    return words.get(listed.plural) or str(listed.label)


def resident_render(
    request: HttpRequest, template: str | list[str], context: dict, *, status: int = 200
) -> HttpResponse:
    """Render a resident page: a short max-age, an ETag of the body, and a 304 when it matches."""
    locale = reading_locale()
    body = render_to_string(template, {**_base_context(request, locale), **context}, request)
    encoded = body.encode()
    answer = Answer(
        body=encoded,
        content_type="text/html; charset=utf-8",
        cache_control=f"public, max-age={MAX_AGE}" if status == 200 else "no-cache",
        etag=strong_etag(encoded),
    )
    return answer_send(request, answer, status=status)


def not_found(request: HttpRequest) -> HttpResponse:
    return resident_render(request, "resident/message.html", {"state": "not_found"}, status=404)


def bad_filter(request: HttpRequest, error: ApiError) -> HttpResponse:
    locale = reading_locale()
    words = resident_words(locale)
    field = error.field or ""
    message = words["bad_filter_text"].format(
        field=words.get(field, field), value=request.GET.get(field, "")[:60]
    )
    return resident_render(
        request,
        "resident/message.html",
        {"state": "bad_filter", "message": message, "clear_url": request.path},
        status=400,
    )


def page_serve(request: HttpRequest, page) -> HttpResponse:
    """A live page of the tree as a resident reads it; Wagtail's serve hook calls it."""
    model = page.specific_class._meta.model_name
    if model in ("streethomepage", "communityhomepage"):
        return home_page(request, page, community=getattr(page, "code", None))
    if listed := content_type_of_index(page):
        return list_page(request, page, type=listed.code)
    if shown := content_type_of(page):
        return detail_page(request, page, type=shown.code)
    raise Http404


def _section_links(page, *, path: str, locale: str) -> dict:
    """Links to the lists under a home page (at `path`), by type, from the children's slugs."""
    from wagtail.models import Page

    links = {}
    for child in Page.objects.child_of(page).live().only("slug", "content_type"):
        if listed := content_type_of_index(child):
            links[listed.code] = path_in(locale, f"{path}{child.slug}/")
    return links


def home_page(request: HttpRequest, page, *, community: str | None) -> HttpResponse:
    locale = reading_locale()
    view = home_view(locale=locale, community=community, now=timezone.now())
    sections = _section_links(page, path=bare_path(request.path), locale=locale)
    return resident_render(request, "resident/home.html", {**view, "sections": sections})


def _index_community(page) -> str | None:
    """The community code of the home page an index page sits under (None under the street)."""
    from home.models import CommunityHomePage

    parent_path = page.path[: -page.steplen]
    return CommunityHomePage.objects.filter(path=parent_path).values_list("code", flat=True).first()


def list_page(request: HttpRequest, page, *, type: str) -> HttpResponse:
    locale = reading_locale()
    community = _index_community(page)
    try:
        listed = list_read(
            type=type, query=request.GET, locale=locale, community=community, now=timezone.now()
        )
    except ApiError as error:
        return bad_filter(request, error)
    query = request.GET.copy()
    query.pop("cursor", None)
    more_url = None
    if listed.next_cursor:
        query["cursor"] = listed.next_cursor
        more_url = f"{request.path}?{query.urlencode()}"
    words = resident_words(locale)
    return resident_render(
        request,
        "resident/list.html",
        {
            "type": type,
            "heading": list_heading(type, words),
            "cards": listed.cards,
            "more_url": more_url,
            "first_url": request.path if "cursor" in listed.chosen else None,
            "chosen": listed.chosen,
            "filtered": any(name != "cursor" for name in listed.chosen),
            "community": community_of(community, locale),
            "communities": [] if community else directory("communities", locale),
            "resident_categories": directory("resident_categories", locale),
            "service_categories": directory("service_categories", locale)
            if type == "service"
            else [],
            "labels": resident_labels(locale),
        },
    )


def detail_page(request: HttpRequest, page, *, type: str) -> HttpResponse:
    locale = reading_locale()
    now = timezone.localtime()
    data = item_read(translation_key=page.translation_key, locale=locale, now=now)
    if data is None or data["type"] != type:
        return not_found(request)
    url = request.build_absolute_uri(request.path)
    return resident_render(
        request,
        [f"resident/{type}.html", "resident/item.html"],
        {
            "item": data,
            "heading": list_heading(type, resident_words(locale)),
            "view": detail_view(data, locale, now),
            "list_url": path_in(locale, data["web_url"].rstrip("/").rsplit("/", 1)[0] + "/"),
            "page_url": url,
            "json_ld": json_for_script(structured_data(data, url=url, locale=locale)),
            "content_lang": data["content_locale"]
            if data.get("fallback") and not data.get("machine_converted")
            else None,
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    """Search without JavaScript: the API's search, run here, with links to the items' pages."""
    locale = reading_locale()
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results, in_default = [], False
    if query:
        found = search_pages(query=query, locale=locale, limit=SEARCH_LIMIT)
        if not found and locale == "en":
            # Most content is in Chinese only; English readers still find it.
            found = search_pages(query=query, locale=DEFAULT_LOCALE, limit=SEARCH_LIMIT)
            in_default = bool(found)
        urls = _item_urls([result.id for result in found], locale)
        results = [
            {
                "type": result.type,
                "title": result.title,
                "summary": result.summary,
                "snippet": result.snippet,
                "url": urls[result.id],
            }
            for result in found
            if result.id in urls
        ]
    return resident_render(
        request,
        "resident/search.html",
        {
            "query": query,
            "results": results,
            "in_default": in_default,
            "count_text": resident_words(locale)["search_count"].format(count=len(results))
            if results
            else "",
        },
    )


def _item_urls(page_ids: list[int], locale: str) -> dict[int, str]:
    """Each page's item path in `locale`, keyed by the page id asked for."""
    if not page_ids:
        return {}
    keys = dict(
        Item.objects.filter(page_id__in=page_ids)
        .values_list("page_id", "translation_key")
        .distinct()
    )
    paths = {
        key: json.loads(data)["web_url"]
        for key, data in Item.objects.filter(
            translation_key__in=set(keys.values()), locale=locale
        ).values_list("translation_key", "data")
    }
    return {page_id: path_in(locale, paths[key]) for page_id, key in keys.items() if key in paths}


def item_link(request: HttpRequest, page_id: int) -> HttpResponse:
    """A suggestion's link: the item's page in the reader's language."""
    url = _item_urls([page_id], reading_locale()).get(page_id)
    if url is None:
        return not_found(request)
    return HttpResponseRedirect(url)
