"""A reader's question answered: the articles, and never a dead end.

``answer(phrase, language, channel=…)`` is what the portal's FAQ, the CSR console, the JSON API and a
phone line call. Beside the articles found it gives the services a resident can request for them;
when nothing is found, the most read articles and the services whose names share a word with the
question; and the matches in the other language when the phrase reads as that language or its own
finds little ("certificado de nacimiento" asked on the English side finds the Spanish article).

Logging is the caller's choice (``log=``), because what counts as "asked" differs: the portal and
the API log each search they answer, the console only the last phrase of a contact (see
``civic311.contacts.actions.wrap_up``), so typing as the caller talks writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q

from civic311.catalog.models import ServiceType
from civic311.knowledge import queries
from civic311.knowledge.actions import log_search
from civic311.knowledge.models import SEARCH_CONFIGS, Article
from civic311.knowledge.search import Hit, results
from civic311.knowledge.terms import words_of

OTHER_LIMIT = 3
MAX_SERVICES = 5
MAX_SUGGESTED = 5
MIN_SERVICE_WORD = 4  # shorter words ("car", "día") name too many services


@dataclass
class Answer:
    phrase: str
    language: str
    hits: list[Hit]
    corrected: str = ""
    other_language: str = ""
    other_hits: list[Hit] = field(default_factory=list)
    suggested: list[Article] = field(default_factory=list)  # on a miss: the most read articles
    services: list[ServiceType] = field(default_factory=list)

    @property
    def is_miss(self) -> bool:
        return not self.hits


def other_language(language: str) -> str:
    return next(lang for lang in SEARCH_CONFIGS if lang != language)


def answer(
    phrase: str,
    language: str = "en",
    *,
    channel: str,
    include_internal: bool = False,
    limit: int = 10,
    log: bool = True,
) -> Answer:
    """The articles answering ``phrase`` in ``language`` and what to offer beside them; logged as
    asked on ``channel`` when ``log`` (only when the phrase has words)."""
    if language not in SEARCH_CONFIGS or not words_of(phrase):
        return Answer(phrase, language, [])
    own = results(phrase, language, include_internal=include_internal, limit=limit)
    other = other_language(language)
    found = Answer(phrase, language, own.hits, corrected=own.corrected, other_language=other)
    if len(own.hits) < OTHER_LIMIT or own.known < own.words:
        theirs = results(phrase, other, include_internal=include_internal, limit=OTHER_LIMIT)
        # The phrase reads as the other language, or its own finds little: offer those matches too.
        if theirs.hits and (theirs.known > own.known or len(own.hits) < OTHER_LIMIT):
            found.other_hits = theirs.hits
    if found.hits:
        found.services = _services_of([h.text.article_id for h in found.hits[:OTHER_LIMIT]])
    else:
        found.suggested = _most_read(language, include_internal)
        found.services = _services_named(phrase, language)
    if log:
        log_search(phrase, language, channel, results=len(found.hits))
    return found


def _services_of(article_ids: list[int]) -> list[ServiceType]:
    """The active services the first answers point to, in the answers' order."""
    links = Article.service_types.through.objects.filter(
        article_id__in=article_ids, servicetype__is_active=True
    ).values_list("article_id", "servicetype_id")
    order = {pk: n for n, pk in enumerate(article_ids)}
    ids = [st for _, st in sorted(links, key=lambda link: (order[link[0]], link[1]))]
    services = ServiceType.objects.in_bulk(ids)
    return [services[pk] for pk in dict.fromkeys(ids)][:MAX_SERVICES]


def _services_named(phrase: str, language: str) -> list[ServiceType]:
    """Active services whose name (in the reader's language or English) or keywords share a word with the phrase."""
    words = [w for w in words_of(phrase) if len(w) >= MIN_SERVICE_WORD][:8]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(name__icontains=word) | Q(keywords__icontains=word)
        if language == "es":
            match |= Q(name_es__icontains=word)
    return list(ServiceType.objects.filter(match, is_active=True).order_by("name")[:MAX_SERVICES])


MOST_READ_SECONDS = 300  # counted over 30 days: fresh enough, and not an aggregate of every view per miss


def _most_read(language: str, include_internal: bool) -> list[Article]:
    """The most read published articles with a text in the language (a start, when nothing matched),
    counted at most every five minutes per app server."""
    key = f"knowledge:most-read:{language}:{include_internal}"
    return cache.get_or_set(key, lambda: _count_most_read(language, include_internal), MOST_READ_SECONDS) or []


def _count_most_read(language: str, include_internal: bool) -> list[Article]:
    chosen = [a for a in queries.popular(30, limit=MAX_SUGGESTED * 3) if a.is_published]
    if not include_internal:
        chosen = [a for a in chosen if a.audience == Article.Audience.PUBLIC]
    written = set(
        Article.objects.filter(pk__in=[a.pk for a in chosen], texts__language=language).values_list("pk", flat=True)
    )
    return [a for a in chosen if a.pk in written][:MAX_SUGGESTED]
