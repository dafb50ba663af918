"""A wagtail-localize machine translator from simplified to traditional Chinese (OpenCC)."""

from django.utils.translation import gettext_lazy as _

from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.strings import StringValue

from bs4 import BeautifulSoup, NavigableString

from search.chinese import to_traditional


def _is_simplified(locale) -> bool:
    return locale.language_code.lower() in {"zh-hans", "zh-cn", "zh-sg", "zh"}


def _is_traditional(locale) -> bool:
    return locale.language_code.lower() in {"zh-hant", "zh-tw", "zh-hk", "zh-mo"}


def html_to_traditional(html: str, *, variant: str) -> str:
    """Convert the text of an HTML fragment, leaving tags and attributes alone."""
    soup = BeautifulSoup(html, "html.parser")
    for node in list(soup.find_all(string=True)):
        if isinstance(node, NavigableString):
            node.replace_with(to_traditional(str(node), variant=variant))
    return str(soup)


class OpenCCTranslator(BaseMachineTranslator):
    """zh-hans → zh-hant in one click; the editor only reviews (Taiwan or Hong Kong phrasing)."""

    display_name = _("OpenCC 简繁转换")

    def translate(self, source_locale, target_locale, strings):
        variant = self.options.get("VARIANT") if self.options else None
        return {
            string: StringValue(html_to_traditional(string.data, variant=variant))
            for string in strings
        }

    def can_translate(self, source_locale, target_locale):
        return _is_simplified(source_locale) and _is_traditional(target_locale)
