"""Where a resident is: the reading locale and the paths of pages under each locale's prefix."""

from django.conf import settings
from django.utils import translation

LOCALES = [code for code, _name in settings.LANGUAGES]
DEFAULT_LOCALE = settings.LANGUAGE_CODE
LANGUAGE_SWITCH = [
    ("zh-hans", "简", "简体中文"),
    ("zh-hant", "繁", "繁體中文"),
    ("en", "EN", "English"),
]


def reading_locale() -> str:
    """The active language as one of the API's reading locales."""
    language = (translation.get_language() or DEFAULT_LOCALE).lower()
    return language if language in LOCALES else DEFAULT_LOCALE


def bare_path(path: str) -> str:
    """`path` without its language prefix."""
    for code in LOCALES:
        if path.startswith(f"/{code}/"):
            return path[len(code) + 1 :]
    return path


def path_in(locale: str, path: str) -> str:
    """`path` (an item's web_url or any site path) under `locale`'s URL prefix."""
    bare = bare_path(path)
    return bare if locale == DEFAULT_LOCALE else f"/{locale}{bare}"


def language_links(path: str, query: str, locale: str) -> list[dict]:
    suffix = f"?{query}" if query else ""
    return [
        {
            "code": code,
            "short": short,
            "name": name,
            "href": path_in(code, path) + suffix,
            "current": code == locale,
        }
        for code, short, name in LANGUAGE_SWITCH
    ]
