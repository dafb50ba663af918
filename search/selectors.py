"""Read side of search: what residents may find, ranked, with snippets; kiosk suggestions."""

from __future__ import annotations

import html
import threading
import time
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Q
from django.utils import timezone

from wagtail.models import Locale, Page
from wagtail.query import PageQuerySet

from core.content_types import content_type_of, content_types
from home.models import CommunityHomePage, ResidentCategory
from search import analysis
from search.chinese import to_simplified, to_traditional
from search.models import IndexState, SearchDocument
from search.ranking import Hit, rank

TRADITIONAL = "zh-hant"
SNIPPET_CHARS = 60


@dataclass
class SearchResult:
    """One page found for a resident, ready to serialize."""

    type: str
    id: int
    title: str
    summary: str
    snippet: str
    locale: str
    machine_converted: bool = False


def search_types() -> dict[str, type[Page]]:
    """The page model of each content type residents can search."""
    return {ct.code: ct.page_model for ct in content_types()}


def _type_of(page: Page) -> str:
    content_type = content_type_of(page)
    return content_type.code if content_type else "page"


def resident_pages(
    *,
    types: list[str] | None = None,
    locale: str | None = None,
    community: CommunityHomePage | None = None,
    resident_category: str | None = None,
    at=None,
) -> PageQuerySet:
    """Pages a resident may find: live services, notices and events, notices only while current."""
    at = at or timezone.now()
    chosen = [ct for ct in content_types() if not types or ct.code in types]
    models = [ct.page_model for ct in chosen]
    pages = Page.objects.live().type(*models)
    for ct in chosen:
        if ct.current is not None:
            shown = ct.page_model.objects.filter(ct.current(at)).values("pk")
            pages = pages.exclude(pk__in=ct.page_model.objects.exclude(pk__in=shown).values("pk"))
    if locale:
        pages = pages.filter(locale__in=_locales_for(locale))
    if community is not None:
        placed = Q()
        for model in models:
            placed |= Q(pk__in=model.objects.for_community(community).values("pk"))
        pages = pages.filter(placed)
    if resident_category:
        codes = [resident_category, "all"]
        pages = pages.filter(
            Q(servicepage__resident_categories__code__in=codes)
            | Q(noticepage__audience__code__in=codes)
            | Q(eventpage__audience__code__in=codes)
        ).distinct()
    return pages


def _locales_for(language_code: str) -> list[Locale]:
    # zh-hant readers also get simplified pages that have no traditional
    # version yet; they are converted on the fly and marked as such.
    codes = (
        [language_code, Locale.get_default().language_code]
        if language_code == TRADITIONAL
        else [language_code]
    )
    return list(Locale.objects.filter(language_code__in=codes))


def _drop_translated(
    pages: list[Page], language_code: str | None, languages: dict[int, str]
) -> list[Page]:
    """For zh-hant readers, a simplified page is dropped when its traditional version was found too."""
    if language_code != TRADITIONAL:
        return pages
    keys = {page.translation_key for page in pages if languages[page.locale_id] == TRADITIONAL}
    return [
        page
        for page in pages
        if languages[page.locale_id] == TRADITIONAL or page.translation_key not in keys
    ]


