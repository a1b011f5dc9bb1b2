"""Popular and rising articles, from the view counts."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from civic311.insights.hotspots import Finding, significant
from civic311.knowledge.models import Article, ArticleView


def popular(
    days: int = 30, *, channel: str | None = None, limit: int = 10, now: datetime | None = None
) -> list[Article]:
    """The most read articles of the last ``days`` days, with ``views`` annotated."""
    since = (now or timezone.now()) - timedelta(days=days)
    views = ArticleView.objects.filter(at__gte=since)
    if channel:
        views = views.filter(channel=channel)
    counts = dict(views.values_list("article").annotate(n=Count("id")).order_by("-n")[:limit])
    articles = Article.objects.in_bulk(list(counts))
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    result = []
    for pk, n in ranked:
        article = articles[pk]
        article.views_count = n  # type: ignore[attr-defined]
        result.append(article)
    return result


def rising(days: int = 7, baseline_windows: int = 8, now: datetime | None = None, min_count: int = 10) -> list[Finding]:
    """Articles read clearly more in the last ``days`` days than in their own previous windows
    (the hotspot test): a sign the city should put out an announcement."""
    now = now or timezone.now()
    start = now - timedelta(days=days)
    base_start = start - timedelta(days=days * baseline_windows)

    def counts(since: datetime, until: datetime) -> dict[tuple[int, str], int]:
        rows = ArticleView.objects.filter(at__gte=since, at__lt=until).values_list("article").annotate(n=Count("id"))
        return {(pk, "article"): n for pk, n in rows}

    return significant(counts(start, now), counts(base_start, start), baseline_windows, {}, 0.01, min_count)
