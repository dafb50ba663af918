"""What a resident typed, as units the ranking matches: each word with every way it can match
(exact, synonym, pinyin, initials, homophone, fuzzy), at its tier."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from search import analysis
from search.analysis import (
    HAN_RUN,
    MAX_INITIALS,
    MAX_QUERY_CHARS,
    MAX_QUERY_UNITS,
    MAX_TERM_LENGTH,
    TIER_BIGRAM,
    TIER_EXACT,
    TIER_FUZZY,
    TIER_HOMOPHONE,
    TIER_INITIALS,
    TIER_PARTIAL,
    TIER_PINYIN,
    TIER_SYNONYM,
    WORD_RUN,
    deletions,
    load,
    normalize,
    readings,
    segment_for_index,
    split_syllables,
    stem,
)


@dataclass
class Alternative:
    """A way a unit can match: terms (each with a share of the unit) at one tier."""

    tier: float
    terms: dict[str, float]
    exact: bool = False


@dataclass
class Unit:
    """One word of the query with every way it can match."""

    text: str
    alternatives: list[Alternative] = field(default_factory=list)

    def add(self, tier: float, terms, *, exact: bool = False) -> None:
        terms = [term[:MAX_TERM_LENGTH] for term in terms]
        if terms:
            share = 1.0 / len(terms)
            self.alternatives.append(Alternative(tier, dict.fromkeys(terms, share), exact))


@dataclass
class QueryPlan:
    """The analysed query: units, and the exact words to highlight."""

    units: list[Unit]
    highlight: set[str]

    def terms(self) -> set[str]:
        return {term for unit in self.units for alt in unit.alternatives for term in alt.terms}


def _precise_units(run: str) -> list[str]:
    """Precise-mode words, with runs of unknown single characters joined back (低宝 stays one unit)."""
    load()
    units: list[str] = []
    pending = ""
    for word in analysis._tokenizer.cut(run, HMM=False):
        if len(word) == 1 and word not in analysis._stopwords:
            pending += word
            continue
        if pending:
            units.append(pending)
            pending = ""
        units.append(word)
    if pending:
        units.append(pending)
    return units


def _join_synonym_phrases(words: list[str], synonyms: dict[str, set[str]]) -> list[str]:
    """Join neighbouring words that together are a synonym-group entry (老年/大学 → 老年大学)."""
    joined, position = [], 0
    while position < len(words):
        for span in (3, 2):
            phrase = "".join(words[position : position + span])
            if position + span <= len(words) and phrase in synonyms:
                joined.append(phrase)
                position += span
                break
        else:
            joined.append(words[position])
            position += 1
    return joined


def _han_unit(word: str, synonyms: dict[str, set[str]]) -> Unit:
    unit = Unit(word)
    unit.add(TIER_EXACT, [word], exact=True)
    parts = [part for part, _ in segment_for_index(word) if part != word and len(part) > 1]
    if parts:
        unit.add(TIER_PARTIAL, parts)
    for synonym in sorted(synonyms.get(word, ())):
        # A synonym of several words (银发课堂) matches where all its words occur.
        unit.add(TIER_SYNONYM, _precise_units(synonym) if HAN_RUN.fullmatch(synonym) else [synonym])
    word_readings = readings(word)
    if len(word) > 1:
        unit.add(TIER_HOMOPHONE, [f"p:{a[0]}{b[0]}" for a, b in pairwise(word_readings)])
        unit.add(TIER_BIGRAM, [f"b:{a}{b}" for a, b in pairwise(word)])
    return unit


def _latin_unit(word: str) -> Unit:
    unit = Unit(word)
    unit.add(TIER_EXACT, [stem(word)], exact=True)
    if not word.isalpha():
        return unit
    syllables = split_syllables(word)
    if syllables and len(syllables) > 1:
        unit.add(TIER_PINYIN, [f"p:{a}{b}" for a, b in pairwise(syllables)])
    elif syllables:
        unit.add(TIER_PINYIN, [f"q:{syllables[0]}"])
    if len(word) >= 2:
        unit.add(TIER_PINYIN, [f"f:{word}"])
    if 2 <= len(word) <= MAX_INITIALS and not syllables:
        unit.add(TIER_INITIALS, [f"i:{word}"])
    if len(word) >= 5:
        for variant in sorted(deletions(word)):
            unit.add(TIER_FUZZY, [f"f:{variant}"])
    return unit


def analyze_query(text: str, synonyms: dict[str, set[str]] | None = None) -> QueryPlan:
    """Turn what a resident typed into units; never fails, whatever the input."""
    load()
    synonyms = synonyms or {}
    normalized = normalize(text[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS]
    units: list[Unit] = []
    dropped: list[str] = []
    for match in WORD_RUN.finditer(normalized):
        run = match.group()
        if HAN_RUN.fullmatch(run):
            for word in _join_synonym_phrases(_precise_units(run), synonyms):
                if word in analysis._stopwords:
                    dropped.append(word)
                else:
                    units.append(_han_unit(word, synonyms))
        elif run in analysis._stopwords:
            dropped.append(run)
        else:
            units.append(_latin_unit(run))
    if not units and dropped:
        units = [
            _han_unit(w, synonyms) if HAN_RUN.fullmatch(w) else _latin_unit(w) for w in dropped
        ]
    units = list({unit.text: unit for unit in units}.values())[:MAX_QUERY_UNITS]
    highlight = {
        term
        for unit in units
        for alt in unit.alternatives
        if alt.tier >= TIER_SYNONYM
        for term in alt.terms
        if ":" not in term and len(term) > 1
    }
    return QueryPlan(units=units, highlight=highlight)
