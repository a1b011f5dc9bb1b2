"""Knowledge-base articles: the answers CSRs give and residents read, in English and Spanish.

An article is one question; each language version is an ArticleText. Search data is kept by the
database itself on SQLite (an FTS5 table with triggers) and by ``actions.save_text`` on PostgreSQL
(a weighted tsvector per language); see ``search.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

LANGUAGES = [("en", "English"), ("es", "Español")]
# The text-search configuration of each language (PostgreSQL) for stemming.
SEARCH_CONFIGS = {"en": "english", "es": "spanish"}


class Article(models.Model):
    class Audience(models.TextChoices):
        PUBLIC = "public", "Public"
        INTERNAL = "internal", "CSRs only"

    slug = models.SlugField(max_length=120, unique=True)
    department = models.ForeignKey(
        "catalog.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    service_types = models.ManyToManyField("catalog.ServiceType", blank=True, related_name="articles")
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    review_by = models.DateField(null=True, blank=True, help_text="When the owner should check it is still true.")
    is_published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class ArticleText(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=2, choices=LANGUAGES, default="en")
    title = models.CharField(max_length=300, help_text="The question, as a caller would ask it.")
    answer = models.TextField(help_text="Where to go, what to bring, what it costs, hours.")
    keywords = models.CharField(max_length=500, blank=True, help_text="Other words callers use (synonyms).")
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["article", "language"]
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="one_text_per_language")]

    def __str__(self) -> str:
        return f"{self.article.slug} [{self.language}]"


class ArticleView(models.Model):
    """One reading of an article: the FAQ hit count, by channel."""

    class Channel(models.TextChoices):
        CONSOLE = "console", "CSR console"
        WEB = "web", "Web"
        API = "api", "API"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="views")
    language = models.CharField(max_length=2, choices=LANGUAGES)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["at", "article"], name="article_view_at_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} via {self.channel} at {self.at:%Y-%m-%d %H:%M}"


class Word(models.Model):
    """A word of a text's title or keywords: the vocabulary a misspelt search is corrected against.

    Kept by ``actions.refresh_search`` with its text, so a correction never needs to read every
    article; PostgreSQL finds the closest word through a trigram index on it.
    """

    text = models.ForeignKey(ArticleText, on_delete=models.CASCADE, related_name="words")
    language = models.CharField(max_length=2, choices=LANGUAGES)
    word = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["text", "word"], name="knowledge_word_once_per_text")]
        # The typo fallback's vocabulary of one language (SQLite reads it index-only).
        indexes = [models.Index(fields=["language", "word"], name="knowledge_word_language_idx")]

    def __str__(self) -> str:
        return f"{self.word} [{self.language}]"
