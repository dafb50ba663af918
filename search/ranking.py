"""Ranking a query against the postings: exact words first, then everything else by weighted relevance."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count

from modelsearch.query import And, Boost, Fuzzy, Or, Phrase, PlainText
from modelsearch.utils import get_descendants_content_types_pks

from search import analysis
from search.models import SearchDocument, SearchTerm, SynonymGroup
from search.query import analyze_query

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
        self.plan = analyze_query(text, synonym_map())
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
