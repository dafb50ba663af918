from django.test import override_settings

import pytest

from search.chinese import to_simplified, to_traditional


def test_taiwan_variant_uses_taiwan_phrasing():
    assert to_traditional("软件和养老服务", variant="tw") == "軟體和養老服務"


def test_hong_kong_variant_uses_hong_kong_characters():
    assert to_traditional("长者饭堂", variant="hk") == "長者飯堂"


@override_settings(LINLI_TRADITIONAL_VARIANT="t")
def test_default_variant_comes_from_settings():
    assert to_traditional("软件") == "軟件"


def test_unknown_variant_is_refused():
    with pytest.raises(ValueError, match="variant"):
        to_traditional("养老", variant="mars")


def test_to_simplified_leaves_latin_alone():
    assert to_simplified("殘疾人 ABC") == "残疾人 ABC"
