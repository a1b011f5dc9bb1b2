"""Knowledge-base search: the same answers on SQLite and PostgreSQL, behind one function.

``search(phrase, language)`` is all a caller needs (the portal, the console, the JSON API, a phone
line); ``results()`` says more (the correction, how many of the words this language knows).

How a phrase becomes answers:

1. Its words (letters and digits in any script, at most 12) become search terms as ``terms.py``
   says: accents and stop words dropped, Snowball stems. Search syntax, quotes, emoji or a pasted
   page never reach a database as syntax. While a CSR types, the last word is also a prefix.
2. A word no text uses ("birht", "certficate") is corrected to the closest word of the knowledge
   base's titles, keywords and synonyms (same first letter, difflib's ratio ≥ 0.75), word by word.
3. The city's synonyms add what a phrase means ("pot hole" → pothole, "trash" → garbage, rubbish).
4. Any term may match: the database's full-text index finds the texts holding any of them and its
   own ranking orders them (SQLite: FTS5 ``bm25``; PostgreSQL: a GIN-indexed weighted tsvector and
   ``ts_rank_cd``), title over keywords over answer. Both index the same terms, so both find the
   same texts.
5. The first ``CANDIDATES`` of them are scored once more in Python with BM25F (title, keywords and
   answer weighted; each term weighted by how rare it is in the language; a synonym counts as the
   word it stands for, not as a second word), and that score, then the slug, gives the final order.
   The databases' rankings differ in detail (ts_rank_cd knows nothing of rare words); this last step
   is why the same question gets the same answers, in the same order, on either database.
"""

from __future__ import annotations

import difflib
import html
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection

from civic311.knowledge.models import SEARCH_CONFIGS, ArticleText, Synonym
from civic311.knowledge.terms import MAX_WORD, WORD_RE, plain, term, terms_of
from civic311.knowledge.terms import words_of as _plain_words

MAX_WORDS = 12
CANDIDATES = 50  # texts the database's own ranking hands to the final scoring
MIN_PREFIX = 3  # a last word typed so far is a prefix from this many letters on
MIN_CORRECTED = 4  # shorter unknown words are left as they are: too many words are one letter away
CUTOFF = 0.75  # difflib's similarity ratio a correction needs
# BM25F: the weight of a term in each field, and each field's typical length in terms (rather than
# the corpus average, so a text's score depends on other texts only through how rare its terms are).
FIELDS = ("title", "keywords", "answer")
WEIGHTS = {"title": 3.0, "keywords": 2.0, "answer": 1.0}
TYPICAL_LENGTH = {"title": 5.0, "keywords": 6.0, "answer": 60.0}
K1, B = 1.2, 0.75
PREFIX_WEIGHT = 0.9  # a word still being typed counts a little less than a whole word


@dataclass(frozen=True)
class Hit:
    text: ArticleText
    rank: float
    snippet_html: str  # the answer's best passage, HTML-escaped, matches in <mark>
    corrected: str = ""  # the query as corrected, when a word of it was


@dataclass
class Results:
    hits: list[Hit]
    corrected: str = ""  # the phrase as corrected ("" when no word was)
    words: int = 0  # words of the phrase that are not stop words
    known: int = 0  # of those, words this language's articles or synonyms use as typed


@dataclass(frozen=True)
class Alternative:
    """One way of saying a concept: its terms (all must be scored), a prefix or whole words."""

    terms: tuple[str, ...]
    prefix: bool = False
    weight: float = 1.0


@dataclass
class Concept:
    """One idea of the question (a word, or a synonym's phrase) and the ways of saying it."""

    alternatives: list[Alternative] = field(default_factory=list)


def words_of(query: str, limit: int | None = MAX_WORDS) -> list[str]:
    """The query's words, lower-cased, each at most MAX_WORD long (at most ``limit`` of them)."""
    return [w[:MAX_WORD] for w in WORD_RE.findall(query.lower())][:limit]


def search(query: str, language: str = "en", *, include_internal: bool = False, limit: int = 10) -> list[Hit]:
    """Articles answering ``query`` in ``language``, best first; [] when nothing matches."""
    return results(query, language, include_internal=include_internal, limit=limit).hits


