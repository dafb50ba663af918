"""Compile the gettext catalogs: .mo files for Django and an ES module of words for the kiosk.

`compilemessages` needs GNU gettext's msgfmt; polib (already a dependency
of wagtail-localize) writes the same .mo files in pure Python, so a fresh
machine needs nothing more. Neither output is committed: `make setup` and
`make test` run this.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import to_language

import polib

KIOSK_CATALOG = Path(settings.BASE_DIR) / "site" / "static" / "kiosk" / "catalog.js"


def catalog_files(domain: str) -> list[Path]:
    """Every `<domain>.po` under the project's locale folders, in a stable order."""
    return sorted(
        path
        for folder in settings.LOCALE_PATHS
        for path in Path(folder).glob(f"*/LC_MESSAGES/{domain}.po")
    )


def po_locale(path: Path) -> str:
    """The language code (`zh-hant`) of a catalog at `<locale>/LC_MESSAGES/<domain>.po`."""
    return to_language(path.parent.parent.name)


def _js_messages(catalog: polib.POFile) -> dict[str, object]:
    messages: dict[str, object] = {}
    for entry in catalog.translated_entries():
        key = f"{entry.msgctxt}\u0004{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            messages[key] = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
        else:
            messages[key] = entry.msgstr
    return messages


def _plural_expression(catalog: polib.POFile) -> str:
    # "nplurals=2; plural=(n != 1);" -> "(n != 1)": C expressions of this kind are valid JavaScript.
    forms = catalog.metadata.get("Plural-Forms", "plural=0;")
    expression = forms.split("plural=", 2)[-1].strip().rstrip(";")
    if not set(expression) <= set("n0123456789 ()!=<>%&|?:"):
        raise ValueError(f"Unexpected Plural-Forms expression: {expression!r}")
    return expression


def kiosk_catalog_source(paths: list[Path]) -> str:
    """The ES module the kiosk imports: each locale's plural rule and translated messages."""
    parts = []
    for path in paths:
        catalog = polib.pofile(str(path))
        messages = json.dumps(_js_messages(catalog), ensure_ascii=False, indent=2, sort_keys=True)
        parts.append(
            f"  {json.dumps(po_locale(path))}: {{\n"
            f"    plural: (n) => Number({_plural_expression(catalog)}),\n"
            f"    messages: {messages.replace(chr(10), chr(10) + '    ')},\n"
            "  },\n"
        )
    return (
        "// Written by `manage.py compile_catalogs` from locale/*/LC_MESSAGES/djangojs.po.\n"
        "export default {\n" + "".join(parts) + "};\n"
    )


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files and the kiosk's catalog.js."

    def handle(self, *args, **options):
        compiled = 0
        for domain in ("django", "djangojs"):
            for path in catalog_files(domain):
                polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))
                compiled += 1
        KIOSK_CATALOG.write_text(kiosk_catalog_source(catalog_files("djangojs")), encoding="utf-8")
        if options["verbosity"] > 0:
            self.stdout.write(f"Compiled {compiled} catalogs and {KIOSK_CATALOG.name}.")
