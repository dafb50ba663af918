"""Measure search relevance on a labelled corpus, in a transaction that is rolled back."""

import json
import uuid
from collections import defaultdict
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils.html import escape

from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from home.models import StreetHomePage
from search.backend import LinliIndex
from search.selectors import search_pages
from services.models import ServiceIndexPage, ServicePage

CUTOFF = 10


def _load(path: str, what: str) -> list[dict]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"cannot read the {what} file {path}: {error}") from error
    if not isinstance(data, list):
        raise CommandError(f"the {what} file must hold a JSON list")
    return data


def corpus_load(documents: list[dict]) -> dict[int, str]:
    """Create one live service page per document under a new street; returns page id → doc id."""
    suffix = uuid.uuid4().hex[:8]
    root = Page.get_first_root_node()
    street = root.add_child(
        instance=StreetHomePage(title="检索评测街道", slug=f"search-eval-{suffix}")
    )
    catalog = street.add_child(instance=ServiceIndexPage(title="服务目录", slug="services"))
    locales: dict[str, Locale] = {}
    pages, page_to_doc = [], {}
    for number, document in enumerate(documents):
        code = document.get("locale") or Locale.get_default().language_code
        if code not in locales:
            locales[code], _ = Locale.objects.get_or_create(language_code=code)
        body = str(document.get("body", ""))
        page = ServicePage(
            title=str(document["title"])[:255],
            slug=f"doc-{number}",
            locale=locales[code],
            summary=(body or str(document["title"]))[:80],
            description=[("paragraph", RichText(f"<p>{escape(body)}</p>"))],
            delivery_modes=[ServicePage.DeliveryMode.SERVICE_POINT],
        )
        catalog.add_child(instance=page)
        pages.append(page)
        page_to_doc[page.pk] = str(document["id"])
    # Indexing normally runs as a background task; here it must happen now.
    LinliIndex(backend=None).add_items(ServicePage, pages)
    # Only the corpus may be found: whatever else the database holds goes
    # offline until the transaction is rolled back.
    Page.objects.exclude(path__startswith=street.path).filter(live=True).update(live=False)
    return page_to_doc


class Command(BaseCommand):
    help = (
        "Load a corpus as pages in a transaction that is rolled back, run every query through "
        "the search API's code path, print recall@10 and MRR overall, per kind, and each miss."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--corpus", required=True, help="JSON list of {id, title, body, locale}"
        )
        parser.add_argument("--queries", required=True, help="JSON list of {query, kind, relevant}")

    def handle(self, *args, corpus: str, queries: str, **options):
        documents = _load(corpus, "corpus")
        labelled = _load(queries, "queries")
        if not labelled:
            raise CommandError("the queries file is empty")
        with transaction.atomic():
            page_to_doc = corpus_load(documents)
            runs = []
            for item in labelled:
                found = search_pages(query=str(item["query"]), limit=CUTOFF)
                ranked = [page_to_doc[result.id] for result in found if result.id in page_to_doc]
                runs.append((item, ranked))
            transaction.set_rollback(True)

        by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for item, ranked in runs:
            relevant = {str(doc) for doc in item["relevant"]}
            hits = [doc for doc in ranked[:CUTOFF] if doc in relevant]
            recall = len(hits) / len(relevant) if relevant else 1.0
            first = next((n for n, doc in enumerate(ranked[:CUTOFF], 1) if doc in relevant), None)
            reciprocal = 1.0 / first if first else 0.0
            by_kind[item.get("kind", "all")].append((recall, reciprocal))
            by_kind["*"].append((recall, reciprocal))
            missing = sorted(relevant - set(hits))
            if missing or first != 1:
                self.stdout.write(
                    f"miss  {item['query']!r} [{item.get('kind', '')}] first relevant at "
                    f"{first or '-'}; missing {', '.join(missing) or 'none'}; got {', '.join(ranked[:CUTOFF]) or 'nothing'}"
                )
        self.stdout.write(f"{'kind':<22} {'queries':>7} {'recall@10':>9} {'mrr':>6}")
        for kind in sorted(k for k in by_kind if k != "*"):
            scores = by_kind[kind]
            self.stdout.write(
                f"{kind:<22} {len(scores):>7} {sum(r for r, _ in scores) / len(scores):>9.3f} "
                f"{sum(m for _, m in scores) / len(scores):>6.3f}"
            )
        overall = by_kind["*"]
        recall = sum(r for r, _ in overall) / len(overall)
        mrr = sum(m for _, m in overall) / len(overall)
        self.stdout.write(f"recall@10={recall:.3f} mrr={mrr:.3f}")
