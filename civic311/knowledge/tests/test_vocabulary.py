"""The city's own words: synonyms, stop words, accents and typos, the same on both databases."""

import pytest

from civic311.knowledge.actions import save_synonym, save_text
from civic311.knowledge.folder import FolderError, export_folder, import_folder
from civic311.knowledge.models import Article, Synonym
from civic311.knowledge.search import results, search
from civic311.knowledge.terms import terms_of
from civic311.service_requests.validators import SubmissionInvalid

pytestmark = pytest.mark.django_db


def article(slug, title, answer, keywords="", language="en"):
    a, _ = Article.objects.get_or_create(slug=slug)
    save_text(a, language, title=title, answer=answer, keywords=keywords)
    return a


@pytest.fixture
def kb(db):
    article("pothole-repair", "How do I report a pothole?", "Potholes are filled within two business days.")
    article("street-light-out", "A street light is out", "Report the pole number; crews fix lights in a week.")
    article("trash-day", "What day is my garbage collected?", "Barrels out by 7 am on your collection day.")
    article("birth-certificate", "How do I get a copy of a birth certificate?", "Visit the City Clerk; $10 a copy.")
    article("trash-day", "¿Qué día es la recolección?", "Saque los barriles antes de las 7 am.", language="es")
    article("no-heat", "Mi apartamento no tiene calefacción", "El casero debe mantener 68°F.", language="es")
    article("birth-certificate", "¿Cómo obtengo un acta de nacimiento?", "Vaya a la Secretaría; $10.", language="es")


def slugs(hits):
    return [h.text.article.slug for h in hits]


def test_a_question_matches_on_any_of_its_words_and_ranks_the_best_first(kb):
    assert slugs(search("hi how do I get a copy of my birth certificate please"))[0] == "birth-certificate"
    assert slugs(search("when is my garbage picked up"))[0] == "trash-day"


def test_stop_words_and_accents_are_the_same_for_every_database(kb):
    assert terms_of("¿Cuándo recogen la basura?", "es") == ["recog", "basur"]
    assert terms_of("how do I get a dog license", "en") == ["get", "dog", "licens"]
    assert slugs(search("calefaccion", "es")) == ["no-heat"]  # typed without the accent
    assert search("how do i", "en") == []  # nothing but stop words


def test_synonyms_are_data_and_apply_in_each_language(kb):
    assert "pothole-repair" not in slugs(search("pot hole"))
    assert "street-light-out" not in slugs(search("streetlight"))
    save_synonym("en", "pot hole", "pothole")
    save_synonym("en", "streetlight", "street light")
    save_synonym("en", "trash", "garbage, rubbish")
    save_synonym("es", "basura", "recolección")
    assert slugs(search("pot hole"))[0] == "pothole-repair"
    assert slugs(search("streetlight"))[0] == "street-light-out"
    assert slugs(search("trash"))[0] == "trash-day"
    assert slugs(search("cuando recogen la basura", "es"))[0] == "trash-day"
    assert "trash-day" not in slugs(search("basura", "en"))  # a Spanish synonym is not an English one


def test_a_synonym_counts_as_the_word_it_stands_for_not_as_another(kb):
    save_synonym("en", "trash", "garbage, collection")
    article("collection-agency", "Collection of unpaid bills", "The collection agency writes first.")
    # trash-day says both "garbage" and "collection": still one idea, so it does not outrank by sheer count.
    ranks = {h.text.article.slug: h.rank for h in search("trash")}
    assert ranks["trash-day"] == pytest.approx(max(ranks.values()))


def test_each_misspelt_word_is_corrected_from_the_vocabulary(kb):
    found = results("birht certficate")
    assert slugs(found.hits)[0] == "birth-certificate"
    assert found.corrected == "birth certificate"
    spanish = results("nesesito una copia de mi acta de nasimiento", "es")
    assert slugs(spanish.hits)[0] == "birth-certificate" and "nacimiento" in spanish.corrected
    save_synonym("en", "trash", "garbage")
    assert results("trsh pickup").corrected.startswith("trash")  # synonyms are vocabulary too


def test_saving_a_synonym_refuses_bad_input_and_changes_nothing(kb):
    save_synonym("en", "trash", "garbage")
    cases = [
        (("fr", "poubelle", "garbage"), "not one of en, es"),
        (("en", "the of", "garbage"), "only stop words"),
        (("en", "rubbish", " , "), "needs at least one word"),
        (("en", "garbage", "garbages"), "is the phrase itself"),
        (("en", "Trash", "rubbish"), "already has an entry"),
        (("en", "<b>bin</b>", "cart"), "HTML"),
    ]
    for args, message in cases:
        with pytest.raises(SubmissionInvalid, match=message):
            save_synonym(*args)
    assert list(Synonym.objects.values_list("phrase", "means")) == [("trash", "garbage")]


def test_the_admin_edits_synonyms_through_the_same_checks(client, django_user_model, kb):
    client.force_login(django_user_model.objects.create_superuser("ada", "a@example.org", "pw"))
    response = client.post(
        "/admin/knowledge/synonym/add/", {"language": "en", "phrase": "pot hole", "means": "pothole"}
    )
    assert response.status_code == 302
    assert slugs(search("pot hole"))[0] == "pothole-repair"
    again = client.post("/admin/knowledge/synonym/add/", {"language": "en", "phrase": "pot  holes", "means": "x"})
    assert again.status_code == 200 and "already has an entry" in again.content.decode()
    assert Synonym.objects.count() == 1


def test_synonyms_travel_with_the_knowledge_base_folder(kb, tmp_path):
    save_synonym("en", "pot hole", "pothole")
    save_synonym("es", "basura", "recolección, desechos")
    export_folder(tmp_path)
    assert (tmp_path / "synonyms.csv").read_text(encoding="utf-8").splitlines() == [
        "language,phrase,means", "en,pot hole,pothole", 'es,basura,"recolección, desechos"',
    ]  # fmt: skip
    Synonym.objects.all().delete()
    import_folder(tmp_path)
    assert Synonym.objects.count() == 2
    (tmp_path / "synonyms.csv").write_text("language,phrase,means\nen,pot hole,pothole\nen,the,x\n", encoding="utf-8")
    Synonym.objects.all().delete()
    with pytest.raises(FolderError, match=r"synonyms\.csv line 3: phrase"):
        import_folder(tmp_path)
    assert not Synonym.objects.exists()  # all or nothing
