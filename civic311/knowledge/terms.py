"""The words of a text as search terms: the one normalisation both databases index and search.

A word is lower-cased, loses its accents ("calefacción" and "calefaccion" are one word, as residents
type both), is dropped when it is a stop word of its language ("how", "do", "para", "en"), and is
reduced to its Snowball stem ("licenses" → "licens", "recogen" → "recog"). Python does this for both
databases, so SQLite and PostgreSQL index and look up exactly the same terms: the databases never
stem, and cannot disagree about what a word means.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORD = 40
STEMMERS = {"en": "english", "es": "spanish"}
STOPWORDS_FOLDER = Path(__file__).resolve().parent / "stopwords"
# Markdown links keep their text, not their address: a URL's pieces are not words of the answer.
MD_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plain(word: str) -> str:
    """Lower-case, without accents or other marks (ñ → n, ü → u)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str, limit: int | None = None) -> list[str]:
    """The text's words, lower-cased and without accents, each at most MAX_WORD long."""
    return [w[:MAX_WORD] for w in WORD_RE.findall(plain(text))][:limit]


@cache
def stop_words(language: str) -> frozenset[str]:
    """The language's Snowball stop words, written without accents as residents type them."""
    path = STOPWORDS_FOLDER / f"{STEMMERS[language]}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(plain(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(STEMMERS[language])


@lru_cache(maxsize=100_000)
def term(word: str, language: str) -> str:
    """The search term of one plain word: its stem, or "" for a stop word."""
    if word in stop_words(language):
        return ""
    if word.isdigit():
        return word
    return str(_stemmer(language).stemWord(word))


def terms_of(text: str, language: str) -> list[str]:
    """The search terms of a text, in order, stop words left out."""
    return [t for t in (term(w, language) for w in words_of(MD_LINK_RE.sub(r"\1", text))) if t]


def indexed(text: str, language: str) -> str:
    """The text as the databases index it: its terms separated by spaces."""
    return " ".join(terms_of(text, language))
