"""A Wagtail search backend for Chinese, the same on SQLite and PostgreSQL.

The database stores postings (``SearchTerm``: object, term, weight) written by
the shared analyzer; a search looks up the query's terms in one indexed query,
restricted to the caller's queryset, and ranks in Python: exact words first,
then everything else by weighted relevance. Configure with
``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend"}}``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import Manager
from django.utils.encoding import force_str

from modelsearch.backends.base import (
    BaseIndex,
    BaseSearchBackend,
    BaseSearchQueryCompiler,
    BaseSearchResults,
    get_model_root,
)
from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from modelsearch.query import MatchAll
from modelsearch.utils import get_descendants_content_types_pks

from search import analysis
from search.models import IndexState, SearchDocument, SearchTerm
from search.ranking import RankedQuery, query_text

TITLE_FIELDS = {"title"}
KEYWORD_FIELDS = {"search_keywords"}
SNIPPET_TEXT_LIMIT = 4000


# Indexing ------------------------------------------------------------------


def _prepare(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(_prepare(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_prepare(item) for item in value.values())
    return force_str(value)


def _field_texts(obj, search_fields, texts: dict[str, list[str]]) -> None:
    for search_field in search_fields:
        if isinstance(search_field, SearchField):
            name = search_field.field_name
            bucket = (
                "title"
                if name in TITLE_FIELDS
                else "keywords"
                if name in KEYWORD_FIELDS
                else "body"
            )
            texts[bucket].append(_prepare(search_field.get_value(obj)))
        elif isinstance(search_field, RelatedFields) and not isinstance(
            search_field, AutocompleteField
        ):
            related = search_field.get_value(obj)
            if related is None:
                continue
            if isinstance(related, Manager):
                related = related.all()
            elif callable(related):
                related = [related()]
            else:
                related = [related]
            for sub_obj in related:
                _field_texts(sub_obj, search_field.fields, texts)


def object_texts(obj) -> dict[str, str]:
    """The title, keyword and body text of an object, from its search_fields."""
    texts: dict[str, list[str]] = defaultdict(list)
    _field_texts(obj, obj.get_search_fields(), texts)
    return {
        bucket: " ".join(filter(None, texts[bucket])) for bucket in ("title", "keywords", "body")
    }


def bump_generation() -> None:
    """Tell every process that the index changed (the suggest lists reload)."""
    updated = IndexState.objects.filter(key="generation").update(value=uuid.uuid4().hex)
    if not updated:
        IndexState.objects.get_or_create(key="generation", defaults={"value": uuid.uuid4().hex})


def _insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert many rows at once: COPY on PostgreSQL, executemany elsewhere (no model instances)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608 - names from our own model


class LinliIndex(BaseIndex):
    # Set while a rebuild fills the emptied table: nothing to delete first.
    rebuilding = False

    def add_items(self, model, items):
        if not model.get_search_fields():
            return
        content_type_id = ContentType.objects.get_for_model(model).pk
        items = [item for item in items if isinstance(item.pk, int)]
        if not items:
            return
        ids = [item.pk for item in items]
        terms, documents = [], []
        for item in items:
            texts = object_texts(item)
            terms.extend(
                (content_type_id, item.pk, term, weight)
                for term, weight in analysis.document_terms(**texts).items()
            )
            text = " ".join(filter(None, (texts["keywords"], texts["body"])))
            documents.append((content_type_id, item.pk, texts["title"], text[:SNIPPET_TEXT_LIMIT]))
        with transaction.atomic():
            for table in (SearchTerm, SearchDocument) if not self.rebuilding else ():
                table.objects.filter(
                    content_type_id=content_type_id, object_id__in=ids
                )._raw_delete(table.objects.db)
            _insert_rows(SearchTerm, ["content_type_id", "object_id", "term", "weight"], terms)
            _insert_rows(
                SearchDocument, ["content_type_id", "object_id", "title", "text"], documents
            )
            bump_generation()

    def delete_item(self, item):
        content_types = get_descendants_content_types_pks(get_model_root(type(item)))
        for model in (SearchTerm, SearchDocument):
            model.objects.filter(content_type_id__in=content_types, object_id=item.pk)._raw_delete(
                model.objects.db
            )
        bump_generation()

    def reset(self):
        SearchTerm.objects.all()._raw_delete(SearchTerm.objects.db)
        SearchDocument.objects.all()._raw_delete(SearchDocument.objects.db)
        bump_generation()


def _term_indexes(action: str) -> None:
    """Drop or create the postings' indexes inside the current transaction, on SQLite.

    SQLite readers keep seeing the committed index meanwhile (WAL). PostgreSQL
    would lock the table against every search until the rebuild commits, so
    there the indexes stay and COPY fills them.
    """
    connection = connections[router.db_for_write(SearchTerm)]
    if connection.vendor != "sqlite":
        return
    # Not entered as a context manager: SQLite's editor refuses to run inside
    # a transaction, but index statements are plain, transactional DDL.
    editor = connection.schema_editor()
    editor.deferred_sql = []
    with connection.cursor() as cursor:
        for index in SearchTerm._meta.indexes:
            cursor.execute(str(getattr(index, action)(SearchTerm, editor)))


class LinliRebuilder:
    """Rebuilds the whole index inside one transaction: searches see the old index until it is done."""

    def __init__(self, index):
        self.index = index
        self.atomic = transaction.atomic()

    def start(self):
        self.atomic.__enter__()
        self.index.reset()
        # Loading two million rows into an unindexed table and indexing once
        # is several times faster than keeping the indexes up to date row by row.
        _term_indexes("remove_sql")
        self.index.rebuilding = True
        return self.index

    def finish(self):
        self.index.rebuilding = False
        _term_indexes("create_sql")
        with connections[router.db_for_write(SearchTerm)].cursor() as cursor:
            # Fresh statistics, or the planner guesses on two million new rows.
            cursor.execute(f"ANALYZE {SearchTerm._meta.db_table}")
        IndexState.objects.update_or_create(
            key="dictionary_hash", defaults={"value": analysis.dictionary_hash()}
        )
        self.atomic.__exit__(None, None, None)


class LinliQueryCompiler(BaseSearchQueryCompiler):
    """Searches any queryset: its filters run in SQL, so no FilterField declarations are needed."""

    def check(self):
        pass

    def ranked(self) -> RankedQuery | None:
        """The ranking query, or None when the query matches everything."""
        if not hasattr(self, "_ranked"):
            query = self.query
            if isinstance(query, MatchAll):
                self._ranked = None
            else:
                operator = getattr(query, "operator", "or") or "or"
                self._ranked = RankedQuery(
                    self.queryset, query_text(query), require_all=operator.lower() == "and"
                )
        return self._ranked


class LinliSearchResults(BaseSearchResults):
    def _do_search(self):
        compiler = self.query_compiler
        ranked = compiler.ranked()
        queryset = compiler.queryset
        if ranked is None:
            return list(queryset[self.start : self.stop])
        if not compiler.order_by_relevance:
            pks = [hit.pk for hit in ranked.hits(words=False)]
            ordered = queryset if queryset.query.order_by else queryset.order_by("-pk")
            return list(ordered.filter(pk__in=pks)[self.start : self.stop])
        page = ranked.hits(self.start, self.stop, words=False)
        objects = queryset.in_bulk([hit.pk for hit in page])
        results = []
        for hit in page:
            obj = objects.get(hit.pk)
            if obj is None:
                continue
            if self._score_field:
                setattr(obj, self._score_field, hit.score + 1000 * hit.exact_units)
            results.append(obj)
        return results

    def _do_count(self):
        ranked = self.query_compiler.ranked()
        total = self.query_compiler.queryset.count() if ranked is None else ranked.count()
        count = total - self.start
        if self.stop is not None:
            count = min(count, self.stop - self.start)
        return max(count, 0)


class LinliSearchBackend(BaseSearchBackend):
    """Wagtail search for Chinese: jieba words, traditional script, pinyin, initials and typos."""

    query_compiler_class = LinliQueryCompiler
    # Autocomplete shares the whole-word search: pinyin, initials and typo terms
    # already match what a resident has typed so far on most keys.
    autocomplete_query_compiler_class = LinliQueryCompiler
    index_class = LinliIndex
    results_class = LinliSearchResults
    rebuilder_class = LinliRebuilder


SearchBackend = LinliSearchBackend
