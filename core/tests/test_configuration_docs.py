import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_every_environment_variable_is_documented():
    read = set()
    for path in (ROOT / "config").rglob("*.py"):
        read |= set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', path.read_text()))
    documented = (ROOT / "docs" / "configuration.md").read_text()
    example = (ROOT / ".env.example").read_text()

    assert read, "no environment variables found: has config/env.py moved?"
    assert sorted(name for name in read if f"`{name}`" not in documented) == []
    assert sorted(name for name in read if f"{name}=" not in example) == []
