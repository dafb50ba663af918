"""The catalogs of words: complete in every reading locale, placeholders intact, compiled in use."""

import re
from pathlib import Path

from django.conf import settings

import polib
import pytest

from front.texts import resident_labels, resident_words
from subscriptions.page_texts import page_words
from subscriptions.texts import texts

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ["en", "zh_Hant"]
DOMAINS = ["django", "djangojs"]
PLACEHOLDER = re.compile(r"\{\w*\}|%\(\w+\)[sd]")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def catalog(locale: str, domain: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / locale / "LC_MESSAGES" / f"{domain}.po"))


def name(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_word_is_translated_and_none_is_fuzzy(locale, domain):
    words = catalog(locale, domain)

    assert [name(e) for e in words if not all(translations(e))] == []
    assert [name(e) for e in words.fuzzy_entries()] == []
    assert not words.metadata_is_fuzzy


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_the_placeholders_the_code_fills(locale, domain):
    broken = [
        name(entry)
        for entry in catalog(locale, domain)
        for text in translations(entry)
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(entry.msgid))
    ]

    assert broken == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_locale_has_the_same_words(domain):
    names = {
        locale: {name(e) for e in catalog(locale, domain)} for locale in ["zh_Hans", *TRANSLATED]
    }

    assert names["en"] == names["zh_Hans"] == names["zh_Hant"]


def test_english_readers_read_no_chinese_on_the_resident_pages_and_in_messages():
    words = {**resident_words("en"), **texts("en"), **page_words("en")}
    words |= {
        f"{group}.{code}": label
        for group, labels in resident_labels("en").items()
        for code, label in labels.items()
    }

    assert {key: word for key, word in words.items() if CJK.search(word)} == {}


def test_traditional_readers_read_traditional_words():
    assert resident_words("zh-hant")["search"] == "搜尋"
    assert texts("zh-hant")["digest_weekly"] == "本週社區資訊摘要"
    assert resident_labels("zh-hant")["fee_mode"]["low_cost"] == "低償（優惠收費）"