def results(query: str, language: str = "en", *, include_internal: bool = False, limit: int = 10) -> Results:
    """The answers to ``query`` in ``language`` and what was made of the phrase."""
    words = _plain_words(query, MAX_WORDS)
    if not words or language not in SEARCH_CONFIGS:
        return Results([])
    typing = query[-1:].isalnum() and len(words[-1]) >= MIN_PREFIX  # the last word may be unfinished
    synonyms = _synonyms(language)
    pairs = [(w, t) for w in words if (t := term(w, language))]
    if not pairs:
        return Results([])
    concepts = _concepts([t for _, t in pairs], synonyms)
    counts, texts = _frequencies(language, _terms(concepts))
    last = pairs[-1][1]
    # A last word no text uses as it stands is read as unfinished ("parking tick"), if any term starts so.
    prefix = typing and not counts.get(last) and _prefix_frequency(language, last, counts)
    synonym_terms = {t for key in synonyms for t in key}
    known = [t in counts or t in synonym_terms for _, t in pairs]
    known[-1] = known[-1] or bool(prefix)
    corrected_any = False
    for i, (word, _) in enumerate(pairs):
        if known[i] or len(word) < MIN_CORRECTED or word.isdigit():
            continue
        better = _closest(word, language, synonyms)
        if better and (better_term := term(better, language)):
            pairs[i] = (better, better_term)
            corrected_any = True
    if corrected_any:
        concepts = _concepts([t for _, t in pairs], synonyms)
        more, _ = _frequencies(language, _terms(concepts) - set(counts))
        counts.update(more)
    if prefix and len(concepts[-1].alternatives[0].terms) == 1:
        concepts[-1].alternatives.append(Alternative((last,), prefix=True, weight=PREFIX_WEIGHT))
    hits = _ranked(concepts, counts, texts, language, include_internal, limit)
    corrected = " ".join(w for w, _ in pairs) if corrected_any else ""
    if corrected:
        hits = [Hit(h.text, h.rank, h.snippet_html, corrected=corrected) for h in hits]
    return Results(hits, corrected, words=len(pairs), known=sum(known))


# --- the vocabulary -------------------------------------------------------------------------------


def _prefix_key(stem: str) -> str:
    return f"{stem}*"


def _terms(concepts: list[Concept]) -> set[str]:
    return {t for c in concepts for a in c.alternatives for t in a.terms}


