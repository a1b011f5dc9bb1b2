"""Writing articles and the city's synonyms, counting views, and logging the questions asked."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Value
from django.db.models.expressions import CombinedExpression
from django.utils import timezone

from civic311.knowledge.models import (
    SEARCH_CONFIGS,
    Article,
    ArticleText,
    ArticleView,
    SearchLog,
    Synonym,
    Term,
    Word,
)
from civic311.knowledge.terms import MAX_WORD, indexed, terms_of, words_of
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


def _vector(fields: dict[str, str]) -> CombinedExpression:
    """PostgreSQL's vector of a text: its terms as they are ('simple' neither stems nor drops words:
    terms.py has done both), weighted A for the title, B for the keywords and C for the answer. Built
    from the new values, so one UPDATE writes terms and vector (one new row version, not two)."""
    return (
        SearchVector(Value(fields["search_title"]), weight="A", config="simple")
        + SearchVector(Value(fields["search_keywords"]), weight="B", config="simple")
        + SearchVector(Value(fields["search_answer"]), weight="C", config="simple")
    )


def refresh_search(text: ArticleText) -> None:
    """Recompute a text's search data: its fields as terms (SQLite's FTS table follows by trigger;
    PostgreSQL's weighted vector is computed from them), its terms for their counts, and the words
    of its title and keywords, the vocabulary a misspelt word is corrected against."""
    language = text.language
    fields = {
        "search_title": indexed(text.title, language),
        "search_keywords": indexed(text.keywords, language),
        "search_answer": indexed(text.answer, language),
    }
    vector = {"search_vector": _vector(fields)} if connection.vendor == "postgresql" else {}
    ArticleText.objects.filter(pk=text.pk).update(**fields, **vector)
    for name, value in fields.items():
        setattr(text, name, value)
    text.terms.all().delete()
    terms = sorted({t[:MAX_WORD] for value in fields.values() for t in value.split()})
    Term.objects.bulk_create([Term(text=text, language=language, term=t) for t in terms])
    text.words.all().delete()
    words = sorted(set(words_of(f"{text.title} {text.keywords}")))
    Word.objects.bulk_create([Word(text=text, language=language, word=w) for w in words])
    Article.objects.filter(pk=text.article_id).update(updated_at=timezone.now())


def record_view(article: Article, *, language: str, channel: str) -> None:
    """Count one reading (the FAQ hit count the city reports)."""
    ArticleView.objects.create(article=article, language=language, channel=channel)


@transaction.atomic
def save_synonym(language: str, phrase: str, means: str, *, synonym: Synonym | None = None) -> Synonym:
    """Create (or, given ``synonym``, change) one of the city's synonyms: residents' ``phrase`` means
    each of the comma-separated ``means``. Checked whole first (see ``check_synonym``)."""
    phrase, key, meanings = check_synonym(language, phrase, means, synonym=synonym)
    synonym = synonym or Synonym()
    synonym.language, synonym.phrase, synonym.means, synonym.phrase_terms = language, phrase, ", ".join(meanings), key
    synonym.updated_at = timezone.now()
    synonym.save()
    return synonym


def check_synonym(
    language: str, phrase: str, means: str, *, synonym: Synonym | None = None
) -> tuple[str, str, list[str]]:
    """(phrase, its search terms, the meanings), or SubmissionInvalid with every problem: a known
    language, words a search keeps in each part, no meaning that is the phrase itself, and one entry
    per phrase and language."""
    errors: list[FieldError] = []
    if language not in SEARCH_CONFIGS:
        errors.append(FieldError("language", f"{language!r} is not one of {', '.join(SEARCH_CONFIGS)}."))
        language = "en"
    phrase = check_plain_text("phrase", phrase, 100, errors)
    means = check_plain_text("means", means, 300, errors)
    key = " ".join(terms_of(phrase, language))
    if phrase and not key:
        errors.append(FieldError("phrase", f"“{phrase}” has no word a search would keep (only stop words)."))
    meanings = [m.strip() for m in means.split(",") if m.strip()]
    if not meanings:
        errors.append(FieldError("means", "needs at least one word or phrase."))
    for meaning in meanings:
        meant = " ".join(terms_of(meaning, language))
        if not meant:
            errors.append(FieldError("means", f"“{meaning}” has no word a search would keep (only stop words)."))
        elif meant == key:
            errors.append(FieldError("means", f"“{meaning}” is the phrase itself."))
    if not phrase:
        errors.append(FieldError("phrase", "is required."))
    clash = Synonym.objects.filter(language=language, phrase_terms=key)
    if synonym is not None:
        clash = clash.exclude(pk=synonym.pk)
    if key and clash.exists():
        errors.append(FieldError("phrase", f"“{phrase}” already has an entry in {language}; add the meanings to it."))
    if errors:
        raise SubmissionInvalid(errors)
    return phrase, key, meanings


MAX_LOGGED = 200


def logged_phrase(phrase: str) -> str:
    """A question as it is counted: lower-cased, spaces tidied, at most MAX_LOGGED characters."""
    return " ".join(phrase.lower().split())[:MAX_LOGGED]


def log_search(phrase: str, language: str, channel: str, *, results: int, opened: bool = False) -> None:
    """Count one asking of a question (and whether it found nothing, or was answered by an opened
    article): one row per phrase, language and channel, so a popular question costs one UPDATE."""
    phrase = logged_phrase(phrase)
    if not phrase or language not in SEARCH_CONFIGS or channel not in SearchLog.Channel.values:
        return
    now = timezone.now()
    changes = {"searches": F("searches") + 1, "results": results, "last_at": now}
    if results == 0:
        changes["misses"] = F("misses") + 1
    if opened:
        changes["opened"] = F("opened") + 1
    rows = SearchLog.objects.filter(phrase=phrase, language=language, channel=channel)
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():
            SearchLog.objects.create(phrase=phrase, language=language, channel=channel, searches=1,
                                     misses=int(results == 0), opened=int(opened), results=results,
                                     first_at=now, last_at=now)  # fmt: skip
    except IntegrityError:  # asked at the same moment elsewhere: count it on that row
        rows.update(**changes)


def log_opened(phrase: str, language: str, channel: str) -> None:
    """A reader opened one of the answers to a question asked on ``channel``: it was answered."""
    SearchLog.objects.filter(phrase=logged_phrase(phrase), language=language, channel=channel).update(
        opened=F("opened") + 1
    )
