"""The sample city's knowledge base: complete enough for a CSR's day, and found by the words callers use."""

import pytest

from civic311.catalog.sample import load_catalog
from civic311.knowledge.folder import SAMPLE_FOLDER, import_folder
from civic311.knowledge.models import Article, ArticleText
from civic311.knowledge.search import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample_kb(db):
    load_catalog()
    return import_folder(SAMPLE_FOLDER)


def test_the_sample_has_150_english_and_50_spanish_articles(sample_kb):
    articles, texts = sample_kb
    assert articles >= 150
    assert ArticleText.objects.filter(language="en").count() >= 150
    assert ArticleText.objects.filter(language="es").count() >= 50
    assert texts == ArticleText.objects.count()
    assert Article.objects.filter(audience="internal").exists()  # CSR-only notes too
    assert not Article.objects.filter(texts__isnull=True).exists()


COMMON_QUESTIONS = [
    ("birth certificate copy", "en", "birth-certificate"),
    ("excise tax", "en", "motor-vehicle-excise"),
    ("pay parking ticket", "en", "parking-ticket-pay"),
    ("trash day", "en", "trash-collection-schedule"),
    ("snow emergency", "en", "snow-emergency"),
    ("dog license", "en", "dog-license"),
    ("city hall hours", "en", "city-hall-hours"),
    ("register to vote", "en", "voter-registration"),
    ("building permit", "en", "building-permit"),
    ("no heat", "en", "no-heat"),
    ("mattress", "en", "mattress-recycling"),
    ("licencia perro", "es", "dog-license"),
    ("acta de nacimiento", "es", "birth-certificate"),
    ("bache", "es", "pothole-repair"),
    ("multa estacionamiento", "es", "parking-ticket-pay"),
]


def test_common_questions_find_their_article_first(sample_kb):
    wrong = {}
    for query, language, slug in COMMON_QUESTIONS:
        found = [h.text.article.slug for h in search(query, language, include_internal=True)[:3]]
        if not found or found[0] != slug:
            wrong[query] = found
    assert wrong == {}


def test_residents_never_see_csr_notes(sample_kb):
    internal = set(Article.objects.filter(audience="internal").values_list("slug", flat=True))
    for query in ("emergency", "abusive caller", "card number", "duplicate"):
        assert not {h.text.article.slug for h in search(query, "en")} & internal