def _frequencies(language: str, terms: set[str]) -> tuple[dict[str, int], int]:
    """How many texts of the language use each term (terms no text uses are left out), and how many
    texts the language has: one query."""
    marks = ", ".join(["%s"] * len(terms)) or "NULL"
    sql = f"""SELECT term, COUNT(*) FROM knowledge_term WHERE language = %s AND term IN ({marks}) GROUP BY term
              UNION ALL SELECT NULL, COUNT(*) FROM knowledge_articletext WHERE language = %s"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [language, *sorted(terms), language])
        rows = cursor.fetchall()
    return {t: n for t, n in rows if t is not None}, next(n for t, n in rows if t is None)


def _prefix_frequency(language: str, prefix: str, counts: dict[str, int]) -> int:
    """How many texts use a term starting with ``prefix``, also kept in ``counts`` under ``prefix*``."""
    where, params = _starts_with("term", prefix)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(DISTINCT text_id) FROM knowledge_term WHERE language = %s AND {where}",  # noqa: S608
            [language, *params],
        )
        n = int(cursor.fetchone()[0])
    if n:
        counts[_prefix_key(prefix)] = n
    return n


def _starts_with(column: str, prefix: str) -> tuple[str, list[str]]:
    """A condition that ``column`` starts with ``prefix``, served by an index on either database:
    a range in SQLite's binary order, LIKE through PostgreSQL's pattern-ops index."""
    if connection.vendor == "postgresql":
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"{column} LIKE %s", [f"{escaped}%"]
    return f"{column} >= %s AND {column} < %s", [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)]


def _synonyms(language: str) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """The language's synonyms: each phrase's terms, and the terms of each thing it means."""
    found: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for phrase_terms, means in Synonym.objects.filter(language=language).values_list("phrase_terms", "means"):
        key = tuple(phrase_terms.split())
        for meaning in means.split(","):
            meant = tuple(terms_of(meaning, language))
            if key and meant and meant != key and meant not in found.setdefault(key, []):
                found[key].append(meant)
    return found


def _closest(word: str, language: str, synonyms: dict[tuple[str, ...], list[tuple[str, ...]]]) -> str | None:
    """The vocabulary word closest to a word no text uses: a word of an article's title or
    keywords, or of a synonym, with the same first letter and a similar length."""
    where, params = _starts_with("word", word[0])
    sql = f"""SELECT DISTINCT word FROM knowledge_word WHERE language = %s AND {where}
              AND LENGTH(word) BETWEEN %s AND %s"""  # noqa: S608 (placeholders only)
    with connection.cursor() as cursor:
        cursor.execute(sql, [language, *params, len(word) - 2, len(word) + 2])
        vocabulary = {row[0] for row in cursor.fetchall()}
    for key in synonyms:
        vocabulary.update(w for w in key if w[:1] == word[:1])
    vocabulary.discard(word)
    matches = difflib.get_close_matches(word, sorted(vocabulary), n=1, cutoff=CUTOFF)
    return matches[0] if matches else None


def _concepts(terms: list[str], synonyms: dict[tuple[str, ...], list[tuple[str, ...]]]) -> list[Concept]:
    """The question's ideas: each term alone, or a synonym's phrase (longest first) with its meanings."""
    concepts: list[Concept] = []
    longest = max((len(k) for k in synonyms), default=0)
    i = 0
    while i < len(terms):
        for size in range(min(longest, len(terms) - i), 0, -1):
            key = tuple(terms[i : i + size])
            if key in synonyms:
                concept = Concept([Alternative(key)] + [Alternative(m) for m in synonyms[key]])
                break
        else:
            size, concept = 1, Concept([Alternative((terms[i],))])
        concepts.append(concept)
        i += size
    return concepts


# --- finding and ranking --------------------------------------------------------------------------


@dataclass
class _Candidate:
    id: int
    slug: str
    fields: dict[str, Counter[str]]  # each field's terms, counted
    lengths: dict[str, int]

    def tf(self, name: str, alternative_term: str, prefix: bool) -> int:
        counted = self.fields[name]
        if prefix:
            return sum(n for t, n in counted.items() if t.startswith(alternative_term))
        return counted[alternative_term]


def _ranked(
    concepts: list[Concept], counts: dict[str, int], texts: int, language: str, include_internal: bool, limit: int
) -> list[Hit]:
    matchable = [
        (t, a.prefix)
        for c in concepts
        for a in c.alternatives
        for t in a.terms
        if counts.get(_prefix_key(t) if a.prefix else t)
    ]
    if not matchable or texts == 0:
        return []
    candidates = _candidates(sorted(set(matchable)), language, include_internal)
    scored = []
    for candidate in candidates:
        score = sum(_concept_score(c, candidate, counts, texts) for c in concepts)
        if score > 0:
            scored.append((round(score, 6), candidate.slug, candidate.id))
    order = sorted(scored, key=lambda row: (-row[0], row[1]))[:limit]
    found = (
        ArticleText.objects.select_related("article")
        .defer("search_title", "search_keywords", "search_answer", "search_vector")
        .in_bulk([pk for _, _, pk in order])
    )
    matched = {(t, a.prefix) for c in concepts for a in c.alternatives for t in a.terms}
    return [Hit(found[pk], score, _snippet(found[pk].answer, matched, language)) for score, _, pk in order]


def _concept_score(concept: Concept, candidate: _Candidate, counts: dict[str, int], texts: int) -> float:
    """The best way the text says the concept: a synonym is the same idea, never a second one."""
    best = 0.0
    for alternative in concept.alternatives:
        score = 0.0
        for t in alternative.terms:
            df = counts.get(_prefix_key(t) if alternative.prefix else t, 0)
            if not df:
                continue
            idf = math.log(1 + (texts - df + 0.5) / (df + 0.5))
            weighted = 0.0
            for name in FIELDS:
                tf = candidate.tf(name, t, alternative.prefix)
                if tf:
                    norm = 1 - B + B * candidate.lengths[name] / TYPICAL_LENGTH[name]
                    weighted += WEIGHTS[name] * tf * (K1 + 1) / (tf + K1 * norm)
            score += idf * weighted
        best = max(best, alternative.weight * score)
    return best


def _candidates(matchable: list[tuple[str, bool]], language: str, include_internal: bool) -> list[_Candidate]:
    """The texts holding any of the terms, as many as CANDIDATES, by the database's own ranking."""
    if connection.vendor == "postgresql":
        query = " | ".join(f"'{t}':*" if prefix else f"'{t}'" for t, prefix in matchable)
        sql = """
            SELECT t.id, a.slug, t.search_title, t.search_keywords, t.search_answer
            FROM knowledge_articletext t JOIN knowledge_article a ON a.id = t.article_id
            WHERE t.language = %s AND a.is_published AND (a.audience = 'public' OR %s)
              AND t.search_vector @@ to_tsquery('simple', %s)
            ORDER BY ts_rank_cd('{0.1, 0.25, 0.5, 1.0}', t.search_vector, to_tsquery('simple', %s)) DESC, t.id
            LIMIT %s
        """
        params: list[str | bool | int] = [language, include_internal, query, query, CANDIDATES]
    else:
        query = " OR ".join(f'"{t}"*' if prefix else f'"{t}"' for t, prefix in matchable)
        sql = """
            SELECT t.id, a.slug, t.search_title, t.search_keywords, t.search_answer
            FROM knowledge_articletext_fts
            JOIN knowledge_articletext t ON t.id = knowledge_articletext_fts.rowid
            JOIN knowledge_article a ON a.id = t.article_id
            WHERE knowledge_articletext_fts MATCH %s AND t.language = %s AND a.is_published
              AND (a.audience = 'public' OR %s)
            ORDER BY bm25(knowledge_articletext_fts, 4.0, 2.0, 1.0), t.id
            LIMIT %s
        """
        params = [query, language, include_internal, CANDIDATES]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    for pk, slug, *values in rows:
        fields = dict(zip(FIELDS, (value.split() for value in values), strict=True))
        found.append(
            _Candidate(pk, slug, {k: Counter(v) for k, v in fields.items()}, {k: len(v) for k, v in fields.items()})
        )
    return found


