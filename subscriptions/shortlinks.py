"""Short links (`/s/<code>`) to the hub's pages, so a notification fits one text message."""

import secrets

from django.db import IntegrityError, transaction

from subscriptions.models import ShortLink

# No 0/O, 1/l/I: a code read aloud or typed from a feature phone's screen survives.
ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
# 56**7 ≈ 1.7 × 10^12 codes: a stranger guessing at the API's rate finds none in a lifetime.
CODE_LENGTH = 7


def short_link_code(url: str) -> str:
    """The code of the short link to `url`, made on first use; the same url keeps its code."""
    existing = ShortLink.objects.filter(url=url).values_list("code", flat=True).first()
    if existing:
        return existing
    for _attempt in range(5):
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                return ShortLink.objects.create(code=code, url=url).code
        except IntegrityError:
            # Another worker made the link for this url meanwhile, or the code was taken.
            existing = ShortLink.objects.filter(url=url).values_list("code", flat=True).first()
            if existing:
                return existing
    raise RuntimeError("no free short link code after five tries")


def short_link_target(code: str) -> str | None:
    """Where the short link with this code leads, or None."""
    return ShortLink.objects.filter(code=code).values_list("url", flat=True).first()