def highlight(text: str, words: set[str], *, width: int = SNIPPET_CHARS) -> str:
    """An HTML-escaped window of `text` around the first matched word, matches in <mark>."""
    text = " ".join(text.split())
    simplified = to_simplified(text).lower()
    if len(simplified) != len(text):
        text = to_simplified(text)
    spans = []
    for word in sorted(words, key=len, reverse=True):
        start = simplified.find(word)
        while start != -1:
            end = start + len(word)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = simplified.find(word, end)
    spans.sort()
    first = spans[0][0] if spans else 0
    begin = max(0, first - width // 3)
    end = min(len(text), begin + width)
    parts, cursor = [], begin
    for s, e in spans:
        if s < begin or e > end:
            continue
        parts.append(html.escape(text[cursor:s]))
        parts.append(f"<mark>{html.escape(text[s:e])}</mark>")
        cursor = e
    parts.append(html.escape(text[cursor:end]))
    return ("…" if begin > 0 else "") + "".join(parts) + ("…" if end < len(text) else "")


def search_pages(
    *,
    query: str,
    types: list[str] | None = None,
    locale: str | None = None,
    community: CommunityHomePage | None = None,
    resident_category: str | None = None,
    limit: int = 20,
) -> list[SearchResult]:
    """What a resident finds for `query`, best first: the one path the API and search_eval share."""
    pages = resident_pages(
        types=types, locale=locale, community=community, resident_category=resident_category
    )
    # Extra room for simplified pages dropped in favour of their traditional version.
    top: list[Hit] = rank(pages, query, stop=limit * 2 if locale == TRADITIONAL else limit)
    by_pk = {hit.pk: hit for hit in top}
    found = Page.objects.filter(pk__in=by_pk).specific()
    ordered = sorted(found, key=lambda page: by_pk[page.pk].sort_key())
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    ordered = _drop_translated(ordered, locale, languages)[:limit]
    texts = dict(
        SearchDocument.objects.filter(object_id__in=[page.pk for page in ordered]).values_list(
            "object_id", "text"
        )
    )
    results = []
    for page in ordered:
        summary = getattr(page, "summary", "") or ""
        source = texts.get(page.pk) or summary
        snippet = highlight(source, by_pk[page.pk].matched_words)
        page_language = languages[page.locale_id]
        convert = locale == TRADITIONAL and page_language != TRADITIONAL
        title = page.title
        if convert:
            title, summary = to_traditional(title), to_traditional(summary)
            snippet = to_traditional(snippet)
        results.append(
            SearchResult(
                type=_type_of(page),
                id=page.pk,
                title=title,
                summary=summary,
                snippet=snippet,
                locale=TRADITIONAL if convert else page_language,
                machine_converted=convert,
            )
        )
    return results


def community_by_code(code: str) -> CommunityHomePage | None:
    """The default-locale community with this code, if any."""
    return CommunityHomePage.objects.filter(code=code, locale=Locale.get_default()).first()


def resident_category_exists(code: str) -> bool:
    return ResidentCategory.objects.filter(code=code).exists()


# Suggestions ---------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A title to offer while a resident types."""

    type: str
    id: int
    title: str
    locale: str
    translation_key: str


@lru_cache(maxsize=50000)
def _title_keys(title: str) -> tuple[tuple[str, bool], ...]:
    """Prefix keys of a title: its text, full pinyin and initials from every word start.

    Each key says whether it starts where the title starts (those rank first).
    """
    normalized = analysis.normalize(title).replace(" ", "")
    keys: dict[str, bool] = {normalized: True}
    for run in analysis.HAN_RUN.findall(normalized):
        at_title_start = normalized.startswith(run)
        starts = sorted({start for _, start in analysis.segment_for_index(run)} | {0})
        run_readings = analysis.readings(run)
        initials = [tuple(dict.fromkeys(r[0] for r in options)) for options in run_readings]
        for start in starts:
            first = at_title_start and start == 0
            for key in (
                run[start:],
                *analysis.spellings(run_readings[start:], 4),
                *analysis.spellings(initials[start:], 4),
            ):
                keys[key] = keys.get(key, False) or first
    return tuple((key, first) for key, first in keys.items() if key)


def search_index_generation() -> str:
    """Changes whenever the search index does (a page indexed or removed, a rebuild)."""
    state = IndexState.objects.filter(key="generation").values_list("value", flat=True).first()
    return state or ""


class SuggestIndex:
    """Titles of what residents may find, held in memory, reloaded when the index changes."""

    MAX_AGE = 60.0  # notices expire with time, not only with edits
    MAX_CANDIDATES = 300

    def __init__(self):
        self._lock = threading.Lock()
        self._generation = None
        self._loaded_at = 0.0
        self._keys: list[tuple[str, bool, int, int]] = []
        self._entries: list[Suggestion] = []

    def _current_generation(self) -> str:
        return search_index_generation()

    def _reload(self, generation: str) -> None:
        pages = (
            resident_pages()
            .select_related("locale")
            .values_list(
                "pk", "title", "locale__language_code", "translation_key", "content_type_id"
            )
        )
        from django.contrib.contenttypes.models import ContentType

        type_by_ct = {
            ContentType.objects.get_for_model(model).pk: name
            for name, model in search_types().items()
        }
        entries, keys = [], []
        for pk, title, language, translation_key, ct in pages:
            index = len(entries)
            entries.append(
                Suggestion(type_by_ct.get(ct, "page"), pk, title, language, str(translation_key))
            )
            keys.extend((key, not first, len(title), index) for key, first in _title_keys(title))
        keys.sort()
        self._entries, self._keys = entries, keys
        self._generation, self._loaded_at = generation, time.monotonic()

    def refresh(self) -> None:
        generation = self._current_generation()
        if generation != self._generation or time.monotonic() - self._loaded_at > self.MAX_AGE:
            with self._lock:
                self._reload(generation)

    def lookup(self, prefix: str, *, limit: int) -> list[Suggestion]:
        """Entries with a key starting with `prefix`: title-start matches, then shorter titles."""
        found: dict[int, tuple] = {}
        keys = self._keys
        position = bisect_left(keys, (prefix,))
        while position < len(keys) and keys[position][0].startswith(prefix):
            _key, not_first, length, index = keys[position]
            rank_key = (not_first, length, index)
            if index not in found or rank_key < found[index]:
                found[index] = rank_key
                if len(found) >= self.MAX_CANDIDATES:
                    break
            position += 1
        best = sorted(found, key=found.get)
        return [self._entries[index] for index in best[: limit * 3]]


_suggest_index = SuggestIndex()


def suggest_titles(*, query: str, locale: str | None = None, limit: int = 8) -> list[dict]:
    """Titles for a kiosk's as-you-type list: by text, full pinyin or initials."""
    prefix = analysis.normalize(query[:64]).replace(" ", "")
    if not prefix:
        return []
    _suggest_index.refresh()
    candidates = _suggest_index.lookup(prefix, limit=limit)
    if locale:
        allowed = (
            {locale, Locale.get_default().language_code} if locale == TRADITIONAL else {locale}
        )
        candidates = [c for c in candidates if c.locale in allowed]
    if locale == TRADITIONAL:
        keys = {c.translation_key for c in candidates if c.locale == TRADITIONAL}
        candidates = [
            c for c in candidates if c.locale == TRADITIONAL or c.translation_key not in keys
        ]
    results = []
    for candidate in candidates[:limit]:
        convert = locale == TRADITIONAL and candidate.locale != TRADITIONAL
        results.append(
            {
                "type": candidate.type,
                "id": candidate.id,
                "title": to_traditional(candidate.title) if convert else candidate.title,
                "machine_converted": convert,
            }
        )
    return results
