"""The knowledge base as JSON for apps: search, read (counted as "api"), and plain errors."""

import pytest

from civic311.knowledge.actions import save_text
from civic311.knowledge.models import Article, ArticleView

pytestmark = pytest.mark.django_db


@pytest.fixture
def kb(db):
    dog = Article.objects.create(slug="dog-license")
    save_text(dog, "en", title="How do I license my dog?", answer="Bring a **rabies** certificate. $15.")
    save_text(dog, "es", title="¿Cómo saco la licencia de mi perro?", answer="Traiga el certificado de rabia.")
    hours = Article.objects.create(slug="city-hall-hours")
    save_text(hours, "en", title="When is City Hall open?", answer="8:30 to 4:30.")
    notes = Article.objects.create(slug="csr-notes", audience="internal")
    save_text(notes, "en", title="Dog bite escalation", answer="CSRs only.")


def test_search_returns_public_articles_with_links(client, kb):
    body = client.get("/api/v1/kb/articles.json", {"q": "dog"}).json()
    assert [a["slug"] for a in body["articles"]] == ["dog-license"]
    assert body["articles"][0]["url"] == "/api/v1/kb/articles/dog-license.json"
    spanish = client.get("/api/v1/kb/articles.json", {"q": "perro", "lang": "es"}).json()
    assert spanish["articles"][0]["title"] == "¿Cómo saco la licencia de mi perro?"


def test_reading_an_article_counts_an_api_view(client, kb):
    body = client.get("/api/v1/kb/articles/dog-license.json").json()
    assert body["answer_html"] == "<p>Bring a <strong>rabies</strong> certificate. $15.</p>"
    assert body["fallback"] is False
    assert ArticleView.objects.get().channel == "api"
    fallback = client.get("/api/v1/kb/articles/city-hall-hours.json", {"lang": "es"}).json()
    assert (fallback["language"], fallback["fallback"]) == ("en", True)


@pytest.mark.parametrize(
    ("url", "params", "status", "message"),
    [
        ("/api/v1/kb/articles/csr-notes.json", {}, 404, "No public article"),
        ("/api/v1/kb/articles/nope.json", {}, 404, "No public article"),
        ("/api/v1/kb/articles.json", {"lang": "fr"}, 400, "lang must be one of en, es"),
        ("/api/v1/kb/articles.json", {"q": "x" * 201}, 400, "the limit is 200"),
    ],
)
def test_bad_requests_get_plain_errors(client, kb, url, params, status, message):
    response = client.get(url, params)
    assert response.status_code == status and message in response.json()["error"]


@pytest.mark.parametrize("query", ['"', "NEAR(", "🚧", "'; DROP TABLE x; --", ""])
def test_hostile_queries_answer_empty_or_found(client, kb, query):
    assert client.get("/api/v1/kb/articles.json", {"q": query}).status_code == 200