# --- the passage shown under a result -------------------------------------------------------------

# Markdown's marks in a passage of an answer: links keep their text, emphasis and headings lose their signs.
MD_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MD_SIGNS_RE = re.compile(r"(\*\*|__|`|^#+\s*|^\s*[-*]\s+|\|)", re.MULTILINE)
SNIPPET_WORDS = 30


@lru_cache(maxsize=100_000)
def _token_term(word: str, language: str) -> str:
    return term(plain(word)[:MAX_WORD], language)


def _snippet(answer: str, matched: set[tuple[str, bool]], language: str) -> str:
    """The answer's passage of SNIPPET_WORDS words with the most matches, as safe HTML with the
    matched words in <mark> (the same on both databases: computed here, from the same terms)."""
    text = " ".join(MD_SIGNS_RE.sub("", MD_LINK_RE.sub(r"\1", answer)).split())
    words = list(WORD_RE.finditer(text))
    if not words:
        return html.escape(text)
    exact = {t for t, prefix in matched if not prefix}
    prefixes = tuple(t for t, prefix in matched if prefix)
    seen: dict[str, bool] = {}

    def is_match(word: str) -> bool:
        if word not in seen:
            t = _token_term(word, language)
            seen[word] = bool(t) and (t in exact or (bool(prefixes) and t.startswith(prefixes)))
        return seen[word]

    marks = [is_match(m.group()) for m in words]
    best, start = -1, 0
    window = sum(marks[:SNIPPET_WORDS])
    for i in range(max(1, len(words) - SNIPPET_WORDS + 1)):
        if i:  # slide by one word
            window += marks[i + SNIPPET_WORDS - 1] - marks[i - 1]
        if window > best:
            best, start = window, i
    end = min(len(words), start + SNIPPET_WORDS)
    end_at = words[end - 1].end() if end < len(words) else len(text)
    pieces, at = [], words[start].start()
    for i in range(start, end):
        if marks[i]:
            m = words[i]
            pieces.append(html.escape(text[at : m.start()]))
            pieces.append(f"<mark>{html.escape(m.group())}</mark>")
            at = m.end()
    pieces.append(html.escape(text[at:end_at]))
    return ("…" if start else "") + "".join(pieces) + ("…" if end < len(words) else "")
