from wagtail.models import Locale
from wagtail_localize.strings import StringValue

import pytest

from search.translator import OpenCCTranslator


@pytest.fixture
def locales(db):
    hans = Locale.objects.get_or_create(language_code="zh-hans")[0]
    hant = Locale.objects.get_or_create(language_code="zh-hant")[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    return hans, hant, english


def test_translates_simplified_to_traditional_with_taiwan_phrasing(locales):
    hans, hant, _ = locales
    source = StringValue.from_plaintext("长者饭堂的软件")
    [(original, translated)] = (
        OpenCCTranslator({"VARIANT": "tw"}).translate(hans, hant, [source]).items()
    )
    assert original == source
    assert translated.render_text() == "長者飯堂的軟體"


def test_hong_kong_variant_is_configurable(locales):
    hans, hant, _ = locales
    source = StringValue.from_plaintext("软件")
    translated = OpenCCTranslator({"VARIANT": "hk"}).translate(hans, hant, [source])[source]
    assert translated.render_text() == "軟件"


def test_markup_and_links_survive(locales):
    hans, hant, _ = locales
    source = StringValue('<a id="a1">养老</a>服务')
    translated = OpenCCTranslator({"VARIANT": "tw"}).translate(hans, hant, [source])[source]
    assert translated.data == '<a id="a1">養老</a>服務'


def test_only_offers_simplified_to_traditional(locales):
    hans, hant, english = locales
    translator = OpenCCTranslator({"VARIANT": "tw"})
    assert translator.can_translate(hans, hant)
    assert not translator.can_translate(hant, hans)
    assert not translator.can_translate(hans, english)


def test_settings_select_the_opencc_translator(settings):
    from wagtail_localize.machine_translators import get_machine_translator

    assert isinstance(get_machine_translator(), OpenCCTranslator)
