"""Knowledge-base articles: the answers CSRs give and residents read, in English and Spanish.

An article is one question; each language version is an ArticleText. Each text keeps its words as
search terms (``terms.py``: stemmed, stop words out) in its ``search_*`` fields, written by
``actions.refresh_search``; SQLite's FTS5 table follows them by trigger, PostgreSQL's weighted
tsvector is computed from them. The city's own vocabulary (Synonym) and the questions the knowledge
base could not answer (SearchLog) are data editors keep in the admin; see ``search.py``.
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
    # The title, keywords and answer as search terms (see terms.py), the same on every database.
    search_title = models.TextField(default="", editable=False)
    search_keywords = models.TextField(default="", editable=False)
    search_answer = models.TextField(default="", editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["article", "language"]
        # How many texts a language has: the N of the ranking's inverse document frequency.
        indexes = [models.Index(fields=["language"], name="knowledge_text_language_idx")]
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


class Term(models.Model):
    """A search term of a text (any of its fields): how many texts use a term is what makes it
    telling. The ranking reads these counts through the (language, term) index."""

    text = models.ForeignKey(ArticleText, on_delete=models.CASCADE, related_name="terms")
    language = models.CharField(max_length=2, choices=LANGUAGES)
    term = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["text", "term"], name="knowledge_term_once_per_text")]
        # The document frequencies of a question's terms (and of a last word typed so far, as a range).
        indexes = [models.Index(fields=["language", "term"], name="knowledge_term_language_idx")]

    def __str__(self) -> str:
        return f"{self.term} [{self.language}]"


class Synonym(models.Model):
    """The city's own words: what residents say, and the words the knowledge base uses for it.

    "pot hole" means pothole; "trash" means garbage or rubbish; "basura" means recolección. A question
    that says the phrase also looks for each meaning; an article still has to be found by its own words.
    """

    language = models.CharField(max_length=2, choices=LANGUAGES, default="en")
    phrase = models.CharField(max_length=100, help_text="What residents say, e.g. “pot hole” or “trash”.")
    means = models.CharField(
        max_length=300,
        help_text="The words the articles use for it, separated by commas, e.g. “garbage, rubbish”.",
    )
    # The phrase as search terms ("pot hole" → "pot hole", "picked up" → "pick"): what a question is matched on.
    phrase_terms = models.CharField(max_length=200, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["language", "phrase"]
        constraints = [models.UniqueConstraint(fields=["language", "phrase_terms"], name="knowledge_synonym_once")]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.means} [{self.language}]"

    def meanings(self) -> list[str]:
        return [m.strip() for m in self.means.split(",") if m.strip()]


class SearchLog(models.Model):
    """A question as residents and CSRs asked it, counted: how often, how often it found nothing,
    and how often a reader opened one of its answers. The ones never answered are the editors' list
    of "questions we could not answer"."""

    class Channel(models.TextChoices):
        CONSOLE = "console", "CSR console"
        WEB = "web", "Web"
        API = "api", "API"
        PHONE = "phone", "Phone line"

    phrase = models.CharField(max_length=200, help_text="The question, lower-cased, spaces tidied.")
    language = models.CharField(max_length=2, choices=LANGUAGES)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    searches = models.PositiveIntegerField(default=0, help_text="Times asked.")
    misses = models.PositiveIntegerField(default=0, help_text="Times it found no article.")
    opened = models.PositiveIntegerField(default=0, help_text="Times a reader opened one of its answers.")
    results = models.PositiveIntegerField(default=0, help_text="Articles found the last time.")
    first_at = models.DateTimeField(default=timezone.now)
    last_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "question asked"
        verbose_name_plural = "questions asked"
        constraints = [
            models.UniqueConstraint(fields=["phrase", "language", "channel"], name="knowledge_searchlog_once")
        ]
        # The editors' list: unanswered questions, most recent first.
        indexes = [models.Index(fields=["opened", "-last_at"], name="knowledge_searchlog_open_idx")]

    def __str__(self) -> str:
        return f"{self.phrase} [{self.language}, {self.channel}]"

    @property
    def unanswered(self) -> int:
        """Times asked without a reader opening an answer."""
        return max(self.searches - self.opened, 0)
