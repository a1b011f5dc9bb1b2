"""The knowledge base for apps and other sites: search and read public articles as JSON.

Read-only and public (the FAQ is public anyway), so no key is needed; each article read here is
counted with the channel "api", beside the console's and the web's reads, and each search that
found nothing is logged for the editors.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from civic311.catalog.localization import localized
from civic311.knowledge.actions import log_search, record_view
from civic311.knowledge.answers import answer
from civic311.knowledge.models import SEARCH_CONFIGS, Article, ArticleView, SearchLog
from civic311.knowledge.render import text_for
from civic311.knowledge.search import Hit

MAX_QUERY = 200


def _language(request: HttpRequest) -> str | None:
    language = request.GET.get("lang", "en")
    return language if language in SEARCH_CONFIGS else None


def _bad_language() -> JsonResponse:
    return JsonResponse({"error": f"lang must be one of {', '.join(SEARCH_CONFIGS)}."}, status=400)


def _listed(hits: list[Hit]) -> list[dict[str, str]]:
    return [
        {"slug": h.text.article.slug, "title": h.text.title, "language": h.text.language,
         "snippet_html": h.snippet_html, "url": reverse("knowledge_api:article", args=[h.text.article.slug])
         + ("" if h.text.language == "en" else f"?lang={h.text.language}")}
        for h in hits
    ]  # fmt: skip


@require_GET
def articles(request: HttpRequest) -> JsonResponse:
    """GET ?q=words&lang=en|es: the best public answers, with a highlighted passage; beside them the
    other language's matches, and on a miss the most read articles; the services to request."""
    language = _language(request)
    if language is None:
        return _bad_language()
    query = request.GET.get("q", "")
    if len(query) > MAX_QUERY:
        return JsonResponse({"error": f"q is {len(query)} characters long; the limit is {MAX_QUERY}."}, status=400)
    # Apps may search as their users type, so only a search that found nothing is logged.
    found = answer(query, language, channel=SearchLog.Channel.API, log=False)
    if found.is_miss and query.strip():
        log_search(query, language, SearchLog.Channel.API, results=0)
    suggested = [(a, shown) for a in found.suggested if (shown := text_for(a, language)) is not None]
    return JsonResponse({
        "query": query, "language": language, "corrected": found.corrected,
        "articles": _listed(found.hits),
        "other_language": {"language": found.other_language, "articles": _listed(found.other_hits)},
        "suggested": [{"slug": a.slug, "title": shown.text.title, "language": shown.text.language,
                       "url": reverse("knowledge_api:article", args=[a.slug])} for a, shown in suggested],
        "services": [{"service_code": st.service_code, "name": localized(st, "name", language)}
                     for st in found.services],
    })  # fmt: skip


@require_GET
def article(request: HttpRequest, slug: str) -> JsonResponse:
    """GET one public article in ``lang``, or in English with ``fallback: true`` when not written in it."""
    language = _language(request)
    if language is None:
        return _bad_language()
    found = Article.objects.filter(slug=slug, is_published=True, audience=Article.Audience.PUBLIC).first()
    shown = text_for(found, language) if found else None
    if found is None or shown is None:
        return JsonResponse({"error": f"No public article {slug!r}."}, status=404)
    record_view(found, language=shown.text.language, channel=ArticleView.Channel.API)
    return JsonResponse({
        "slug": found.slug, "language": shown.text.language, "fallback": shown.is_fallback,
        "title": shown.text.title, "answer_markdown": shown.text.answer, "answer_html": shown.html,
        "keywords": shown.text.keywords, "department": found.department.name if found.department else None,
        "services": sorted(st.service_code for st in found.service_types.filter(is_active=True)),
        "updated_at": found.updated_at.isoformat(),
    })  # fmt: skip
