"""Turning StreamField bodies into sanitised HTML and plain text for clients."""

import re
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

ALLOWED = {
    "p": set(),
    "br": set(),
    "strong": set(),
    "b": set(),
    "em": set(),
    "i": set(),
    "ul": set(),
    "ol": set(),
    "li": set(),
    "h2": set(),
    "h3": set(),
    "a": {"href"},
    "figure": set(),
    "figcaption": set(),
    "img": {"src", "alt", "width", "height"},
    "aside": {"class"},
}
VOID = {"br", "img"}
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template"}
SAFE_URL = re.compile(r"^(https?:|mailto:|tel:|/)", re.IGNORECASE)
BLOCK_END = {"p", "li", "h2", "h3", "figure", "aside", "br"}


class _Sanitiser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.text: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROP_WITH_CONTENT:
            self.dropping += 1
            return
        if self.dropping or tag not in ALLOWED:
            return
        kept = []
        for name, value in attrs:
            if name not in ALLOWED[tag] or value is None:
                continue
            if name in {"href", "src"} and not SAFE_URL.match(value.strip()):
                continue
            kept.append(f' {name}="{escape(value, quote=True)}"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag == "br":
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag in DROP_WITH_CONTENT:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in ALLOWED or tag in VOID:
            return
        self.out.append(f"</{tag}>")
        if tag in BLOCK_END:
            self.text.append("\n\n")

    def handle_data(self, data):
        if self.dropping:
            return
        self.out.append(escape(data, quote=False))
        self.text.append(data)


@lru_cache(maxsize=64)  # a page's body is the same in each locale it is rendered for
def sanitise(html: str) -> tuple[str, str]:
    """(safe HTML, plain text) of `html`: only simple formatting, links and images survive."""
    parser = _Sanitiser()
    parser.feed(html)
    parser.close()
    text = "".join(parser.text)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return "".join(parser.out), text
