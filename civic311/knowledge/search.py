"""Knowledge-base search, the same answers on SQLite and PostgreSQL behind one function.

The query is reduced to its words (letters and digits in any script, at most 12, each at most 40
characters), so search syntax, quotes, emoji or a pasted page never reach the database as syntax.
All words must match; the last is a prefix, so results follow the CSR's typing. Stemming is per
language. Keywords carry the synonyms callers use. When nothing matches, misspelt words are
corrected against the knowledge base's own vocabulary and the search runs once more.

SQLite: FTS5 with the porter stemmer, ranked by bm25 with the title weighted over keywords over the
answer. PostgreSQL: a stored weighted tsvector per language (english / spanish), ts_rank, and
ts_headline; pg_trgm finds the closest words for the typo fallback.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F

from civic311.knowledge.models import SEARCH_CONFIGS, Article, ArticleText, Word

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORDS = 12
MAX_WORD = 40
MARK_START, MARK_END = "\x02", "\x03"


@dataclass(frozen=True)
class Hit:
    text: ArticleText
    rank: float
    snippet_html: str  # the answer's best passage, HTML-escaped, matches in <mark>
    corrected: str = ""  # the query as corrected, when the typo fallback was used


def words_of(query: str, limit: int | None = MAX_WORDS) -> list[str]:
    """The query's words, lower-cased, each at most MAX_WORD long (at most ``limit`` of them)."""
    return [w[:MAX_WORD] for w in WORD_RE.findall(query.lower())][:limit]


def search(query: str, language: str = "en", *, include_internal: bool = False, limit: int = 10) -> list[Hit]:
    """Articles answering ``query`` in ``language``, best first; [] when the query has no words."""
    words = words_of(query)
    if not words or language not in SEARCH_CONFIGS:
        return []
    hits = _search(words, language, include_internal, limit)
    if hits:
        return hits
    corrected = _corrected(words, language)
    if corrected and corrected != words:
        return [
            Hit(h.text, h.rank, h.snippet_html, corrected=" ".join(corrected))
            for h in _search(corrected, language, include_internal, limit)
        ]
    return []


def _search(words: list[str], language: str, include_internal: bool, limit: int) -> list[Hit]:
    if connection.vendor == "postgresql":
        return _search_postgres(words, language, include_internal, limit)
    return _search_sqlite(words, language, include_internal, limit)


# Markdown's marks in a passage of an answer: links keep their text, emphasis and headings lose their signs.
MD_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MD_SIGNS_RE = re.compile(r"(\*\*|__|`|^#+\s*|^\s*[-*]\s+|\|)", re.MULTILINE)


def _marked(text: str) -> str:
    """A passage of an answer as safe HTML: Markdown signs dropped, escaped, matches in <mark>."""
    plain = MD_SIGNS_RE.sub("", MD_LINK_RE.sub(r"\1", text))
    return html.escape(" ".join(plain.split())).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _search_sqlite(words: list[str], language: str, include_internal: bool, limit: int) -> list[Hit]:
    match = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
    sql = f"""
        SELECT t.id, bm25(knowledge_articletext_fts, 10.0, 1.0, 4.0) AS rank,
               snippet(knowledge_articletext_fts, 1, '{MARK_START}', '{MARK_END}', '…', 24)
        FROM knowledge_articletext_fts
        JOIN knowledge_articletext t ON t.id = knowledge_articletext_fts.rowid
        JOIN knowledge_article a ON a.id = t.article_id
        WHERE knowledge_articletext_fts MATCH %s AND t.language = %s AND a.is_published
          AND (a.audience = 'public' OR %s)
        ORDER BY rank LIMIT %s
    """  # noqa: S608 (only our own marker constants are formatted in; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, language, include_internal, limit])
        rows = cursor.fetchall()
    texts = ArticleText.objects.select_related("article").in_bulk([r[0] for r in rows])
    return [Hit(texts[pk], -rank, _marked(snippet)) for pk, rank, snippet in rows]


def _search_postgres(words: list[str], language: str, include_internal: bool, limit: int) -> list[Hit]:
    config = SEARCH_CONFIGS[language]
    raw = " & ".join([*words[:-1], f"{words[-1]}:*"])
    query = SearchQuery(raw, search_type="raw", config=config)
    qs = ArticleText.objects.filter(language=language, article__is_published=True, search_vector=query)
    if not include_internal:
        qs = qs.filter(article__audience=Article.Audience.PUBLIC)
    qs = (
        qs.select_related("article")
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            snippet=SearchHeadline(
                "answer", query, config=config, start_sel=MARK_START, stop_sel=MARK_END, max_words=35, min_words=15
            ),
        )
        .order_by("-rank", "id")[:limit]
    )
    return [Hit(t, float(t.rank), _marked(t.snippet)) for t in qs]


def _corrected(words: list[str], language: str) -> list[str]:
    """Each word replaced by the closest word the knowledge base uses, where one is close enough."""
    if connection.vendor == "postgresql":
        return [_closest_postgres(w, language) or w for w in words]
    vocabulary = list(Word.objects.filter(language=language).values_list("word", flat=True).distinct())
    return [(difflib.get_close_matches(w, vocabulary, n=1, cutoff=0.75) or [w])[0] for w in words]


def _closest_postgres(word: str, language: str) -> str | None:
    """The most similar vocabulary word (trigram similarity over 0.35), through the trigram index."""
    sql = """
        SELECT word FROM knowledge_word
        WHERE language = %s AND word %% %s AND similarity(word, %s) > 0.35
        ORDER BY similarity(word, %s) DESC, word LIMIT 1
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [language, word, word, word])
        row = cursor.fetchone()
    return row[0] if row else None
