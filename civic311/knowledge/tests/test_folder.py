"""The knowledge base round-trips through a folder of Markdown files; a bad folder changes nothing."""

import pytest
from django.core.management import CommandError, call_command

from civic311.knowledge.actions import save_text
from civic311.knowledge.models import Article, ArticleText
from civic311.knowledge.search import search

pytestmark = pytest.mark.django_db


def test_export_then_import_round_trips_every_text(tmp_path, pothole):
    article = Article.objects.create(slug="pothole-repair", department=pothole.department, audience="public")
    article.service_types.add(pothole)
    save_text(article, "en", title="How long does a pothole repair take?", answer="Within **48 hours**.",
              keywords="road hole")  # fmt: skip
    save_text(article, "es", title="¿Cuánto tarda reparar un bache?", answer="En **48 horas**.", keywords="hoyo")
    call_command("kb", "export", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pothole-repair.en.md", "pothole-repair.es.md"]
    text = (tmp_path / "pothole-repair.es.md").read_text()
    assert "title: ¿Cuánto tarda reparar un bache?" in text and "En **48 horas**." in text
    Article.objects.all().delete()
    call_command("kb", "import", str(tmp_path))
    restored = Article.objects.get(slug="pothole-repair")
    assert list(restored.service_types.all()) == [pothole]
    assert restored.department == pothole.department
    assert ArticleText.objects.get(article=restored, language="es").keywords == "hoyo"
    assert [h.text.article.slug for h in search("bache", "es")] == ["pothole-repair"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("Bad Name.md", "---\ntitle: x\n---\nanswer", "name it <slug>.<language>.md"),
        ("trash.fr.md", "---\ntitle: x\n---\nanswer", "name it <slug>.<language>.md"),
        ("trash.en.md", "---\ntitle: x\n---\n", "needs a title in the front matter and an answer"),
        ("trash.en.md", "---\ntitle: [unclosed\n---\nanswer", "unreadable"),
        ("trash.en.md", "---\ntitle: x\naudience: everyone\n---\nanswer", "audience 'everyone'"),
        ("trash.en.md", "---\ntitle: x\ndepartment: nowhere\n---\nanswer", "no department 'nowhere'"),
        ("trash.en.md", "---\ntitle: x\nservices: [NOPE]\n---\nanswer", "no service NOPE"),
        ("trash.en.md", "---\ntitle: x\nreview_by: soon\n---\nanswer", "is not a date"),
        ("trash.en.md", "---\ntitle: <b>x</b>\n---\nanswer", "HTML"),
    ],
)
def test_a_bad_file_imports_nothing(tmp_path, name, content, message):
    (tmp_path / "good.en.md").write_text("---\ntitle: A good one\n---\nFine.")
    (tmp_path / name).write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("kb", "import", str(tmp_path))
    assert Article.objects.count() == 0


def test_an_empty_or_missing_folder_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"no \.md files"):
        call_command("kb", "import", str(tmp_path))
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("kb", "import", str(tmp_path / "missing"))
