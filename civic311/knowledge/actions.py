"""Writing articles and counting their views."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.utils import timezone

from civic311.knowledge.models import SEARCH_CONFIGS, Article, ArticleText, ArticleView, Word
from civic311.service_requests.validators import FieldError, SubmissionInvalid, check_plain_text


@transaction.atomic
def save_text(article: Article, language: str, *, title: str, answer: str, keywords: str = "") -> ArticleText:
    """Create or replace one language version of an article, keeping its search data current."""
    if language not in SEARCH_CONFIGS:
        raise SubmissionInvalid([FieldError("language", f"{language!r} is not one of {', '.join(SEARCH_CONFIGS)}.")])
    errors: list[FieldError] = []
    title = check_plain_text("title", title, 300, errors)
    keywords = check_plain_text("keywords", keywords, 500, errors)
    answer = answer.strip()
    if not title:
        errors.append(FieldError("title", "is required."))
    if not answer:
        errors.append(FieldError("answer", "is required."))
    if errors:
        raise SubmissionInvalid(errors)
    text, _ = ArticleText.objects.update_or_create(
        article=article, language=language, defaults={"title": title, "answer": answer, "keywords": keywords}
    )
    refresh_search(text)
    return text


def refresh_search(text: ArticleText) -> None:
    """Recompute a text's search data: its vocabulary, and (PostgreSQL) its weighted vector;
    SQLite's FTS table follows by trigger."""
    from civic311.knowledge.search import words_of

    text.words.all().delete()
    words = sorted(set(words_of(f"{text.title} {text.keywords}", limit=None)))
    Word.objects.bulk_create([Word(text=text, language=text.language, word=w) for w in words])
    if connection.vendor == "postgresql":
        config = SEARCH_CONFIGS[text.language]
        ArticleText.objects.filter(pk=text.pk).update(
            search_vector=SearchVector("title", weight="A", config=config)
            + SearchVector("keywords", weight="B", config=config)
            + SearchVector("answer", weight="C", config=config)
        )
    Article.objects.filter(pk=text.article_id).update(updated_at=timezone.now())


def record_view(article: Article, *, language: str, channel: str) -> None:
    """Count one reading (the FAQ hit count the city reports)."""
    ArticleView.objects.create(article=article, language=language, channel=channel)
