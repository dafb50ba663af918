"""Simplified ⇄ traditional conversion with OpenCC, for search and for zh-hant readers."""

from __future__ import annotations

from functools import cache

from django.conf import settings

import opencc

# OpenCC configurations by reader: phrasing and characters as used there.
VARIANTS = {
    "tw": "s2twp.json",  # Taiwan characters and phrasing (软件 → 軟體)
    "hk": "s2hk.json",  # Hong Kong characters
    "t": "s2t.json",  # OpenCC's standard traditional characters, no regional phrasing
}


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def default_variant() -> str:
    return getattr(settings, "LINLI_TRADITIONAL_VARIANT", "tw")


def to_traditional(text: str, *, variant: str | None = None) -> str:
    """Simplified Chinese text in traditional script, for the configured (or given) region."""
    variant = variant or default_variant()
    if variant not in VARIANTS:
        raise ValueError(f"unknown traditional variant {variant!r}; use one of {sorted(VARIANTS)}")
    return _converter(VARIANTS[variant]).convert(text) if text else text


def to_simplified(text: str) -> str:
    """Traditional (or mixed) Chinese text in simplified script; other text unchanged."""
    return _converter("t2s.json").convert(text) if text else text
