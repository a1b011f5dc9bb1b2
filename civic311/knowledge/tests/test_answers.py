"""A miss is never a dead end, and the questions nobody found answered reach the editors."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from civic311.catalog.tests.factories import ServiceTypeFactory
from civic311.contacts.models import Contact
from civic311.knowledge.actions import log_opened, log_search, record_view, save_text
from civic311.knowledge.answers import answer
from civic311.knowledge.models import Article, SearchLog

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def kb(db):
    pothole = ServiceTypeFactory(service_code="POTHOLE", name="Pothole", name_es="Bache", keywords="road hole")
    ServiceTypeFactory(service_code="GRAFFITI", name="Graffiti removal", name_es="Grafiti")
    repair = Article.objects.create(slug="pothole-repair")
    repair.service_types.add(pothole)
    save_text(repair, "en", title="How do I report a pothole?", answer="Potholes are filled within two days.")
    save_text(repair, "es", title="¿Cómo reporto un bache?", answer="Los baches se rellenan en dos días.")
    birth = Article.objects.create(slug="birth-certificate")
    save_text(birth, "en", title="How do I get a copy of a birth certificate?", answer="City Clerk, $10.")
    save_text(birth, "es", title="¿Cómo obtengo un acta de nacimiento?", answer="Secretaría Municipal, $10.")
    hours = Article.objects.create(slug="city-hall-hours")
    save_text(hours, "en", title="When is City Hall open?", answer="Monday to Friday, 8:30 to 4:30.")
    record_view(hours, language="en", channel="web")
    return {"repair": repair, "birth": birth, "hours": hours}


def slugs(hits):
    return [h.text.article.slug for h in hits]


def test_an_answer_offers_the_services_of_its_articles(kb):
    found = answer("pothole", "en", channel="web", log=False)
    assert slugs(found.hits) == ["pothole-repair"]
    assert [st.service_code for st in found.services] == ["POTHOLE"]


def test_a_miss_suggests_the_most_read_articles_and_services_named_like_the_question(kb):
    found = answer("graffiti on my wall", "en", channel="web", log=False)
    assert found.is_miss
    assert [a.slug for a in found.suggested] == ["city-hall-hours"]
    assert [st.service_code for st in found.services] == ["GRAFFITI"]
    spanish = answer("grafiti", "es", channel="web", log=False)
    assert [st.service_code for st in spanish.services] == ["GRAFFITI"]  # by its Spanish name
    assert spanish.suggested == []  # the most read article has no Spanish text


def test_a_question_in_the_other_language_finds_its_articles_there(kb):
    english_side = answer("certificado de nacimiento", "en", channel="web", log=False)
    assert (english_side.other_language, slugs(english_side.other_hits)[:1]) == ("es", ["birth-certificate"])
    spanish_side = answer("birth certificate", "es", channel="web", log=False)
    assert (spanish_side.other_language, slugs(spanish_side.other_hits)[:1]) == ("en", ["birth-certificate"])
    at_home = answer("birth certificate", "en", channel="web", log=False)
    assert slugs(at_home.hits)[0] == "birth-certificate"


def test_questions_are_counted_once_a_row_with_misses_and_opens():
    for _ in range(3):
        log_search("  Where is  the DUMP? ", "en", "web", results=0)
    log_search("where is the dump?", "en", "console", results=2, opened=True)
    log_opened("where is the dump?", "en", "web")
    log_search("x", "fr", "web", results=0)  # not a language of the knowledge base: ignored
    rows = {r.channel: r for r in SearchLog.objects.all()}
    assert set(rows) == {"web", "console"}
    assert (rows["web"].phrase, rows["web"].searches, rows["web"].misses, rows["web"].opened) == (
        "where is the dump?", 3, 3, 1,
    )  # fmt: skip
    assert (rows["console"].searches, rows["console"].misses, rows["console"].opened) == (1, 0, 1)


def test_the_portal_logs_each_search_and_each_answer_opened_from_it(client, kb):
    page = client.get(reverse("portal:faq"), {"q": "pothole"}).content.decode()
    assert "How do I report a pothole?" in page and 'href="/request/POTHOLE/"' in page
    client.get(reverse("portal:faq"), {"q": "where is the dump"})
    client.get(reverse("portal:article", args=["pothole-repair"]), {"q": "pothole"})
    counts = {r.phrase: (r.searches, r.misses, r.opened) for r in SearchLog.objects.filter(channel="web")}
    assert counts == {"pothole": (1, 0, 1), "where is the dump": (1, 1, 0)}


def test_the_portal_offers_the_other_language_and_a_start_on_a_miss(client, kb):
    page = client.get(reverse("portal:faq"), {"q": "acta de nacimiento"}).content.decode()
    assert "En español" in page and "¿Cómo obtengo un acta de nacimiento?" in page
    assert "/faq/birth-certificate/?lang=es" in page or "birth-certificate/?lang=es" in page
    spanish = client.get(reverse("portal:article", args=["birth-certificate"]), {"lang": "es"}).content.decode()
    assert "Secretaría Municipal" in spanish
    miss = client.get(reverse("portal:faq"), {"q": "zzyzx"}).content.decode()
    assert "When is City Hall open?" in miss and "All services" in miss


def test_the_api_logs_only_searches_that_found_nothing(client, kb):
    body = client.get("/api/v1/kb/articles.json", {"q": "pothole"}).json()
    assert [a["slug"] for a in body["articles"]] == ["pothole-repair"]
    assert body["services"] == [{"service_code": "POTHOLE", "name": "Pothole"}]
    miss = client.get("/api/v1/kb/articles.json", {"q": "acta de nacimiento", "lang": "en"}).json()
    assert miss["articles"] == [] and miss["other_language"]["language"] == "es"
    assert miss["other_language"]["articles"][0]["url"] == "/api/v1/kb/articles/birth-certificate.json?lang=es"
    assert list(SearchLog.objects.values_list("phrase", "channel", "misses")) == [("acta de nacimiento", "api", 1)]


def test_the_console_logs_only_the_last_phrase_of_a_contact(client, django_user_model, roles, kb):
    csr = django_user_model.objects.create_user("carla.csr", password="pw")
    csr.groups.add(Group.objects.get(name="CSR"))
    client.force_login(csr)
    client.post(reverse("console:start"), {"channel": "phone", "direction": "inbound", "language": "en"})
    contact = Contact.objects.latest("id")
    for typed in ["w", "wh", "whe", "where", "where is", "where is the dump"]:  # as the CSR types
        client.get(reverse("console:kb", args=[contact.pk]), {"q": typed}, **HTMX)
    assert not SearchLog.objects.exists()
    results = client.get(reverse("console:kb", args=[contact.pk]), {"q": "pothole"}, **HTMX).content.decode()
    assert "Services to request:" in results and "?service=POTHOLE" in results
    spanish = client.get(reverse("console:kb", args=[contact.pk]), {"q": "acta de nacimiento"}, **HTMX)
    assert "¿Cómo obtengo un acta de nacimiento?" in spanish.content.decode()  # offered from the Spanish side
    response = client.post(reverse("console:wrap_up", args=[contact.pk]),
                           {"kind": "information", "outcome": "answered", "q": "where is the dump"})  # fmt: skip
    assert response.status_code == 302
    assert list(SearchLog.objects.values_list("phrase", "channel", "searches", "misses", "opened")) == [
        ("where is the dump", "console", 1, 1, 0)
    ]


def test_editors_see_the_questions_we_could_not_answer_with_ways_to_fix_them(client, django_user_model, kb):
    log_search("where is the dump", "en", "web", results=0)
    log_search("pothole", "en", "web", results=1, opened=True)
    log_search("birth cert", "en", "console", results=1)  # found something, nobody opened it
    client.force_login(django_user_model.objects.create_superuser("ada", "a@example.org", "pw"))
    page = client.get("/admin/knowledge/searchlog/").content.decode()
    assert "Questions we could not answer" in page
    assert "where is the dump" in page and "birth cert" in page and ">pothole<" not in page
    assert "/admin/knowledge/synonym/add/?language=en&amp;phrase=where+is+the+dump" in page
    write = "/admin/knowledge/article/add/?slug=where-is-the-dump&language=en&title=Where+is+the+dump&keywords="
    assert write.replace("&", "&amp;") in page
    form = client.get(write + "where+is+the+dump").content.decode()
    assert 'value="Where is the dump"' in form and 'value="where-is-the-dump"' in form
    assert ">pothole<" in client.get("/admin/knowledge/searchlog/", {"answered": "all"}).content.decode()
