"""`compile_catalogs`: the .mo files Django reads and the module of words the kiosk imports."""

import json
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

import pytest

from core.management.commands.compile_catalogs import catalog_files, kiosk_catalog_source

KIOSK = Path(settings.BASE_DIR) / "site" / "static" / "kiosk"

READ_WORDS = """
import { words } from "./i18n.js";
const out = {};
for (const locale of ["zh-hans", "zh-hant", "en"]) {
  const w = words(locale);
  out[locale] = {
    search: w.search,
    one: w.services_count(1),
    many: w.services_count(5),
    copies: w.copies(2),
    offline: w.offline("10:00"),
    yuan: w.yuan("12.50"),
    separator: w.list_separator,
  };
}
console.log(JSON.stringify(out));
"""


def test_it_writes_a_mo_file_beside_every_catalog(tmp_path, monkeypatch):
    from core.management.commands import compile_catalogs

    monkeypatch.setattr(compile_catalogs, "KIOSK_CATALOG", tmp_path / "catalog.js")

    call_command("compile_catalogs", verbosity=0)

    for path in catalog_files("django") + catalog_files("djangojs"):
        assert path.with_suffix(".mo").stat().st_mtime >= path.stat().st_mtime
    assert (tmp_path / "catalog.js").read_text().startswith("// Written by")


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js, as the browser tests do")
def test_the_kiosk_speaks_each_locale_with_plurals_from_its_catalog(tmp_path):
    (tmp_path / "catalog.js").write_text(kiosk_catalog_source(catalog_files("djangojs")))
    shutil.copy(KIOSK / "i18n.js", tmp_path / "i18n.js")
    (tmp_path / "read.mjs").write_text(READ_WORDS)

    node = shutil.which("node")
    # A fixed script written above, run by the Node.js found on PATH.
    result = subprocess.run(  # noqa: S603
        [node, str(tmp_path / "read.mjs")], capture_output=True, text=True, check=True
    )
    words = json.loads(result.stdout)

    assert words["en"] == {
        "search": "Search",
        "one": "1 service",
        "many": "5 services",
        "copies": "2 copies",
        "offline": "Offline: showing information from 10:00",
        "yuan": "¥12.50",
        "separator": ", ",
    }
    assert words["zh-hant"]["search"] == "搜尋"
    assert words["zh-hant"]["many"] == "5 項服務"
    assert words["zh-hans"]["many"] == "5 项服务"
    assert words["zh-hans"]["copies"] == "复印件 2 份"
