import os
import subprocess
import sys
from pathlib import Path

from search import analysis
from search.query import analyze_query

ROOT = Path(__file__).resolve().parents[2]


def _python(code: str) -> str:
    """Run `code` in a fresh interpreter with the test settings; returns what it printed."""
    done = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_a_process_that_does_not_search_never_loads_the_dictionaries():
    # A push worker: Django set up, every URLconf and task module imported.
    printed = _python(
        "import sys, django; django.setup();"
        "from django.urls import reverse; reverse('wagtail_serve', args=['']);"
        "import subscriptions.tasks, search.tasks, search.backend, search.selectors;"
        "print(sorted({'jieba', 'pypinyin'} & set(sys.modules)))"
    )
    assert printed == "[]"


def test_the_web_server_loads_them_before_gunicorn_forks():
    assert _python("import config.wsgi; from search import analysis; print(analysis._loaded)") == (
        "True"
    )


def test_normalize_folds_traditional_width_case_and_punctuation():
    assert analysis.normalize("養老「服務」ＡＢＣ！") == "养老 服务 abc"


def test_documents_are_segmented_with_the_domain_dictionary():
    terms = analysis.document_terms(title="", keywords="", body="申请低保边缘家庭认定")
    assert {"低保", "低保边缘"} <= terms.keys()


def test_partial_words_are_indexed_inside_longer_words():
    terms = analysis.document_terms(title="居家养老服务站", keywords="", body="")
    assert {"居家养老", "养老", "服务站", "服务"} <= terms.keys()


def test_title_gets_pinyin_initials_and_typo_streams():
    terms = analysis.document_terms(title="居家养老服务站", keywords="", body="")
    assert {"p:yanglao", "i:ylfw", "f:yanglao", "f:yangla"} <= terms.keys()


def test_body_gets_no_pinyin_streams():
    terms = analysis.document_terms(title="", keywords="", body="居家养老服务站")
    assert not [term for term in terms if ":" in term]


def test_polyphones_give_both_initials():
    terms = analysis.document_terms(title="长者饭堂", keywords="", body="")
    assert {"i:czft", "i:zzft"} <= terms.keys()


def test_initials_run_across_punctuation():
    terms = analysis.document_terms(title="最低生活保障（低保）申请指南", keywords="", body="")
    assert "i:dbsq" in terms


def test_title_outweighs_body():
    terms = analysis.document_terms(title="助餐", keywords="", body="养老")
    assert terms["助餐"] > terms["养老"]


def test_english_words_are_stemmed():
    terms = analysis.document_terms(title="Opening Hours", keywords="", body="")
    assert {"open", "hour"} <= terms.keys()


def test_query_drops_question_words():
    plan = analyze_query("低保怎么申请")
    assert [unit.text for unit in plan.units] == ["低保", "申请"]


def test_unknown_characters_stay_one_unit_and_match_by_sound():
    plan = analyze_query("低宝")
    [unit] = plan.units
    assert any("p:dibao" in alt.terms for alt in unit.alternatives)


def test_pinyin_query_is_split_into_syllables():
    plan = analyze_query("gaolingjintie")
    terms = plan.terms()
    assert {"p:gaoling", "p:lingjin", "p:jintie"} <= terms


def test_consonant_only_query_is_read_as_initials():
    assert "i:ylfw" in analyze_query("ylfw").terms()


def test_pinyin_typo_reaches_the_deletion_of_the_right_word():
    assert "f:yangla" in analyze_query("yanglap").terms()


def test_synonyms_become_lower_tier_alternatives():
    plan = analyze_query("老人", {"老人": {"长者"}})
    tiers = {term: alt.tier for alt in plan.units[0].alternatives for term in alt.terms}
    assert tiers["老人"] == analysis.TIER_EXACT
    assert tiers["长者"] == analysis.TIER_SYNONYM


def test_hostile_queries_analyse_without_error():
    for text in ['"', "养老 AND NOT", "😀", "，", "x" * 1000, "'; DROP TABLE x; --", "\x00"]:
        plan = analyze_query(text)
        assert len(plan.units) <= analysis.MAX_QUERY_UNITS


def test_dictionary_hash_changes_with_the_dictionary(tmp_path, monkeypatch):
    for name in analysis.DICTIONARY_FILES:
        (tmp_path / name).write_text((analysis.DICTIONARY_DIR / name).read_text())
    monkeypatch.setattr(analysis, "DICTIONARY_DIR", tmp_path)
    before = analysis.dictionary_hash()
    (tmp_path / "domain.txt").write_text("新词 30000\n", encoding="utf-8")
    assert analysis.dictionary_hash() != before
