"""The documented shape of a content item as kiosks and apps receive it.

The fields every item has are made here; each content type adds its own
(`ContentType.represent`, in the type's app). Built once per publish (see
items.projection), never per request, so it may follow links and render images.
"""

from functools import lru_cache

from django.conf import settings
from django.utils import translation

from wagtail.models import Page

from core.content_types import content_type_of
from core.representation import Localiser, body_repr, iso, links_pages, shared
from home.representation import categories_repr


def item_type(page: Page) -> str | None:
    """The content type code of a page, None for pages that are not content."""
    content_type = content_type_of(page)
    return content_type.code if content_type else None


def represent_page(
    page: Page,
    *,
    locale: str,
    translations: dict[str, int | None],
    localise: Localiser | None = None,
) -> dict:
    """The item for `page` as read in `locale` (the page's own locale, or a fallback to it)."""
    page = page.specific
    content_type = content_type_of(page)
    localise = localise or Localiser(locale)
    with translation.override(locale):
        body = getattr(page, content_type.body_field)
        # A link to another page points at its translation in the reading locale.
        by_locale = shared(page, "links_pages", lambda: links_pages(body))
        body_html, body_text = shared(
            page, ("body", locale if by_locale else None), lambda: body_repr(body)
        )
        community = page.community
        first_published_at, last_published_at = shared(
            page,
            "published",
            lambda: (iso(page.first_published_at), iso(page.last_published_at)),
        )
        item = {
            "id": page.pk,
            "type": content_type.code,
            "locale": locale,
            "content_locale": page.locale.language_code,
            "fallback": page.locale.language_code != locale,
            "translations": translations,
            "slug": page.slug,
            "title": page.title,
            "summary": page.summary,
            "community": community.code if community else None,
            "audience": categories_repr(
                shared(page, "audience", lambda: content_type.audience(page)), localise
            ),
            "first_published_at": first_published_at,
            "last_published_at": last_published_at,
            # The same in every locale: reading locales are the content languages themselves.
            "web_url": shared(page, "web_url", page.get_url),
            "body_html": body_html,
            "body_text": body_text,
            "machine_converted": False,
            **content_type.represent(page, localise),
        }
    if item["fallback"] and locale == "zh-hant":
        # Traditional-script readers get the simplified text converted, not as is.
        item = _converted(item)
        item["machine_converted"] = True
    return item


# Identifiers and addresses of resources stay exactly as they are.
UNCONVERTED = {"slug", "web_url", "url", "code", "parent", "apply_url", "locale", "content_locale"}


@lru_cache(maxsize=4096)
def _traditional(text: str, variant: str) -> str:
    # Names, labels and addresses repeat across thousands of items.
    from search.chinese import to_traditional

    return to_traditional(text, variant=variant)


def _converted(value, key: str | None = None, variant: str | None = None):
    if variant is None:
        from search.chinese import default_variant

        variant = default_variant()
    if isinstance(value, str):
        return value if key in UNCONVERTED else _traditional(value, variant)
    if isinstance(value, list):
        return [_converted(entry, key, variant) for entry in value]
    if isinstance(value, dict):
        # Numbers, flags and nulls (half of an item's values) are returned without a call.
        return {
            name: _converted(entry, name, variant) if isinstance(entry, CONVERTIBLE) else entry
            for name, entry in value.items()
        }
    return value


CONVERTIBLE = (str, list, dict)


def reading_locales() -> list[str]:
    """Every locale clients may ask for, default first."""
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
