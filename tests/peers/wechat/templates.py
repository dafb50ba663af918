"""Service-account template messages: the keyword rules WeChat enforces, and the rendered text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_KEYWORD = re.compile(r"\{\{\s*([A-Za-z_]+[0-9]*)\.DATA\s*\}\}")
_PREFIX = re.compile(r"[A-Za-z_]+?(?=[0-9]*$)")

#: Keyword type (the name without its number) -> (most characters, pattern or None).
#: These are the rules of the current template library; older keywords
#: ("first", "keyword1", "remark") have no per-type rule.
KEYWORD_RULES: dict[str, tuple[int, re.Pattern[str] | None]] = {
    "thing": (20, None),
    "character_string": (32, re.compile(r"[0-9A-Za-z_\-]+")),
    "number": (32, re.compile(r"[0-9]+(\.[0-9]+)?")),
    "letter": (32, re.compile(r"[A-Za-z]+")),
    "symbol": (5, None),
    "amount": (11, re.compile(r"[¥$]?[0-9]+(\.[0-9]{1,2})?元?")),
    "phone_number": (17, re.compile(r"\+?[0-9\-]+")),
    "car_number": (8, None),
    "name": (10, None),
    "phrase": (5, re.compile(r"[\u4e00-\u9fff]+")),
    "time": (24, re.compile(r"[0-9年月日时分秒:：\-/ ~]+")),
    "date": (24, re.compile(r"[0-9年月日:：\-/ ~]+")),
}


@dataclass(frozen=True)
class WeChatTemplate:
    """A template the account picked from the library: its id, title and content."""

    id: str
    title: str
    content: str

    @property
    def keywords(self) -> tuple[str, ...]:
        return tuple(_KEYWORD.findall(self.content))

    def render(self, values: dict[str, str]) -> str:
        """What the resident reads in the template message card."""
        return _KEYWORD.sub(lambda match: values.get(match[1], ""), self.content)


@dataclass(frozen=True)
class TemplateMessage:
    """One template message WeChat accepted."""

    msgid: int
    touser: str
    template_id: str
    url: str
    data: dict[str, str]
    text: str
    miniprogram: dict[str, Any] | None
    sent_at: float


def keyword_values(template: WeChatTemplate, data: Any) -> dict[str, str]:
    """The keyword values in a send request's `data`, or ValueError with WeChat's 47003 text."""
    if not isinstance(data, dict):
        raise ValueError("argument invalid! data is not an object")
    values: dict[str, str] = {}
    for keyword in template.keywords:
        entry = data.get(keyword)
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not value:
            raise ValueError(f"argument invalid! data.{keyword}.value is empty")
        prefix = _PREFIX.match(keyword)
        rule = KEYWORD_RULES.get(prefix[0] if prefix else "")
        if rule is not None:
            most, pattern = rule
            if len(value) > most:
                raise ValueError(f"argument invalid! data.{keyword}.value exceed length limit")
            if pattern is not None and not pattern.fullmatch(value):
                raise ValueError(f"argument invalid! data.{keyword}.value invalid")
        values[keyword] = value
    return values
