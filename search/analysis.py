"""The one analyzer every search path shares: normalise, segment, and derive pinyin streams.

Documents become a bag of weighted terms; queries become units (one per word the
resident typed), each with alternative terms at a tier (exact, synonym, pinyin,
homophone, fuzzy, bigram). Terms carry a prefix naming their stream, so one
column holds them all:

- no prefix: a word (jieba search mode for documents) or a stemmed English word;
- ``p:``: two adjacent syllables of a title or keyword (``p:yanglao``), every reading;
- ``q:``: one syllable, for one-syllable pinyin queries;
- ``i:``: pinyin initials starting at a word boundary (``i:ylfw``, ``i:czft``, ``i:zzft``);
- ``f:``: the full pinyin of a title word, and its one-letter deletions (typos);
- ``b:``: two adjacent characters of a title or keyword (a segmentation safety net).
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import unicodedata
from collections import Counter
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import snowballstemmer

from search.chinese import to_simplified

if TYPE_CHECKING:
    from types import ModuleType

    import jieba

DICTIONARY_DIR = Path(__file__).resolve().parent / "dictionaries"
DICTIONARY_FILES = ("domain.txt", "stopwords.txt", "pinyin.txt")

# How much a match of each kind is worth; exact matches also sort first on their own.
TIER_EXACT = 1.0
TIER_PARTIAL = 0.8
TIER_SYNONYM = 0.7
TIER_PINYIN = 0.6
TIER_INITIALS = 0.5
TIER_HOMOPHONE = 0.5
TIER_FUZZY = 0.35
TIER_BIGRAM = 0.3

FIELD_TITLE = 3.0
FIELD_KEYWORDS = 3.0
FIELD_BODY = 1.0

MAX_QUERY_CHARS = 64
MAX_QUERY_UNITS = 12
MAX_TERM_LENGTH = 100
MAX_INITIALS = 6
MAX_READINGS = 2

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD_RUN = re.compile(rf"[{_HAN}]+|[a-z0-9]+")
HAN_RUN = re.compile(rf"[{_HAN}]+")
_NOT_WORD = re.compile(rf"[^{_HAN}a-z0-9]+")

_lock = threading.Lock()
_loaded = False
_tokenizer: jieba.Tokenizer | None = None
_pypinyin: ModuleType | None = None
_stopwords: frozenset[str] = frozenset()
_syllables: frozenset[str] = frozenset()
_stemmer = snowballstemmer.stemmer("english")


def dictionary_hash() -> str:
    """A fingerprint of the dictionaries: when it changes, the index is rebuilt."""
    digest = hashlib.sha256()
    for name in DICTIONARY_FILES:
        digest.update(name.encode())
        digest.update((DICTIONARY_DIR / name).read_bytes())
    return digest.hexdigest()


def _lines(name: str) -> list[str]:
    text = (DICTIONARY_DIR / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def load() -> None:
    """Load jieba, the domain dictionary, pinyin phrases and stopwords once per process.

    About 120 MB, so only processes that analyse text load them: on first use,
    or at start in the web server (`config/wsgi.py`, before gunicorn forks).
    Even importing jieba and pypinyin reads tables, so they are imported here
    and nowhere else; a push worker never does.
    """
    global _loaded, _tokenizer, _pypinyin, _stopwords, _syllables
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        import jieba
        import pypinyin
        from pypinyin.contrib.tone_convert import to_normal

        jieba.setLogLevel(60)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for line in _lines("domain.txt"):
            word, _, freq = line.partition(" ")
            tokenizer.add_word(word, int(freq or 20000))
        phrases = {}
        for line in _lines("pinyin.txt"):
            phrase, _, reading = line.partition(":")
            syllables = reading.split()
            if len(syllables) == len(phrase.strip()):
                phrases[phrase.strip()] = [[syllable] for syllable in syllables]
        pypinyin.load_phrases_dict(phrases, style="normal")
        _stopwords = frozenset(_lines("stopwords.txt"))
        _syllables = frozenset(
            syllable
            for readings in pypinyin.pinyin_dict.pinyin_dict.values()
            for syllable in (to_normal(reading) for reading in readings.split(","))
            if re.search("[aeiouv]", syllable)
        )
        _tokenizer = tokenizer
        _pypinyin = pypinyin
        _loaded = True


def normalize(text: str) -> str:
    """NFKC, traditional to simplified, lower case, punctuation to spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    text = to_simplified(text).lower()
    return _NOT_WORD.sub(" ", text).strip()


def stem(word: str) -> str:
    return _stemmer.stemWord(word) if word.isalpha() else word


@lru_cache(maxsize=20000)
def _char_readings(char: str) -> tuple[str, ...]:
    load()
    readings = _pypinyin.pinyin(char, style=_pypinyin.Style.NORMAL, heteronym=True)[0]
    return tuple(dict.fromkeys(reading for reading in readings if reading.isalpha()))


