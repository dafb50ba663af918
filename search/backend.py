"""A Wagtail search backend for Chinese, the same on SQLite and PostgreSQL.

The database stores postings (``SearchTerm``: object, term, weight) written by
the shared analyzer; a search looks up the query's terms in one indexed query,
restricted to the caller's queryset, and ranks in Python: exact words first,
then everything else by weighted relevance. Configure with
``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend"}}``.
"""

from __future__ import annotations

import re
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connections, router, transaction
from django.db.models import Count, Manager
from django.utils.encoding import force_str

from modelsearch.backends.base import (
    BaseIndex,
    BaseSearchBackend,
    BaseSearchQueryCompiler,
    BaseSearchResults,
    get_model_root,
)
from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Or, Phrase, PlainText
from modelsearch.utils import get_descendants_content_types_pks

from search import analysis
from search.models import IndexState, SearchDocument, SearchTerm, SynonymGroup

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


# Searching -----------------------------------------------------------------


def query_text(query) -> str:
    """The words of a Wagtail query object; NOT parts are ignored (residents do not type them)."""
    if isinstance(query, str):
        return query
    if isinstance(query, PlainText | Phrase):
        return query.query_string
    if isinstance(query, Fuzzy):
        return query.query_string
    if isinstance(query, Boost):
        return query_text(query.subquery)
    if isinstance(query, And | Or):
        return " ".join(query_text(sub) for sub in query.subqueries)
    return ""


def synonym_map() -> dict[str, set[str]]:
    """Every word in an editor's synonym group, mapped to the other words of its groups."""
    mapping: dict[str, set[str]] = defaultdict(set)
    for words in SynonymGroup.objects.values_list("words", flat=True):
        group = [
            analysis.normalize(word) for word in words.replace("，", " ").replace(",", " ").split()
        ]
        group = [word for word in group if word]
        for word in group:
            mapping[word].update(other for other in group if other != word)
    return mapping


@dataclass
class Hit:
    """One matching object and how it matched."""

    pk: int
    exact_units: int = 0
    covered_units: int = 0
    score: float = 0.0
    matched_words: set[str] = field(default_factory=set)

    def sort_key(self):
        return (-self.exact_units, -self.covered_units, -self.score, -self.pk)


_totals: dict[tuple[int, ...], tuple[int, float]] = {}
TOTAL_MAX_AGE = 300.0


def _document_total(content_types: list[int]) -> int:
    """How many objects of these types are indexed, for idf; a few minutes stale is fine."""
    key = tuple(sorted(content_types))
    cached = _totals.get(key)
    if cached and time.monotonic() - cached[1] < TOTAL_MAX_AGE:
        return cached[0]
    total = SearchDocument.objects.filter(content_type_id__in=content_types).count()
    _totals[key] = (total, time.monotonic())
    return total


