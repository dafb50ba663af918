import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from wagtail.models import Page

import pytest

EVAL = Path(__file__).resolve().parent / "eval"


@pytest.mark.django_db
def test_search_eval_meets_the_targets_on_the_shared_set():
    out = StringIO()
    call_command(
        "search_eval",
        corpus=str(EVAL / "corpus.json"),
        queries=str(EVAL / "queries.json"),
        stdout=out,
    )
    lines = out.getvalue().strip().splitlines()
    recall, mrr = map(float, re.fullmatch(r"recall@10=([\d.]+) mrr=([\d.]+)", lines[-1]).groups())
    assert recall >= 0.97
    assert mrr >= 0.95
    kinds = [line.split() for line in lines if re.match(r"^[a-z-]+\s+\d+\s+[\d.]+\s+[\d.]+$", line)]
    assert kinds
    assert all(float(kind[2]) >= 0.9 for kind in kinds), kinds


def test_search_eval_leaves_the_database_as_it_was(tree):
    before = Page.objects.count(), Page.objects.filter(live=True).count()
    call_command(
        "search_eval",
        corpus=str(EVAL / "corpus.json"),
        queries=str(EVAL / "queries.json"),
        stdout=StringIO(),
    )
    assert (Page.objects.count(), Page.objects.filter(live=True).count()) == before


def test_search_eval_reports_misses(tmp_path, db):
    (tmp_path / "c.json").write_text(
        '[{"id": "x1", "title": "助餐点", "body": "", "locale": "zh-hans"}]'
    )
    (tmp_path / "q.json").write_text('[{"query": "体检", "kind": "k", "relevant": ["x1"]}]')
    out = StringIO()
    call_command(
        "search_eval", corpus=str(tmp_path / "c.json"), queries=str(tmp_path / "q.json"), stdout=out
    )
    assert "miss  '体检'" in out.getvalue()
    assert out.getvalue().strip().splitlines()[-1] == "recall@10=0.000 mrr=0.000"