def readings(run: str) -> list[tuple[str, ...]]:
    """For each character of a Han run: its reading in context first, then other readings."""
    load()
    primary = _pypinyin.lazy_pinyin(run, style=_pypinyin.Style.NORMAL)
    if len(primary) != len(run):  # pypinyin kept something unconverted; fall back per character
        primary = [(_char_readings(char) or (char,))[0] for char in run]
    return [
        tuple(dict.fromkeys((first, *_char_readings(char))))[:MAX_READINGS]
        for first, char in zip(primary, run, strict=True)
    ]


def spellings(choices: list[tuple[str, ...]], cap: int) -> list[str]:
    """The first choice everywhere, then one other choice at a time (长者: zhangzhe, changzhe)."""
    primary = [options[0] for options in choices]
    combos = ["".join(primary)]
    for position, options in enumerate(choices):
        for option in options[1:]:
            if len(combos) >= cap:
                return combos
            combos.append("".join([*primary[:position], option, *primary[position + 1 :]]))
    return combos


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def split_syllables(word: str) -> list[str] | None:
    """Split a Latin word into pinyin syllables (fewest syllables), or None if it is not pinyin."""
    load()
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(max(0, end - 6), end):
            if best[start] is not None and word[start:end] in _syllables:
                candidate = [*best[start], word[start:end]]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best[n]


# Documents -----------------------------------------------------------------


@lru_cache(maxsize=65536)
def segment_for_index(run: str) -> tuple[tuple[str, int], ...]:
    """Search-mode words of a Han run with their start offsets.

    Cached: services repeat the same phrases (opening hours, addresses, fees),
    and a rebuild segments every one of them.
    """
    load()
    return tuple((word, start) for word, start, _end in _tokenizer.tokenize(run, mode="search"))


def _title_terms(run: str) -> set[str]:
    """The extra streams of a title or keyword run: pinyin, initials, fuzzy pinyin, bigrams."""
    terms: set[str] = set()
    run_readings = readings(run)
    words = segment_for_index(run)
    for left, right in pairwise(run_readings):
        terms.update(f"p:{a}{b}" for a in left for b in right)
    if len(run) == 1:
        terms.update(f"q:{reading}" for reading in run_readings[0])
    terms.update(f"q:{reading[0]}" for reading in run_readings)
    terms.update(f"b:{a}{b}" for a, b in pairwise(run))
    starts = sorted({start for _, start in words} | {0})
    initials = [tuple(dict.fromkeys(reading[0] for reading in options)) for options in run_readings]
    for start in starts:
        combos = [""]
        for position in range(start, min(len(run), start + MAX_INITIALS)):
            combos = [c + i for c in combos for i in initials[position]][:3]
            if position > start:
                terms.update(f"i:{combo}" for combo in combos)
    for word, start in words:
        if len(word) < 2:
            continue
        spelled = spellings(run_readings[start : start + len(word)], MAX_READINGS)
        terms.update(f"f:{spelling}" for spelling in spelled)
        # Typos are caught on the usual reading only: deletions multiply postings.
        if len(spelled[0]) >= 4:
            terms.update(f"f:{variant}" for variant in deletions(spelled[0]))
    return terms


def document_terms(*, title: str, keywords: str, body: str) -> dict[str, float]:
    """Every term of one document with its weight (the best field it occurs in, plus frequency)."""
    load()
    weights: dict[str, float] = {}
    counts: Counter[str] = Counter()

    def add(term: str, weight: float) -> None:
        term = term[:MAX_TERM_LENGTH]
        counts[term] += 1
        if weight > weights.get(term, 0.0):
            weights[term] = weight

    for text, weight in ((title, FIELD_TITLE), (keywords, FIELD_KEYWORDS), (body, FIELD_BODY)):
        normalized = normalize(text)
        for match in WORD_RUN.finditer(normalized):
            run = match.group()
            if HAN_RUN.fullmatch(run):
                for word, _ in segment_for_index(run):
                    add(word, weight)
            else:
                add(stem(run), weight)
                if weight > FIELD_BODY and run.isalpha():
                    add(f"f:{run}", weight)
        if weight > FIELD_BODY:
            # Pinyin and initials run across punctuation: 最低生活保障（低保）申请 gives dbsq.
            han = "".join(HAN_RUN.findall(normalized))
            if han:
                for term in _title_terms(han):
                    add(term, weight)
    return {term: weight + 0.1 * min(counts[term] - 1, 5) for term, weight in weights.items()}


def searchable_words(text: str) -> set[str]:
    """Words (search mode) of a text, for highlighting."""
    load()
    return {
        word
        for run in HAN_RUN.findall(normalize(text))
        for word, _ in segment_for_index(run)
        if len(word) > 1
    }


def idf(document_count: int, total: int) -> float:
    return 1.0 + math.log((total + 1) / (document_count + 0.5))