class RankedQuery:
    """A query's ranking as one SQL statement over the postings, the same on SQLite and PostgreSQL.

    Per object and per unit: whether the exact word matched, whether at least
    half of one alternative matched (covered), and the best alternative's
    score (tier × share × idf × term weight). Objects sort by exact units,
    covered units, score, newest. The aggregation runs in the database, so a
    common word costs milliseconds, not a Python loop over every page.
    """

    def __init__(self, queryset, text: str, *, require_all: bool = False):
        self.queryset = queryset
        self.plan = analysis.analyze_query(text, synonym_map())
        self.require_all = require_all
        self.content_types = get_descendants_content_types_pks(queryset.model)
        terms = sorted(self.plan.terms())
        counts = (
            dict(
                SearchTerm.objects.filter(content_type_id__in=self.content_types, term__in=terms)
                .values("term")
                .annotate(n=Count("object_id"))  # in the covering index: no table reads
                .values_list("term", "n")
            )
            if terms
            else {}
        )
        self.present = counts
        total = _document_total(self.content_types)
        self.idf = {term: analysis.idf(n, max(total, n)) for term, n in counts.items()}

    def _sql(self) -> tuple[str, list] | None:
        """The ranking SELECT (unordered) and its parameters, or None if no term is indexed."""
        connection = connections[self.queryset.db]
        rows, params = [], []
        for u, unit in enumerate(self.plan.units):
            for a, alternative in enumerate(unit.alternatives):
                exact = alternative.exact and all(t in self.present for t in alternative.terms)
                for term, share in alternative.terms.items():
                    if term in self.present:
                        rows.append(
                            "(CAST(%s AS TEXT), CAST(%s AS INTEGER), CAST(%s AS INTEGER), "
                            "CAST(%s AS DOUBLE PRECISION), CAST(%s AS DOUBLE PRECISION), "
                            "CAST(%s AS INTEGER))"
                        )
                        coefficient = alternative.tier * share * self.idf[term]
                        params += [term, u, a, coefficient, share, int(exact)]
        if not rows:
            return None
        try:
            allowed_sql, allowed_params = _correlated(self.queryset, "units.object_id")
        except EmptyResultSet:  # the caller's queryset is empty (e.g. .none())
            return None
        table = connection.ops.quote_name(SearchTerm._meta.db_table)
        minimum = len(self.plan.units) if self.require_all else 1
        sql = (
            # Only placeholders, quoted names and SQL compiled by Django: every value is a parameter.
            f"WITH q (term, unit, alt, coefficient, share, exact) AS (VALUES {', '.join(rows)}) "  # noqa: S608
            "SELECT object_id, SUM(exact_unit) AS exact_units, SUM(covered_unit) AS covered_units, "
            "SUM(unit_score) AS score FROM ("
            " SELECT object_id, unit, MAX(exact) AS exact_unit, "
            " MAX(CASE WHEN share >= 0.5 THEN 1 ELSE 0 END) AS covered_unit, "
            " MAX(alt_score) AS unit_score FROM ("
            "  SELECT p.object_id AS object_id, q.unit AS unit, q.alt AS alt, "
            "  SUM(p.weight * q.coefficient) AS alt_score, SUM(q.share) AS share, "
            "  MAX(q.exact) AS exact "
            f"  FROM {table} p JOIN q ON q.term = p.term "
            f"  WHERE p.content_type_id IN ({', '.join(['%s'] * len(self.content_types))}) "
            "  GROUP BY p.object_id, q.unit, q.alt"
            " ) alternatives GROUP BY object_id, unit"
            f") units GROUP BY object_id HAVING SUM(covered_unit) >= {minimum:d} "
            f"AND EXISTS ({allowed_sql})"
        )
        return sql, [*params, *self.content_types, *allowed_params]

    def hits(self, start: int = 0, stop: int | None = None, *, words: bool = True) -> list[Hit]:
        """Matching objects, best first, from `start` to `stop` (with matched words if `words`)."""
        compiled = self._sql()
        if compiled is None:
            return []
        sql, params = compiled
        sql += " ORDER BY exact_units DESC, covered_units DESC, score DESC, object_id DESC"
        if stop is not None:
            sql += f" LIMIT {max(stop - start, 0):d}"
        if start:
            sql += f" OFFSET {start:d}" if stop is not None else f" LIMIT -1 OFFSET {start:d}"
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            hits = [
                Hit(pk, exact, covered, score) for pk, exact, covered, score in cursor.fetchall()
            ]
        if words:
            self._add_matched_words(hits)
        return hits

    def count(self) -> int:
        compiled = self._sql()
        if compiled is None:
            return 0
        sql, params = compiled
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) counted", params)  # noqa: S608 - built from our own plan, values as parameters
            return cursor.fetchone()[0]

    def _add_matched_words(self, hits: list[Hit]) -> None:
        words = [word for word in self.plan.highlight if word in self.present]
        if not hits or not words:
            return
        by_pk = {hit.pk: hit for hit in hits}
        rows = SearchTerm.objects.filter(
            content_type_id__in=self.content_types, object_id__in=by_pk, term__in=words
        ).values_list("object_id", "term")
        for object_id, term in rows:
            by_pk[object_id].matched_words.add(term)


# Fits every integer primary key (PostgreSQL's serial is 32-bit); never a real pk.
_SENTINEL = -2_000_000_017


def _correlated(queryset, column: str) -> tuple[str, list]:
    """SQL that selects `queryset`'s row whose pk equals the outer `column` (for EXISTS).

    Checking only the matched objects against the caller's filters, by primary
    key, is much cheaper than building the list of every allowed object first.
    """
    sql, params = queryset.order_by().filter(pk=_SENTINEL).values("pk").query.sql_with_params()
    params = list(params)
    position = params.index(_SENTINEL)
    placeholders = [m for m in re.finditer(r"%%|%s", sql) if m.group() == "%s"]
    match = placeholders[position]
    del params[position]
    return sql[: match.start()] + column + sql[match.end() :], params


def rank(
    queryset, text: str, *, require_all: bool = False, start: int = 0, stop: int | None = None
) -> list[Hit]:
    """Objects of `queryset` that match `text`, best first."""
    return RankedQuery(queryset, text, require_all=require_all).hits(start, stop)


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
